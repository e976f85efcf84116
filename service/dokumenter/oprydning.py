"""Removing files no document row names: what an upload left when its transaction failed after the file was written.

Such a file is harmless (nobody can reach it), so this is housekeeping, run by hand or from cron. A file younger than
the grace period is left alone: its upload may still be about to commit its row.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import islice

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from service import clock
from service.dokumenter.lager import DocumentStore
from service.dokumenter.models import Dokument

GRACE = timedelta(hours=24)
_BATCH = 500


def orphans(session_factory: sessionmaker, store: DocumentStore, *, now: datetime | None = None,
            grace: timedelta = GRACE) -> Iterator[str]:
    """The keys in the store, written before the grace period, that no row of this store names."""
    before = (now or clock.now()) - grace
    old = (key for key, written in store.keys() if written < before)
    while batch := list(islice(old, _BATCH)):
        with session_factory() as session:
            named = set(session.scalars(select(Dokument.noegle).where(Dokument.lager == store.name,
                                                                       Dokument.noegle.in_(batch))))
        yield from (key for key in batch if key not in named)


def clean(session_factory: sessionmaker, store: DocumentStore, *, delete: bool,
          now: datetime | None = None) -> list[str]:
    """The orphans found (and deleted, if asked), as lines for the operator."""
    found = list(orphans(session_factory, store, now=now))
    for key in found:
        if delete:
            store.delete(key)
    verb = "slettet" if delete else "fundet (slet med --slet)"
    return [*found, f"{len(found)} filer uden dokument i lageret ({store.name}) {verb}."]
