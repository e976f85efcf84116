"""Open deadlines: the timers table follows the engine, firings notify people, escalations are handled."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import aliased

from service import clock
from service.access.models import User
from service.cases.models import Case
from service.deadlines.models import FIRED, GONE, OPEN, Notification, Timer
from service.engine.followers import Step
from service.engine.models import ProcessInstance, ProcessVersion
from service.engine.spiff import StepResult, TimerInfo
from service.errors import FieldError, NotFound, ValidationFailed
from service.inbox.models import OPEN as TASK_OPEN
from service.inbox.models import HumanTask
from service.journal import service as journal
from service.metrics import instruments
from service.notifications import email
from service.uow import UnitOfWork
from service.vagtplan import service as vagtplan

ESCALATION_FORM = "frist_overskredet"
def _classify(info: TimerInfo) -> tuple[str, str | None]:
    if info.call is not None and info.call[0] in ("frist", "advis"):
        return info.call
    return "timer", None


def sync_timers(uow: UnitOfWork, *, instance: ProcessInstance, case: Case, result: StepResult) -> list[Timer]:
    """Make the open timer rows match the engine's waiting timers; returns the rows that fired now.

    Like the tasks, only what the step changed is touched (the rows matched the engine when it began).
    """
    before = {t.task_id for t in result.before.timers}
    now = clock.now()
    fired = []
    engine_fired = {t.task_id for t in result.fired_timers}
    stopped = {t.task_id: t for t in result.stopped_timers()}
    for row in uow.rows(Timer, stopped):
        if row.status != OPEN:
            continue
        # A timer stops waiting either by firing or because its task finished first. Which one is the engine's
        # answer, never the clock's: a task done late has its overdue timers fired first by the engine itself.
        row.status = FIRED if row.id in engine_fired else GONE
        row.closed_at = now
        if row.status == FIRED:
            fired.append(row)
            _announce(uow, case, row, result)
    for info in result.waiting_timers:
        if info.task_id not in before:
            uow.session.add(_new_row(info, instance, case, OPEN))
    for info in result.fired_timers:
        if info.task_id not in before:  # came due and fired in the same step: record and announce it
            row = _new_row(info, instance, case, FIRED)
            row.closed_at = now
            uow.session.add(row)
            fired.append(row)
            _announce(uow, case, row, result)
    if fired:  # counted once committed, whichever path fired them (a tick, or a step that found them due)
        firings = [(row.kind, row.due_at) for row in fired]
        uow.after_commit(lambda: instruments.timers_fired(firings, now))
    return fired


def _new_row(info: TimerInfo, instance: ProcessInstance, case: Case, status: str) -> Timer:
    kind, deadline_id = _classify(info)
    return Timer(id=info.task_id, instance_id=instance.id, case_id=case.id, team_id=case.team_id,
                 bpmn_id=info.bpmn_id, name=info.name, deadline_id=deadline_id, kind=kind, guards=info.attached_to,
                 guards_task_id=info.attached_task,
                 due_at=info.due_at, status=status, next_attempt_at=info.due_at, attempts=0, created_at=clock.now())


def _deadline_passed(timer: Timer, result: StepResult, now: datetime) -> bool:
    """Whether the deadline an advis warns of is itself due (a late firing finds both due at once)."""
    return any(t.call == ("frist", timer.deadline_id) and t.attached_to == timer.guards and t.due_at < now
               for t in (*result.before.timers, *result.fired_timers, *result.waiting_timers))


def _announce(uow: UnitOfWork, case: Case, timer: Timer, result: StepResult) -> None:
    """Journal and notify once per firing (the unique timer_id makes a second notice impossible)."""
    if timer.kind == "advis":
        guarded = uow.session.scalar(select(HumanTask).where(
            HumanTask.scope_id == timer.guards_task_id, HumanTask.status == TASK_OPEN).limit(1))
        # A warning is only worth sending ahead of its deadline, for a task still to be done. The status is read
        # from the object: a task completed in this very step is done in the session, not yet in the database.
        task_done = guarded is not None and guarded.status != TASK_OPEN
        if task_done or _deadline_passed(timer, result, clock.now()):
            return
        text = f"Frist nærmer sig for sag {case.sagsnummer}: {timer.name.removeprefix('Advis: ')}"
        recipient = {"role": "raadgiver", "user_id": guarded.claimed_by if guarded else None}
        action = "advis"
    elif timer.kind == "frist":
        late = clock.now() - timer.due_at
        text = (f"Frist overskredet for sag {case.sagsnummer}: {timer.name.removeprefix('Frist overskredet: ')}"
                f" ({_duration_da(late)} for sent)" if late > timedelta(minutes=1) else
                f"Frist overskredet for sag {case.sagsnummer}: {timer.name.removeprefix('Frist overskredet: ')}")
        leader = vagtplan.on_duty(uow, case.team_id)
        recipient = {"role": "teamleder", "user_id": leader.id if leader else None}
        action = "frist_overskredet"
    else:
        journal.record(uow, case_id=case.id, actor_id=None, action="timer", title=f"Tidspunkt nået: {timer.name}")
        return
    journal.record(uow, case_id=case.id, actor_id=None, action=action, title=text,
                   data={"frist": timer.deadline_id, "forfald": timer.due_at.isoformat()})
    note = Notification(team_id=case.team_id, case_id=case.id, timer_id=timer.id, kind=action,
                        text=text, created_at=clock.now(), **recipient)
    uow.session.add(note)
    email.queue_for(uow, note)


def assign_escalations_on_duty(uow: UnitOfWork, *, case: Case, tasks: list[HumanTask]) -> None:
    """A new "Frist overskredet" task goes straight to the team leader on duty, when the rota names one."""
    escalations = [t for t in tasks if t.form_key == ESCALATION_FORM]
    leader = vagtplan.on_duty(uow, case.team_id) if escalations else None
    for task in escalations if leader else ():
        task.claimed_by = leader.id
        journal.record(uow, case_id=case.id, actor_id=None, action="eskaleret_til_vagt",
                       title=f"{task.name} er tildelt vagthavende teamleder {leader.full_name}",
                       task_id=task.id, data={"teamleder_id": leader.id})


def _duration_da(delta: timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    if hours < 48:
        return f"{max(hours, 1)} timer"
    return f"{hours // 24} dage"


@dataclass(frozen=True)
class Claimed:
    """A due timer with everything needed to advance its instance, locked for this transaction."""

    timer: Timer
    instance: ProcessInstance
    version: ProcessVersion
    case: Case


def claim_next_due(uow: UnitOfWork) -> Claimed | None:
    """The most overdue open timer and its instance; SKIP LOCKED lets several workers share the work."""
    # Lock the timer and its instance together: a second due timer of an instance another worker is
    # advancing is skipped instead of waited for (no lock-order deadlock between workers). Strictly
    # before now, as the engine fires a timer only once its time has passed. One statement brings the
    # version and case too: firing is mostly round trips, so every saved one counts.
    row = uow.session.execute(
        select(Timer, ProcessInstance, ProcessVersion, Case)
        .join(ProcessInstance, ProcessInstance.id == Timer.instance_id)
        .join(ProcessVersion, ProcessVersion.id == ProcessInstance.process_version_id)
        .join(Case, Case.id == ProcessInstance.case_id)
        .where(Timer.status == OPEN, Timer.next_attempt_at < clock.now())
        .order_by(Timer.next_attempt_at).limit(1)
        .with_for_update(skip_locked=True, of=[Timer.__table__, ProcessInstance.__table__])).first()
    return Claimed(*row) if row is not None else None


def count_due(uow: UnitOfWork, *, limit: int) -> int:
    """Open timers due now, counted up to `limit` (an index range scan, also among a million open timers)."""
    due = (select(Timer.id).where(Timer.status == OPEN, Timer.next_attempt_at < clock.now())
           .limit(limit).subquery())
    return uow.session.scalar(select(func.count()).select_from(due)) or 0


def postpone_after_failure(uow: UnitOfWork, timer_id: str, error: str) -> None:
    """Retry a timer whose firing failed later, with exponential backoff (max 1 hour)."""
    row = uow.session.get(Timer, timer_id, with_for_update=True)
    if row is None or row.status != OPEN:
        return
    row.attempts += 1
    row.last_error = error[:2000]
    row.next_attempt_at = clock.now() + timedelta(seconds=min(2 ** row.attempts, 3600))


def open_deadlines(uow: UnitOfWork, *, team_id: int | None, case_id: str | None = None) -> list[tuple[Timer, Case]]:
    """Open breach timers (the deadlines themselves), earliest – so overdue – first; every team's for None."""
    stmt = (select(Timer, Case).join(Case, Case.id == Timer.case_id)
            .where(Timer.status == OPEN, Timer.kind == "frist"))
    if team_id is not None:
        stmt = stmt.where(Timer.team_id == team_id)
    if case_id is not None:
        stmt = stmt.where(Timer.case_id == case_id)
    return [(t, c) for t, c in uow.session.execute(stmt.order_by(Timer.due_at))]


