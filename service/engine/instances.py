"""Process instances: start, advance and persist, in the caller's unit of work."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import defer

from service import clock
from service.engine import spiff, workflow_cache
from service.engine.models import COMPLETED, RUNNING, ProcessInstance, ProcessVersion
from service.errors import Conflict, DomainError, NotFound
from service.uow import UnitOfWork


class ModelFailure(DomainError):
    """The model itself failed at run time: the change is rolled back and reported, never half-written."""

    status = 409
    title = "Procesmodellen fejlede"


def start(uow: UnitOfWork, version: ProcessVersion, *, case_id: str,
          data: dict[str, Any]) -> tuple[ProcessInstance, spiff.StepResult]:
    try:
        result = spiff.start(version, data)
    except spiff.EngineError as err:
        raise ModelFailure(f"Processen kunne ikke startes: {err}") from err
    now = clock.now()
    instance = ProcessInstance(id=str(uuid.uuid4()), case_id=case_id, process_version_id=version.id,
                               state=result.state, serializer_version=result.serializer_version,
                               status=COMPLETED if result.completed else RUNNING,
                               created_at=now, updated_at=now)
    uow.session.add(instance)
    workflow_cache.hold(uow, instance, result.workflow, result.state)
    return instance, result


def load_for_update(uow: UnitOfWork, instance_id: str) -> tuple[ProcessInstance, ProcessVersion]:
    """Lock the instance row (PostgreSQL) so concurrent changes queue instead of racing; its version comes in the
    same statement. The stored state is read only when no live workflow matches the row (see ``_live``)."""
    row = uow.session.execute(
        select(ProcessInstance, ProcessVersion)
        .join(ProcessVersion, ProcessVersion.id == ProcessInstance.process_version_id)
        .options(defer(ProcessInstance.state))
        .where(ProcessInstance.id == instance_id).with_for_update(of=ProcessInstance)).first()
    if row is None:
        raise NotFound("Procesinstansen findes ikke.")
    return row[0], row[1]


def _live(uow: UnitOfWork | None, instance: ProcessInstance) -> tuple[Any, str | None]:
    """The instance's live workflow when one matches its row, else None and the stored state to restore."""
    live = workflow_cache.take(uow, instance)
    return (live, None) if live is not None else (None, instance.state)


def _apply(uow: UnitOfWork | None, instance: ProcessInstance, result: spiff.StepResult) -> spiff.StepResult:
    instance.state = result.state
    instance.serializer_version = result.serializer_version
    instance.status = COMPLETED if result.completed else RUNNING
    instance.updated_at = clock.now()
    workflow_cache.hold(uow, instance, result.workflow, result.state)
    return result


def complete_task(instance: ProcessInstance, version: ProcessVersion, task_id: str,
                  data: dict[str, Any], *, at: datetime | None = None,
                  uow: UnitOfWork | None = None) -> spiff.StepResult:
    """Complete the task at `at` (its completion time): timers due before it fire first. With `uow`, the step may
    start from a live workflow and leaves its own for the next one."""
    live, state = _live(uow, instance)
    try:
        result = spiff.complete_task(version, state, instance.serializer_version, task_id, data, at=at, live=live)
    except spiff.NotWaiting as err:
        raise Conflict("Opgaven er allerede udført eller ikke længere aktiv.") from err
    except spiff.EngineError as err:
        raise ModelFailure(f"Procesmodellen fejlede: {err}") from err
    return _apply(uow, instance, result)


def migrate(instance: ProcessInstance, old: ProcessVersion, new: ProcessVersion) -> spiff.StepResult:
    """Move the instance to `new` (spiff.NotMigratable when it can't); the caller projects and journals it."""
    try:
        result = spiff.migrate(old, new, instance.state, instance.serializer_version)
    except spiff.EngineError as err:
        raise spiff.NotMigratable([f"sagens forløb kan ikke føres over i den nye version ({err})"]) from err
    instance.process_version_id = new.id
    return _apply(None, instance, result)


def fire_timers(instance: ProcessInstance, version: ProcessVersion, *,
                uow: UnitOfWork | None = None) -> spiff.StepResult:
    live, state = _live(uow, instance)
    try:
        result = spiff.fire_due_timers(version, state, instance.serializer_version, live=live)
    except spiff.EngineError as err:
        raise ModelFailure(f"Procesmodellen fejlede ved en frist: {err}") from err
    return _apply(uow, instance, result)


def waiting(instance: ProcessInstance, version: ProcessVersion) -> spiff.Waited:
    """What the engine's own stored state waits for; the projected tables must say the same."""
    return spiff.waiting(version, instance.state, instance.serializer_version)


def send_message(instance: ProcessInstance, version: ProcessVersion, name: str,
                 payload: dict[str, Any], *, uow: UnitOfWork | None = None) -> spiff.StepResult | None:
    """Deliver a message; None when the instance is not waiting for it right now."""
    live, state = _live(uow, instance)
    try:
        result = spiff.send_message(version, state, instance.serializer_version, name, payload, live=live)
    except spiff.NotWaiting:
        return None  # a live workflow it was offered to is dropped: the next step restores the stored state
    except spiff.EngineError as err:
        raise ModelFailure(f"Procesmodellen fejlede: {err}") from err
    return _apply(uow, instance, result)


def running_for_case(uow: UnitOfWork, case_id: str) -> list[ProcessInstance]:
    return list(uow.session.scalars(select(ProcessInstance).where(
        ProcessInstance.case_id == case_id, ProcessInstance.status == RUNNING)))


def for_case(uow: UnitOfWork, case_id: str) -> list[ProcessInstance]:
    """The case's instances, running or not, oldest (the case process itself) first."""
    return list(uow.session.scalars(select(ProcessInstance).where(ProcessInstance.case_id == case_id)
                                    .order_by(ProcessInstance.created_at, ProcessInstance.id)))
