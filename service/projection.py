"""After every engine step our own tables follow the engine, in the same transaction."""

from __future__ import annotations

from service.cases import status as case_status
from service.cases.models import Case
from service.deadlines import service as deadlines
from service.engine.models import ProcessInstance
from service.engine.spiff import StepResult
from service.inbox import service as inbox
from service.uow import UnitOfWork


def follow_engine(uow: UnitOfWork, *, instance: ProcessInstance, case: Case, result: StepResult,
                  actor_id: int | None) -> None:
    created = inbox.sync_tasks(uow, instance=instance, case=case, result=result)
    deadlines.assign_escalations_on_duty(uow, case=case, tasks=created)
    deadlines.sync_timers(uow, instance=instance, case=case, result=result)
    case_status.after_step(uow, case=case, result=result, actor_id=actor_id)