def task_deadlines(uow: UnitOfWork, *, team_id: int, case_id: str | None = None) -> dict[str, Timer]:
    """Open task id → the deadline on it, also when already breached (the task is then still overdue)."""
    stmt = (select(HumanTask.id, Timer)
            .join(Timer, Timer.guards_task_id == HumanTask.scope_id)  # this round's deadline, not an earlier one's
            .where(HumanTask.team_id == team_id, HumanTask.status == TASK_OPEN, Timer.kind == "frist",
                   Timer.status.in_((OPEN, FIRED))))
    if case_id is not None:
        stmt = stmt.where(HumanTask.case_id == case_id)
    found: dict[str, Timer] = {}
    for task_id, timer in uow.session.execute(stmt.order_by(Timer.due_at.desc())):
        found[task_id] = timer  # the earliest wins
    return found


def pending_deadlines(uow: UnitOfWork, *, team_id: int, case_id: str | None = None) -> list[Timer]:
    """Deadlines still to meet: the open ones, and breached ones whose task is still open; earliest first."""
    timers = {t.id: t for t, _ in open_deadlines(uow, team_id=team_id, case_id=case_id)}
    timers |= {t.id: t for t in task_deadlines(uow, team_id=team_id, case_id=case_id).values()}
    return sorted(timers.values(), key=lambda t: t.due_at)


