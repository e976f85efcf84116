"""Case phase and status follow the engine: the phase is what is open now; the case closes with its process."""

from __future__ import annotations

from sqlalchemy import select

from service import clock
from service.cases.models import CLOSED, Case
from service.engine.models import RUNNING, ProcessInstance
from service.engine.spiff import StepResult
from service.inbox.models import OPEN, HumanTask
from service.journal import service as journal
from service.uow import UnitOfWork


def after_step(uow: UnitOfWork, *, case: Case, result: StepResult, actor_id: int | None) -> None:
    uow.session.flush()
    names = list(uow.session.scalars(select(HumanTask.name).where(
        HumanTask.case_id == case.id, HumanTask.status == OPEN).order_by(HumanTask.created_at)))
    still_running = uow.session.scalar(select(ProcessInstance.id).where(
        ProcessInstance.case_id == case.id, ProcessInstance.status == RUNNING).limit(1))
    if still_running is None and case.status != CLOSED:
        case.status = CLOSED
        case.closed_at = clock.now()
        case.phase = "Afsluttet"
        journal.record(uow, case_id=case.id, actor_id=actor_id, action="sag_afsluttet", title="Sagen er afsluttet")
    elif names:
        case.phase = ", ".join(dict.fromkeys(names))
