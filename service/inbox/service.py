"""The task inbox: projection of ready user tasks, and claiming, drafting and completing them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import defer

from service import case_documents, clock
from service.access import service as access
from service.access.models import User
from service.cases.models import Case
from service.deadlines import service as deadlines
from service.engine import followers, instances
from service.engine.followers import Step
from service.engine.models import ProcessInstance, ProcessVersion
from service.engine.spiff import StepResult
from service.errors import Conflict, Forbidden, NotFound, ValidationFailed
from service.forms import service as forms
from service.inbox.models import CANCELLED, DONE, OPEN, HumanTask
from service.journal import service as journal
from service.process_models import service as process_models
from service.uow import UnitOfWork


def sync_tasks(uow: UnitOfWork, *, instance: ProcessInstance, case: Case, result: StepResult) -> list[HumanTask]:
    """Make the open rows of this instance match the engine's ready user tasks.

    Only what the step changed is touched: the rows were in step with the engine when it began, so no
    query is needed for the (usual) step that leaves the ready tasks as they were.
    """
    session = uow.session
    ready = {t.id: t for t in result.ready_tasks}
    now = clock.now()
    for row in uow.rows(HumanTask, result.before.ready - ready.keys()):
        if row.status == OPEN:  # a completed task is already DONE
            row.status = CANCELLED
            row.completed_at = now
    created = []
    for task_id, info in ready.items():
        if task_id in result.before.ready:
            continue
        role = info.role if info.role in access.CASEWORK_ROLES else access.lane_role(info.lane)
        row = HumanTask(id=task_id, instance_id=instance.id, case_id=case.id, team_id=case.team_id,
                        bpmn_id=info.bpmn_id, scope_id=info.deadline_scope or task_id, name=info.name, role=role,
                        form_key=info.form_key or info.bpmn_id, process_name=info.process_name, message=info.message,
                        status=OPEN, created_at=now)
        session.add(row)
        created.append(row)
    return created


_ROLE_TASKS = {"teamleder": "teamlederens", "raadgiver": "rådgivernes"}


def _visible_task(uow: UnitOfWork, user: User, task_id: str) -> HumanTask:
    task = uow.session.get(HumanTask, task_id)
    if task is not None and access.reads_all_teams(user):
        raise Forbidden("Din rolle kan læse sagerne, men ikke tage eller udføre opgaver.")
    if task is None or not access.may_see_case(user, task.team_id):
        raise NotFound("Opgaven findes ikke.")  # another team's task: no existence leak
    if not access.may_take_task(user, team_id=task.team_id, role=task.role):
        # She can see the case and its open tasks, so the task's existence is no secret; say why not.
        raise Forbidden(f"Opgaven er {_ROLE_TASKS.get(task.role, task.role)} opgave; din rolle kan ikke tage "
                        "eller udføre den.")
    return task


@dataclass(frozen=True)
class TaskView:
    task: HumanTask
    case: Case
    form: dict[str, Any]


def _form_of(uow: UnitOfWork, task: HumanTask) -> dict[str, Any]:
    instance = uow.session.get(ProcessInstance, task.instance_id)
    version = uow.session.get(ProcessVersion, instance.process_version_id)
    return _shaped_form(uow, task, uow.session.get(Case, task.case_id), version)


def _shaped_form(uow: UnitOfWork, task: HumanTask, case: Case, version: ProcessVersion) -> dict[str, Any]:
    """The form shown and the form checked are one: the version's, narrowed for an escalation, shaped for the case."""
    form = deadlines.escalation_form(uow, task, process_models.form_schema(version, task.form_key))
    return case_documents.shape_form(uow, task=task, case=case, form=form)


def get_task(uow: UnitOfWork, user: User, task_id: str) -> TaskView:
    task = _visible_task(uow, user, task_id)
    case = uow.session.get(Case, task.case_id)
    journal.record(uow, case_id=case.id, actor_id=user.id, action="laest",
                   title=f"Opgaven «{task.name}» åbnet", task_id=task.id)
    return TaskView(task, case, _form_of(uow, task))