def due_timers(uow: UnitOfWork, *, within: timedelta) -> list[Timer]:
    return list(uow.session.scalars(select(Timer).where(
        Timer.status == OPEN, Timer.due_at <= clock.now() + within).order_by(Timer.due_at)))


def addressed_to(user: User) -> Any:
    """A team leader sees the whole team's notices; others their role's and their own."""
    return (Notification.team_id == user.team_id) & Notification.role.in_(
        ["raadgiver", "teamleder"] if user.role == "teamleder" else [user.role]) & (
        Notification.user_id.is_(None) | (Notification.user_id == user.id))


def notifications_for(uow: UnitOfWork, user: User, *, unread_only: bool = True) -> list[Notification]:
    """The user's notices, newest first. Unread ones only (the inbox) leave out warnings that have had their day:
    a warning is about a deadline ahead of a task still to be done, so once the task is done or the deadline has
    passed (the breach notice then speaks) it goes away by itself, unread or not."""
    stmt = select(Notification).where(addressed_to(user))
    if unread_only:
        stmt = stmt.where(*_unread())
    return list(uow.session.scalars(stmt.order_by(Notification.created_at.desc()).limit(200)))


def unread_summary(uow: UnitOfWork, user: User) -> tuple[int, int | None]:
    """How many unread notices the inbox shows, and the newest one's id: one aggregate, no rows loaded."""
    count, newest = uow.session.execute(select(func.count(Notification.id), func.max(Notification.id))
                                        .where(addressed_to(user), *_unread())).one()
    return count, newest


def _unread() -> tuple[Any, ...]:
    return Notification.read_at.is_(None), or_(Notification.kind != "advis", _warning_still_ahead())


def _warning_still_ahead() -> Any:
    """The warning's deadline is open (its task not done, not fired) and not yet due by the clock."""
    warning, deadline = aliased(Timer), aliased(Timer)
    return exists().where(
        warning.id == Notification.timer_id, deadline.instance_id == warning.instance_id,
        deadline.guards == warning.guards, deadline.deadline_id == warning.deadline_id, deadline.kind == "frist",
        deadline.status == OPEN, deadline.due_at > clock.now())


def mark_read(uow: UnitOfWork, user: User, notification_id: int) -> Notification:
    note = uow.session.scalar(select(Notification).where(Notification.id == notification_id, addressed_to(user)))
    if note is None:
        raise NotFound("Notifikationen findes ikke.")
    note.read_at = note.read_at or clock.now()
    return note


def _breach_of(uow: UnitOfWork, escalation: HumanTask) -> Timer | None:
    """The fired deadline a "Frist overskredet" task is about: same case and name, fired in the step that made it."""
    return uow.session.scalar(select(Timer).where(
        Timer.case_id == escalation.case_id, Timer.kind == "frist", Timer.status == FIRED,
        Timer.name == escalation.name, Timer.closed_at <= escalation.created_at + _SAME_STEP)
        .order_by(Timer.closed_at.desc()).limit(1))


