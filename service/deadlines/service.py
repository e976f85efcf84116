"""Open deadlines: the timers table follows the engine; due timers are fired one instance per transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from service import clock
from service.cases.models import Case
from service.deadlines.models import FIRED, GONE, OPEN, Timer
from service.engine.models import ProcessInstance
from service.engine.spiff import StepResult
from service.journal import service as journal
from service.uow import UnitOfWork


def sync_timers(uow: UnitOfWork, *, instance: ProcessInstance, case: Case, result: StepResult) -> list[Timer]:
    """Make the open timer rows match the engine's waiting timers; returns the rows that fired now."""
    open_rows = {t.id: t for t in uow.session.scalars(select(Timer).where(
        Timer.instance_id == instance.id, Timer.status == OPEN))}
    waiting = {t.task_id: t for t in result.waiting_timers}
    now = clock.now()
    fired = []
    for timer_id, row in open_rows.items():
        if timer_id not in waiting:
            # A timer stops waiting either by firing (only possible once due) or because its task finished.
            row.status = FIRED if row.due_at <= now else GONE
            row.closed_at = now
            if row.status == FIRED:
                fired.append(row)
                journal.record(uow, case_id=case.id, actor_id=None, action="frist_udloest",
                               title=f"Tidspunkt nået: {row.name}", data={"timer": row.bpmn_id,
                                                                           "forfald": row.due_at.isoformat()})
    for timer_id, info in waiting.items():
        if timer_id not in open_rows:
            uow.session.add(Timer(id=timer_id, instance_id=instance.id, case_id=case.id, team_id=case.team_id,
                                  bpmn_id=info.bpmn_id, name=info.name, due_at=info.due_at, status=OPEN,
                                  next_attempt_at=info.due_at, attempts=0, created_at=now))
    return fired


@dataclass(frozen=True)
class DueInstance:
    timer_id: str
    instance_id: str


def postpone_after_failure(uow: UnitOfWork, timer_id: str, error: str) -> None:
    """Retry a timer whose firing failed later, with exponential backoff (max 1 hour)."""
    row = uow.session.get(Timer, timer_id, with_for_update=True)
    if row is None or row.status != OPEN:
        return
    row.attempts += 1
    row.last_error = error[:2000]
    row.next_attempt_at = clock.now() + timedelta(seconds=min(2 ** row.attempts, 3600))


def claim_next_due(uow: UnitOfWork) -> DueInstance | None:
    """The instance of the most overdue open timer; SKIP LOCKED lets several workers share the work."""
    row = uow.session.scalar(
        select(Timer).where(Timer.status == OPEN, Timer.next_attempt_at <= clock.now())
        .order_by(Timer.next_attempt_at).limit(1).with_for_update(skip_locked=True))
    return DueInstance(row.id, row.instance_id) if row is not None else None


def open_for_case(uow: UnitOfWork, case_id: str) -> list[Timer]:
    return list(uow.session.scalars(select(Timer).where(Timer.case_id == case_id, Timer.status == OPEN)
                                    .order_by(Timer.due_at)))