def task_form(uow: UnitOfWork, user: User, task_id: str) -> dict[str, Any]:
    """The task's form schema without opening the task (a posted form is read against it)."""
    return _form_of(uow, _visible_task(uow, user, task_id))


def _require_open(task: HumanTask) -> None:
    if task.status != OPEN:
        raise Conflict("Opgaven er allerede udført eller ikke længere aktiv.")


def claim(uow: UnitOfWork, user: User, task_id: str) -> HumanTask:
    task = _visible_task(uow, user, task_id)
    _require_open(task)
    if task.claimed_by not in (None, user.id):
        raise Conflict("Opgaven er allerede taget af en kollega.")
    if task.claimed_by is None:
        task.claimed_by = user.id
        journal.record(uow, case_id=task.case_id, actor_id=user.id, action="opgave_taget",
                       title=f"Opgaven «{task.name}» taget", task_id=task.id)
    return task


def release(uow: UnitOfWork, user: User, task_id: str) -> HumanTask:
    task = _visible_task(uow, user, task_id)
    _require_open(task)
    if task.claimed_by is not None and task.claimed_by != user.id and user.role != "teamleder":
        raise Conflict("Kun den, der har taget opgaven, eller en teamleder kan frigive den.")
    if task.claimed_by is not None:
        task.claimed_by = None
        journal.record(uow, case_id=task.case_id, actor_id=user.id, action="opgave_frigivet",
                       title=f"Opgaven «{task.name}» frigivet", task_id=task.id)
    return task


def save_draft(uow: UnitOfWork, user: User, task_id: str, data: dict[str, Any]) -> HumanTask:
    task = _visible_task(uow, user, task_id)
    _require_open(task)
    if task.claimed_by not in (None, user.id):
        raise Conflict("Opgaven er taget af en kollega.")
    task.draft = data
    return task


def _lock_task(uow: UnitOfWork, task_id: str) -> tuple[ProcessInstance, ProcessVersion, list[Any]] | None:
    """The task's instance (locked), its version, and the instance's open tasks with the task and its case, in one
    statement (None when the task does not exist). The caller keeps the rows referenced: the session holds
    unchanged objects only weakly, and the projection and the answer read them from it.

    Lock order everywhere is instance, then its rows: PostgreSQL takes the locks in the order `OF` names them, and
    a statement that waited for another transaction re-reads the rows it locks, so a second completion of the same
    task waits here and then sees it done. The engine state itself is read only when no live workflow matches.
    """
    instance_of_task = select(HumanTask.instance_id).where(HumanTask.id == task_id).scalar_subquery()
    rows = list(uow.session.execute(
        select(ProcessInstance, ProcessVersion, HumanTask, Case)
        .join(ProcessVersion, ProcessVersion.id == ProcessInstance.process_version_id)
        .join(HumanTask, HumanTask.instance_id == ProcessInstance.id)
        .join(Case, Case.id == HumanTask.case_id)
        .options(defer(ProcessInstance.state))
        .where(ProcessInstance.id == instance_of_task, or_(HumanTask.status == OPEN, HumanTask.id == task_id))
        .with_for_update(of=[ProcessInstance, HumanTask, Case])
        .execution_options(populate_existing=True)))
    if not any(row[2].id == task_id for row in rows):
        return None
    return rows[0][0], rows[0][1], rows


@dataclass(frozen=True)
class Completed:
    task: HumanTask
    case: Case
    next_tasks: list[HumanTask]  # the case's open tasks after the step


def complete(uow: UnitOfWork, user: User, task_id: str, data: dict[str, Any]) -> tuple[HumanTask, Case]:
    done = complete_with_next(uow, user, task_id, data)
    return done.task, done.case