_SAME_STEP = timedelta(seconds=1)  # the task's and the timer's times are read a moment apart in one step


def breached_task_done(uow: UnitOfWork, escalation: HumanTask) -> bool:
    """Whether the caseworker's task behind an escalation is already done (after its deadline)."""
    breach = _breach_of(uow, escalation)
    if breach is None or breach.guards_task_id is None:
        return False
    # Done when the covered work is: some task of it done and none still open (the decision done but the
    # investigation open is not done).
    statuses = set(uow.session.scalars(select(HumanTask.status).where(HumanTask.scope_id == breach.guards_task_id)))
    return bool(statuses) and TASK_OPEN not in statuses


def escalation_form(uow: UnitOfWork, task: HumanTask, form: dict[str, Any]) -> dict[str, Any]:
    """The "Frist overskredet" form with only the actions that still make sense.

    Once the late task is done there is nothing to reassign and no new date to agree: the team leader
    acknowledges the breach (kvittér). The same whether the breach fired before the completion or with it.
    """
    handling = form.get("properties", {}).get("handling", {})
    if task.form_key != ESCALATION_FORM or "kvitter" not in handling.get("enum", ()) \
            or not breached_task_done(uow, task):
        return form
    narrowed = copy.deepcopy(form)
    kept = {"handling", "bemaerkning"}
    narrowed["properties"] = {k: v for k, v in narrowed["properties"].items() if k in kept}
    narrowed["properties"]["handling"]["enum"] = ["kvitter"]
    narrowed.pop("allOf", None)
    narrowed["description"] = ("Fristen blev overskredet, og rådgiverens opgave er siden udført. "
                               "Kvittér for overskridelsen; en bemærkning kan tilføjes.")
    ui = narrowed.get("x-ui", {})
    if "order" in ui:
        ui["order"] = [k for k in ui["order"] if k in kept]
    labels = ui.get("labels", {}).get("handling")
    if isinstance(labels, dict):
        ui["labels"]["handling"] = {"kvitter": labels.get("kvitter", "Kvittér")}
    return narrowed


def check_escalation(uow: UnitOfWork, *, case: Case, data: dict[str, Any]) -> User | None:
    """Validate a 'Frist overskredet' answer before the engine sees it; returns the new caseworker, if any."""
    if data.get("handling") != "omfordel":
        return None
    user = uow.session.scalar(select(User).where(User.username == data.get("ny_raadgiver", "")))
    if user is None or not user.active or user.team_id != case.team_id or user.role != "raadgiver":
        raise ValidationFailed("Formularen er ikke udfyldt korrekt.", [FieldError(
            "ny_raadgiver", "«Ny rådgiver» skal være en aktiv rådgiver i sagens team.")])
    return user


def apply_escalation(uow: UnitOfWork, *, case: Case, actor: User, data: dict[str, Any],
                     new_caseworker: User | None) -> None:
    """Carry out the team leader's choice: reassign the case's open caseworker tasks, or record a new date."""
    if new_caseworker is not None:
        for task in uow.session.scalars(select(HumanTask).where(
                HumanTask.case_id == case.id, HumanTask.status == TASK_OPEN, HumanTask.role == "raadgiver")):
            task.claimed_by = new_caseworker.id
        journal.record(uow, case_id=case.id, actor_id=actor.id, action="omfordelt",
                       title=f"Sagens opgaver er omfordelt til {new_caseworker.full_name}")
        note = Notification(team_id=case.team_id, role="raadgiver", user_id=new_caseworker.id,
                            case_id=case.id, kind="omfordelt", created_at=clock.now(),
                            text=f"Du har fået opgaverne i sag {case.sagsnummer} (frist overskredet)")
        uow.session.add(note)
        email.queue_for(uow, note)
    elif data.get("handling") == "ny_dato":
        journal.record(uow, case_id=case.id, actor_id=actor.id, action="ny_dato_aftalt",
                       title=f"Ny dato aftalt: {data.get('ny_dato')} – {data.get('begrundelse', '')}")


def assign_escalations_after_step(uow: UnitOfWork, step: Step) -> None:
    """Engine follower: the "Frist overskredet" tasks the step opened go to the team leader on duty."""
    assign_escalations_on_duty(uow, case=step.case, tasks=step.created_tasks)


def follow_step(uow: UnitOfWork, step: Step) -> None:
    """Engine follower: timer rows follow the engine's waiting timers (breaches and warnings with them)."""
    sync_timers(uow, instance=step.instance, case=step.case, result=step.result)
