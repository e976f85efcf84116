"""After every engine step our own tables follow the engine, in the same transaction."""

from __future__ import annotations

from service.cases import status as case_status
from service.cases.models import Case
from service.committee import service as committees
from service.deadlines import service as deadlines
from service.engine.models import ProcessInstance
from service.engine.spiff import StepResult
from service.inbox import service as inbox
from service.journal import service as journal
from service.uow import UnitOfWork

_EVENT_TITLES = {"startet": "{process} er startet", "afsluttet": "{process} er afsluttet"}
# End events of called processes are few and named for their outcome, e.g. "BFU efter tidlig indsats (§ 30)".


def _journal_process_events(uow: UnitOfWork, *, case: Case, result: StepResult, actor_id: int | None) -> None:
    """Called processes and decision tables in the case's journal, so the case reads as one story."""
    for event in result.events:
        if event.kind == "beslutning":
            outcome = ", ".join(f"{k}: {v}" for k, v in (event.data or {}).items())
            title = f"Beslutningstabel «{event.name}»: {outcome}" + (
                f" ({event.process_name})" if event.process_name else "")
        else:
            title = _EVENT_TITLES[event.kind].format(process=event.process_name) + (
                f": {event.name}" if event.kind == "afsluttet" and event.name else "")
        journal.record(uow, case_id=case.id, actor_id=actor_id, action=f"delproces_{event.kind}"[:40],
                       title=title[:300], data={"delproces": event.process_name, "navn": event.name,
                                                "resultat": event.data})


def follow_engine(uow: UnitOfWork, *, instance: ProcessInstance, case: Case, result: StepResult,
                  actor_id: int | None) -> None:
    # One flush at commit for everything below, instead of one before each of its few queries.
    with uow.session.no_autoflush:
        _journal_process_events(uow, case=case, result=result, actor_id=actor_id)
        created = inbox.sync_tasks(uow, instance=instance, case=case, result=result)
        deadlines.assign_escalations_on_duty(uow, case=case, tasks=created)
        deadlines.sync_timers(uow, instance=instance, case=case, result=result)
        committees.sync_referrals(uow, instance=instance, case=case, result=result)
        case_status.after_step(uow, case=case, result=result, actor_id=actor_id)