def complete_with_next(uow: UnitOfWork, user: User, task_id: str, data: dict[str, Any]) -> Completed:
    """Complete the task; the next tasks come from the step itself, without another query."""
    locked = _lock_task(uow, task_id)
    task = _visible_task(uow, user, task_id)  # from the session (404 when there is none)
    if locked is None:  # removed since it was read (it never is; the answer would be the same)
        raise NotFound("Opgaven findes ikke.")
    instance, version, loaded = locked
    _require_open(task)
    if task.claimed_by not in (None, user.id):
        raise Conflict("Opgaven er taget af en kollega.")
    case = uow.session.get(Case, task.case_id)  # in the session already
    form = _shaped_form(uow, task, case, version)
    case_documents.before_complete(uow, task=task, form=form)  # e.g. an empty indsatsvifte
    errors = forms.validate(form, data) + case_documents.check_with_case(uow, task=task, case=case, data=data)
    if errors:
        raise ValidationFailed("Formularen er ikke udfyldt korrekt.", errors)
    data = case_documents.from_parties(uow, task=task, case=case, data=data)  # e.g. the young person's consent
    claimed_now = task.claimed_by is None
    escalation = task.form_key == deadlines.ESCALATION_FORM
    new_caseworker = deadlines.check_escalation(uow, case=case, data=data) if escalation else None
    case_documents.on_complete(uow, actor=user, task=task, case=case, data=data)  # contracts, letters
    # The completion time, taken under the instance lock and given to the engine: a deadline that fell due
    # before it is breached (and escalated) whichever of this and the timer firing reaches the database first.
    now = clock.now()
    result = instances.complete_task(instance, version, task.id, data, at=now, uow=uow)
    if claimed_now:  # who did the work is on the task itself, not only in the journal (one UPDATE with the rest)
        task.claimed_by = user.id
    task.status, task.completed_at, task.completed_by, task.draft = DONE, now, user.id, None
    journal.record(uow, case_id=case.id, actor_id=user.id, action="opgave_udfoert",
                   title=f"«{task.name}» udført" + (f" ({task.process_name})" if task.process_name else ""),
                   task_id=task.id, data={"form": task.form_key, "data": data, "delproces": task.process_name,
                                          **({"taget_ved_udfoerelse": True} if claimed_now else {})})
    followers.follow(uow, instance=instance, case=case, result=result, actor_id=user.id)
    if escalation:
        deadlines.apply_escalation(uow, case=case, actor=user, data=data, new_caseworker=new_caseworker)
    return Completed(task, case, _next_tasks(uow, result, loaded))


def _next_tasks(uow: UnitOfWork, result: StepResult, loaded: list[Any]) -> list[HumanTask]:
    """The case's open tasks after the step, as open_tasks_for_case would read them after commit: a case has one
    case process, so they are the step's ready tasks, whose rows the session holds: new, or `loaded` with the task
    (kept referenced until here, since the session holds unchanged objects only weakly)."""
    read = {row[0].id: row[0] for row in loaded}
    known = [read[t.id] for t in result.ready_tasks if t.id in read]
    rows = known + uow.rows(HumanTask, [t.id for t in result.ready_tasks if t.id not in read])  # new: no query
    rows = [row for row in rows if row.status == OPEN]
    order = {t.id: i for i, t in enumerate(result.ready_tasks)}
    return sorted(rows, key=lambda row: (row.created_at, order[row.id]))


def open_tasks_for_case(uow: UnitOfWork, case_id: str) -> list[HumanTask]:
    return list(uow.session.scalars(select(HumanTask).where(
        and_(HumanTask.case_id == case_id, HumanTask.status == OPEN)).order_by(HumanTask.created_at)))


def tasks_for_case(uow: UnitOfWork, case_id: str) -> list[HumanTask]:
    """Every user task the case has had, open, done or cancelled (the diagram colours them)."""
    return list(uow.session.scalars(select(HumanTask).where(HumanTask.case_id == case_id)
                                    .order_by(HumanTask.created_at, HumanTask.id)))


def follow_step(uow: UnitOfWork, step: Step) -> None:
    """Engine follower: the step's ready user tasks open, the rest close (noted on the step for the deadlines)."""
    step.created_tasks = sync_tasks(uow, instance=step.instance, case=step.case, result=step.result)
