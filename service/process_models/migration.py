"""Moving running cases to the newest version of their process: the process owner's choice, e.g. when the law
or the municipality's practice changes. A case moves only when the new version has every step it has passed or
waits in; each case moves in its own transaction and the move is in its journal."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from service.access import service as access
from service.access.models import User
from service.cases.models import Case
from service.engine import followers, instances, spiff
from service.engine.models import RUNNING, ProcessInstance, ProcessVersion
from service.errors import FieldError, NotFound, ValidationFailed
from service.inbox.models import OPEN, HumanTask
from service.journal import service as journal
from service.process_models import service as process_models
from service.uow import UnitOfWork

BATCH = 200  # cases per request: a larger stock is moved in several rounds, each showing how far it got


@dataclass(frozen=True)
class MigrationCheck:
    source: ProcessVersion
    target: ProcessVersion
    movable: int
    blocked: dict[str, int]  # reason → number of cases


@dataclass(frozen=True)
class MigrationResult:
    target: ProcessVersion
    moved: int
    blocked: dict[str, int]
    left: int  # still on the old version and not yet tried (the next round)


def _versions(uow: UnitOfWork, user: User, process_id: str,
              source_number: int) -> tuple[ProcessVersion, ProcessVersion]:
    access.require_model_owner(user)
    target = process_models.latest(uow, process_id)
    source = uow.session.scalar(select(ProcessVersion).where(ProcessVersion.process_id == process_id,
                                                             ProcessVersion.version == source_number))
    if source is None:
        raise NotFound(f"Version {source_number} af processen findes ikke.")
    if source.id == target.id:
        raise ValidationFailed("Sagerne kører allerede på den nyeste version.",
                               [FieldError("fra", "Vælg en ældre version end den nyeste.")])
    return source, target


def _running(uow: UnitOfWork, version_id: int) -> list[ProcessInstance]:
    return list(uow.session.scalars(select(ProcessInstance).where(
        ProcessInstance.process_version_id == version_id, ProcessInstance.status == RUNNING)
        .order_by(ProcessInstance.created_at)))


def check(uow: UnitOfWork, user: User, *, process_id: str, source_number: int) -> MigrationCheck:
    """Try the move for every running case of the version, in memory only: how many can move, and why not."""
    source, target = _versions(uow, user, process_id, source_number)
    movable, blocked = 0, Counter()
    for instance in _running(uow, source.id):
        try:
            spiff.migrate(source, target, instance.state, instance.serializer_version)
            movable += 1
        except spiff.NotMigratable as refused:
            blocked.update(refused.reasons)
    return MigrationCheck(source, target, movable, dict(blocked.most_common()))


def move_cases(session_factory: sessionmaker, user: User, *, process_id: str, source_number: int,
               batch: int = BATCH) -> MigrationResult:
    """Move up to `batch` running cases of the version to the newest, each in its own transaction."""
    with UnitOfWork(session_factory) as uow:
        source, target = _versions(uow, user, process_id, source_number)
        waiting = [i.id for i in _running(uow, source.id)]
        uow.session.expunge_all()  # the versions are read again under each case's own transaction
    moved, blocked = 0, Counter()
    for instance_id in waiting[:batch]:
        with UnitOfWork(session_factory) as uow:
            instance, version = instances.load_for_update(uow, instance_id)
            if version.id != source.id or instance.status != RUNNING:
                continue  # moved or finished meanwhile
            new = uow.session.get(ProcessVersion, target.id)
            try:
                result = instances.migrate(instance, version, new)
            except spiff.NotMigratable as refused:
                blocked.update(refused.reasons)
                continue
            case = uow.session.get(Case, instance.case_id)
            followers.follow(uow, instance=instance, case=case, result=result, actor_id=user.id)
            _rename_open_tasks(uow, instance.id, result)
            journal.record(uow, case_id=case.id, actor_id=user.id, action="ny_procesversion",
                           title=f"Sagen er flyttet fra version {version.version} til version {new.version} "
                                 f"af «{new.name}»", data={"fra": version.version, "til": new.version})
            uow.commit()
            moved += 1
    return MigrationResult(target, moved, dict(blocked.most_common()), max(len(waiting) - batch, 0))


def _rename_open_tasks(uow: UnitOfWork, instance_id: str, result: spiff.StepResult) -> None:
    """A task that stays open keeps its id, claim and draft; its name, form and message follow the new version."""
    ready = {t.id: t for t in result.ready_tasks}
    for row in uow.session.scalars(select(HumanTask).where(HumanTask.instance_id == instance_id,
                                                           HumanTask.status == OPEN)):
        info = ready.get(row.id)
        if info is not None:
            row.name, row.form_key, row.message = info.name, info.form_key or info.bpmn_id, info.message
