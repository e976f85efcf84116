"""Firing due timers: the one code path used by Celery beat/workers and by the embedded loop."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from service import projection
from service.cases.models import Case
from service.deadlines import service as deadlines
from service.engine import instances
from service.uow import UnitOfWork


def fire_one(session_factory: sessionmaker) -> bool:
    """Advance the instance of the most overdue timer, in its own transaction. False when none is due."""
    with UnitOfWork(session_factory) as uow:
        due = deadlines.claim_next_due(uow)
        if due is None:
            return False
        try:
            instance, version = instances.load_for_update(uow, due.instance_id)
            result = instances.fire_timers(instance, version)
            case = uow.session.get(Case, instance.case_id)
            projection.follow_engine(uow, instance=instance, case=case, result=result, actor_id=None)
            uow.commit()
            return True
        except instances.ModelFailure as failure:
            uow.rollback()
            deadlines.postpone_after_failure(uow, due.timer_id, failure.message)
            uow.commit()
            return True


def fire_due(session_factory: sessionmaker, *, batch: int = 200) -> int:
    """Fire up to `batch` due instances; each in its own transaction, so one failure stops only itself."""
    fired = 0
    for _ in range(batch):
        try:
            if not fire_one(session_factory):
                break
        except (StaleDataError, OperationalError):
            continue  # another worker advanced the same instance meanwhile; its timers are handled
        fired += 1
    return fired
