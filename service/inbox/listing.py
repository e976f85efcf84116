"""The inbox as a query: filters, sorting and paging in SQL, search by name, case number or CPR."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from service import clock, paging
from service.access import service as access
from service.access.models import User
from service.cases import markers, phases, search
from service.cases.models import Case
from service.deadlines.models import FIRED, Timer
from service.deadlines.models import OPEN as TIMER_OPEN
from service.inbox.models import OPEN, HumanTask
from service.uow import UnitOfWork

ESCALATION_FORM = "frist_overskredet"  # the team leader's task when a deadline is breached
SCOPES = ("team", "mine", "ledige", "alle")
SORTS = ("frist", "opgave", "barn", "sag", "fase", "oprettet")


@dataclass(frozen=True)
class TaskQuery:
    scope: str = "team"  # team: mine and the free ones; mine; ledige (free); alle: the whole team's
    rolle: str | None = None
    overskredet: bool = False
    fase: str | None = None
    opgavetype: str | None = None  # the task's name
    markering: str | None = None
    q: str | None = None  # name or case number
    cpr: str | None = None  # a normalised CPR number, only ever from a request body
    eskalationer: bool = False  # only the team leader's breached-deadline tasks (her desk's own section)
    sorter: str = "frist"
    limit: int = paging.DEFAULT_LIMIT
    offset: int = 0


@dataclass(frozen=True)
class TaskRow:
    task: HumanTask
    case: Case
    due: datetime | None
    markers: list[str]

    @property
    def escalation(self) -> bool:
        return self.task.form_key == ESCALATION_FORM

    @property
    def overdue(self) -> bool:
        return self.escalation or (self.due is not None and self.due <= clock.now())


def task_due() -> ColumnElement[datetime]:
    """The deadline on an open task (or its subprocess), also when already breached; this round's, not an earlier
    one's of a loop."""
    return (select(func.min(Timer.due_at)).where(
        Timer.guards_task_id == HumanTask.scope_id, Timer.kind == "frist", Timer.status.in_((TIMER_OPEN, FIRED)))
        .correlate(HumanTask).scalar_subquery())


def _roles(user: User) -> list[str]:
    return ["raadgiver", "teamleder"] if user.role == "teamleder" else [user.role]


def _filtered(stmt: Select, user: User, query: TaskQuery, due: ColumnElement) -> Select:
    roles = [r for r in _roles(user) if query.rolle in (None, r)]
    stmt = stmt.where(HumanTask.team_id == user.team_id, HumanTask.status == OPEN, HumanTask.role.in_(roles))
    if query.scope == "mine":
        stmt = stmt.where(HumanTask.claimed_by == user.id)
    elif query.scope == "ledige":
        stmt = stmt.where(HumanTask.claimed_by.is_(None))
    elif query.scope == "team":
        stmt = stmt.where(or_(HumanTask.claimed_by.is_(None), HumanTask.claimed_by == user.id))
    if query.overskredet:
        stmt = stmt.where(or_(HumanTask.form_key == ESCALATION_FORM, due <= clock.now()))
    if query.eskalationer:
        stmt = stmt.where(HumanTask.form_key == ESCALATION_FORM)
    if query.opgavetype:
        stmt = stmt.where(HumanTask.name == query.opgavetype)
    return stmt.where(*search.conditions(query))


def _sort_columns(due: ColumnElement) -> dict[str, list[ColumnElement]]:
    # Overdue first, then the soonest deadline: an escalation is a breached deadline waiting for a decision.
    escalation_first = (HumanTask.form_key != ESCALATION_FORM)
    return {"frist": [escalation_first, paging.nulls_last(due), due, HumanTask.created_at, HumanTask.id],
            "opgave": [HumanTask.name, HumanTask.created_at, HumanTask.id],
            "barn": [func.lower(Case.child_name), Case.sagsnummer, HumanTask.created_at, HumanTask.id],
            "sag": [Case.sagsnummer, HumanTask.created_at, HumanTask.id],
            "fase": [phases.sort_key(Case.phase), Case.phase, Case.sagsnummer, HumanTask.id],
            "oprettet": [HumanTask.created_at, HumanTask.id]}


def list_tasks(uow: UnitOfWork, user: User, query: TaskQuery) -> paging.Page[TaskRow]:
    """One page of the open tasks the user's role may take in her team, with the total matching."""
    if not access.may_do_casework(user):
        return paging.Page([], 0, query.limit, query.offset)
    due = task_due()
    order = paging.order_by(query.sorter, _sort_columns(due))
    base = select(HumanTask.id).join(Case, Case.id == HumanTask.case_id)
    total = paging.count(uow.session, _filtered(base, user, query, due))
    stmt = _filtered(select(HumanTask, Case, due.label("due"), *markers.columns())
                     .join(Case, Case.id == HumanTask.case_id), user, query, due)
    rows = uow.session.execute(stmt.order_by(*order).limit(query.limit).offset(query.offset))
    return paging.Page([TaskRow(r.HumanTask, r.Case, r.due, markers.of_row(r)) for r in rows],
                       total, query.limit, query.offset)


def count_tasks(uow: UnitOfWork, user: User, *, scope: str = "team") -> int:
    """The inbox badge: a SQL count on the open-task index, no rows loaded."""
    if not access.may_do_casework(user):
        return 0
    return paging.count(uow.session, _filtered(select(HumanTask.id), user, TaskQuery(scope=scope), task_due()))


def badge(uow: UnitOfWork, user: User) -> tuple[int, datetime | None]:
    """The badge's count and the newest of those tasks' creation: one aggregate, so a poll can tell a new task
    from the same number after one done and one come."""
    if not access.may_do_casework(user):
        return 0, None
    stmt = _filtered(select(func.count(HumanTask.id), func.max(HumanTask.created_at)), user, TaskQuery(), task_due())
    count, newest = uow.session.execute(stmt).one()
    return count, newest


def search_tasks(uow: UnitOfWork, user: User, query: TaskQuery) -> paging.Page[TaskRow]:
    """A search sent in a request body; a CPR search is journalled as a read on every case it matched."""
    page = list_tasks(uow, user, query)
    if query.cpr and access.may_do_casework(user):
        matched = _filtered(select(HumanTask.case_id).join(Case, Case.id == HumanTask.case_id), user, query,
                            task_due())
        search.journal_cpr_search(uow, user, set(uow.session.scalars(matched)))
    return page


def choices(uow: UnitOfWork, user: User) -> tuple[list[str], list[str]]:
    """The task names and case phases among the team's open tasks, for the inbox's filter menus."""
    if not access.may_do_casework(user):
        return [], []
    open_tasks = (HumanTask.team_id == user.team_id, HumanTask.status == OPEN, HumanTask.role.in_(_roles(user)))
    kinds = uow.session.scalars(select(HumanTask.name).where(*open_tasks).distinct().order_by(HumanTask.name))
    found = uow.session.scalars(select(Case.phase).join(HumanTask, HumanTask.case_id == Case.id)
                                .where(*open_tasks).distinct())
    return list(kinds), phases.in_order(found)  # in the case's order, not the alphabet's
