"""The case journal: every event and every read of a case, in the caller's transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from service import clock
from service.journal.models import JournalEntry
from service.uow import UnitOfWork

if TYPE_CHECKING:
    from service.engine.followers import Step


def record(uow: UnitOfWork, *, case_id: str | None, actor_id: int | None, action: str, title: str,
           data: dict[str, Any] | None = None, task_id: str | None = None) -> JournalEntry:
    entry = JournalEntry(case_id=case_id, actor_id=actor_id, action=action, title=title,
                         data=data, task_id=task_id, at=clock.now())
    uow.session.add(entry)
    return entry


def for_case(uow: UnitOfWork, case_id: str) -> list[JournalEntry]:
    stmt = select(JournalEntry).where(JournalEntry.case_id == case_id).order_by(JournalEntry.at, JournalEntry.id)
    return list(uow.session.scalars(stmt))


def latest_form(uow: UnitOfWork, case_id: str, form_key: str) -> dict[str, Any]:
    """The data of the case's latest completed task with this form (empty when none): what a letter or a
    decision builds on, as it was recorded."""
    entries = uow.session.scalars(select(JournalEntry).where(
        JournalEntry.case_id == case_id, JournalEntry.action == "opgave_udfoert").order_by(JournalEntry.id.desc()))
    return next((e.data["data"] for e in entries if (e.data or {}).get("form") == form_key), {})


_EVENT_TITLES = {"startet": "{process} er startet", "afsluttet": "{process} er afsluttet"}
# End events of called processes are few and named for their outcome, e.g. "BFU efter tidlig indsats (§ 30)".


def follow_step(uow: UnitOfWork, step: Step) -> None:
    """Called processes and decision tables in the case's journal, so the case reads as one story."""
    for event in step.result.events:
        if event.kind == "beslutning":
            outcome = ", ".join(f"{k}: {v}" for k, v in (event.data or {}).items())
            title = f"Beslutningstabel «{event.name}»: {outcome}" + (
                f" ({event.process_name})" if event.process_name else "")
        else:
            title = _EVENT_TITLES[event.kind].format(process=event.process_name) + (
                f": {event.name}" if event.kind == "afsluttet" and event.name else "")
        record(uow, case_id=step.case.id, actor_id=step.actor_id, action=f"delproces_{event.kind}"[:40],
               title=title[:300], data={"delproces": event.process_name, "navn": event.name,
                                        "resultat": event.data})
