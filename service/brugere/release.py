"""What follows when a user may no longer work as before: claimed tasks handed back to the team."""

from __future__ import annotations

from sqlalchemy import select

from service import clock
from service.access import service as access
from service.access.models import User
from service.brugere.changes import Actor
from service.cases.models import Case
from service.deadlines.models import Notification
from service.inbox.models import OPEN, HumanTask
from service.journal import service as journal
from service.uow import UnitOfWork


def release_tasks_no_longer_theirs(uow: UnitOfWork, actor: Actor, user: User, reason: str) -> list[HumanTask]:
    """Open tasks the user has taken but may no longer do (deactivated, another team, another role) become free
    in their team, journalled on the case, with a notice to the team's leaders to hand them out."""
    released = []
    claimed = uow.session.scalars(select(HumanTask).where(HumanTask.claimed_by == user.id, HumanTask.status == OPEN)
                                  .order_by(HumanTask.created_at, HumanTask.id).with_for_update())
    for task in claimed:
        if user.active and access.may_take_task(user, team_id=task.team_id, role=task.role):
            continue
        task.claimed_by = None
        released.append(task)
        journal.record(uow, case_id=task.case_id, actor_id=actor.user_id, action="opgave_frigivet",
                       title=f"Opgaven «{task.name}» frigivet: {user.full_name} {reason}", task_id=task.id,
                       data={"af": actor.label, "bruger_id": user.id})
    now = clock.now()
    by_case: dict[str, list[HumanTask]] = {}
    for task in released:
        by_case.setdefault(task.case_id, []).append(task)
    numbers = dict(uow.session.execute(select(Case.id, Case.sagsnummer).where(Case.id.in_(by_case))).all()) \
        if by_case else {}
    for case_id, tasks in by_case.items():
        names = ", ".join(f"«{t.name}»" for t in tasks)
        uow.session.add(Notification(
            team_id=tasks[0].team_id, role="teamleder", user_id=None, case_id=case_id, kind="frigivet",
            created_at=now, text=(f"{names} i sag {numbers[case_id]} er frigivet, da {user.full_name} {reason}. "
                                  "Fordel opgaven i teamet.")[:500]))
    return released
