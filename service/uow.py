"""Unit of work: one database transaction per state change.

Services receive the unit of work and never commit; the adapter (view, Celery task,
CLI command) that opened it commits once. Jobs that must only run for committed data
are registered with ``after_commit``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Hashable
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.util import identity_key

Row = TypeVar("Row")
log = logging.getLogger(__name__)


class UnitOfWork:
    def __init__(self, session_factory: sessionmaker) -> None:
        self._factory = session_factory
        self._after_commit: list[Callable[[], None]] = []
        self._memo: dict[Hashable, Any] = {}
        self.session: Session = self._factory()
        self.committed = False  # a commit of this unit went through (the change is in the database)

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def commit(self) -> None:
        self.session.commit()
        self.committed = True
        callbacks, self._after_commit = self._after_commit, []
        self._memo.clear()
        for callback in callbacks:
            callback()

    def rollback(self) -> None:
        self.session.rollback()
        self._after_commit.clear()
        self._memo.clear()

    def close(self) -> None:
        """Ends the unit; never raises for a connection lost meanwhile. The server has then already rolled back
        whatever was open, and what was committed stays committed: a failing ROLLBACK must not turn a request or a
        job that did its work into an error (or hide the error that ended it)."""
        try:
            self.rollback()
            self.session.close()
        except SQLAlchemyError as err:
            self._after_commit.clear()
            self._memo.clear()
            log.warning("Forbindelsen til databasen var tabt, da arbejdet blev afsluttet (%s%s)",
                        type(getattr(err, "orig", None) or err).__name__,
                        "; ændringen var gemt" if self.committed else "")
            self.session.invalidate()  # closes the connections without a word to the server, and the session

    def memo(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """A value that stays put within this transaction (e.g. who is on duty), computed once."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def rows(self, model: type[Row], ids: Collection[str]) -> list[Row]:
        """Rows by primary key: those this session already holds without a query (also added and not yet
        flushed ones), the rest in one."""
        pk = inspect(model).primary_key[0]
        wanted = set(ids)
        found = [obj for obj in self.session.new if isinstance(obj, model) and getattr(obj, pk.key) in wanted]
        missing = wanted - {getattr(obj, pk.key) for obj in found}
        for key in list(missing):
            row = self.session.identity_map.get(identity_key(model, key))
            if row is not None:
                found.append(row)
                missing.discard(key)
        if missing:
            found += self.session.scalars(select(model).where(pk.in_(missing)))
        return found

    def after_commit(self, callback: Callable[[], None]) -> None:
        self._after_commit.append(callback)
