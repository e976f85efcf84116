"""Case phase and status follow the engine: the phase is the one the open tasks declare in the model
(service/cases/phases.py); the case closes with its process."""

from __future__ import annotations

from service import clock
from service.cases import phases
from service.cases.models import CLOSED, Case
from service.engine.followers import Step
from service.engine.spiff import StepResult
from service.journal import service as journal
from service.uow import UnitOfWork


def after_step(uow: UnitOfWork, *, case: Case, result: StepResult, actor_id: int | None) -> None:
    """One case has one case process, so the step's own result says everything (no extra queries)."""
    if result.completed:
        if case.status != CLOSED:
            case.status = CLOSED
            case.closed_at = clock.now()
            case.phase = phases.CLOSED
            journal.record(uow, case_id=case.id, actor_id=actor_id, action="sag_afsluttet",
                           title="Sagen er afsluttet")
    elif result.ready_tasks:
        phase = phases.furthest(t.phase for t in result.ready_tasks)
        if phase is not None and case.phase != phase:
            case.phase = phase


def follow_step(uow: UnitOfWork, step: Step) -> None:
    """Engine follower: the case closes with its process."""
    after_step(uow, case=step.case, result=step.result, actor_id=step.actor_id)
