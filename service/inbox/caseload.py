"""Caseload per caseworker: who carries which open cases in a team (for the team leader)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from service.access import service as access
from service.access.models import User
from service.cases.models import OPEN as CASE_OPEN
from service.cases.models import Case
from service.inbox.models import DONE, OPEN, HumanTask
from service.uow import UnitOfWork


@dataclass(frozen=True)
class Caseload:
    user: User
    cases: int
    open_tasks: int


@dataclass(frozen=True)
class TeamCaseload:
    rows: list[Caseload]
    unassigned: int  # open cases nobody has taken or worked on yet


def case_owners(uow: UnitOfWork, team_id: int) -> dict[str, int]:
    """Open case id → its caseworker: whoever holds its open caseworker task, else whoever last did one."""
    tasks = uow.session.execute(
        select(HumanTask.case_id, HumanTask.status, HumanTask.claimed_by, HumanTask.completed_by)
        .join(Case, Case.id == HumanTask.case_id)
        .where(Case.team_id == team_id, Case.status == CASE_OPEN, HumanTask.role == "raadgiver")
        .order_by(HumanTask.case_id, HumanTask.completed_at, HumanTask.created_at))
    holder: dict[str, int] = {}
    last_worker: dict[str, int] = {}
    for case_id, status, claimed_by, completed_by in tasks:
        if status == OPEN and claimed_by is not None:
            holder.setdefault(case_id, claimed_by)
        elif status == DONE and completed_by is not None:
            last_worker[case_id] = completed_by
    return {**last_worker, **holder}


def team_caseload(uow: UnitOfWork, team_id: int) -> TeamCaseload:
    owners = case_owners(uow, team_id)
    cases: dict[int, int] = {}
    for owner in owners.values():
        cases[owner] = cases.get(owner, 0) + 1
    open_tasks: dict[int, int] = {}
    for claimed_by in uow.session.scalars(select(HumanTask.claimed_by).where(
            HumanTask.team_id == team_id, HumanTask.status == OPEN, HumanTask.role == "raadgiver",
            HumanTask.claimed_by.is_not(None))):
        open_tasks[claimed_by] = open_tasks.get(claimed_by, 0) + 1
    open_case_ids = set(uow.session.scalars(select(Case.id).where(Case.team_id == team_id,
                                                                  Case.status == CASE_OPEN)))
    people = access.caseworkers(uow, team_id)
    people += access.users_by_id(uow, set(cases) - {u.id for u in people}).values()  # e.g. a team leader
    rows = [Caseload(u, cases.get(u.id, 0), open_tasks.get(u.id, 0)) for u in people]
    return TeamCaseload(rows, len(open_case_ids - owners.keys()))
