"""The case journal: every event and every read of a case, in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from service import clock
from service.journal.models import JournalEntry
from service.uow import UnitOfWork


def record(uow: UnitOfWork, *, case_id: str | None, actor_id: int | None, action: str, title: str,
           data: dict[str, Any] | None = None, task_id: str | None = None) -> JournalEntry:
    entry = JournalEntry(case_id=case_id, actor_id=actor_id, action=action, title=title,
                         data=data, task_id=task_id, at=clock.now())
    uow.session.add(entry)
    return entry


def for_case(uow: UnitOfWork, case_id: str) -> list[JournalEntry]:
    stmt = select(JournalEntry).where(JournalEntry.case_id == case_id).order_by(JournalEntry.at, JournalEntry.id)
    return list(uow.session.scalars(stmt))
