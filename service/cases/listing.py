"""The case list as a query: next deadline, caseworker and markers in SQL, filtered, sorted and paged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from service import clock, paging
from service.access import service as access
from service.access.models import User
from service.cases import markers, phases, search
from service.cases.models import CLOSED, Case
from service.deadlines.models import FIRED, Timer
from service.deadlines.models import OPEN as TIMER_OPEN
from service.errors import Forbidden
from service.inbox.models import DONE, OPEN, HumanTask
from service.uow import UnitOfWork

SORTS = ("frist", "barn", "sag", "fase", "raadgiver", "oprettet")


@dataclass(frozen=True)
class CaseQuery:
    alle: bool = False  # closed cases too
    arkiverede: bool = False  # only archived cases (a search by those who may read them)
    mine: bool = False
    overskredet: bool = False
    fase: str | None = None
    markering: str | None = None
    q: str | None = None
    cpr: str | None = None  # only ever from a request body
    sorter: str = "frist"
    limit: int = paging.DEFAULT_LIMIT
    offset: int = 0


@dataclass(frozen=True)
class CaseRow:
    case: Case
    due: datetime | None
    owner_id: int | None
    markers: list[str]

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due <= clock.now()


def next_due() -> ColumnElement[datetime]:
    """The case's next deadline: an open one, or a breached one whose task is still open."""
    task = aliased(HumanTask)
    still_open = exists(select(task.id).where(task.scope_id == Timer.guards_task_id, task.status == OPEN))
    return (select(func.min(Timer.due_at)).where(
        Timer.case_id == Case.id, Timer.kind == "frist", Timer.status.in_((TIMER_OPEN, FIRED)),
        or_(Timer.status == TIMER_OPEN, still_open)).correlate(Case).scalar_subquery())


def owner() -> ColumnElement[int]:
    """Its caseworker: whoever holds its open caseworker task, else whoever last did one."""
    held, done = aliased(HumanTask), aliased(HumanTask)
    holder = (select(held.claimed_by).where(held.case_id == Case.id, held.status == OPEN, held.role == "raadgiver",
                                            held.claimed_by.is_not(None))
              .order_by(held.created_at, held.id).limit(1).correlate(Case).scalar_subquery())
    last = (select(done.completed_by).where(done.case_id == Case.id, done.status == DONE, done.role == "raadgiver",
                                            done.completed_by.is_not(None))
            .order_by(done.completed_at.desc(), done.created_at.desc()).limit(1).correlate(Case).scalar_subquery())
    return func.coalesce(holder, last)


def _filtered(stmt: Select, user: User, query: CaseQuery, due: ColumnElement, owner_id: ColumnElement) -> Select:
    if not access.reads_all_teams(user):  # a head of department reads every team's cases
        stmt = stmt.where(Case.team_id == user.team_id)
    if query.arkiverede:
        stmt = stmt.where(Case.arkiveret_at.is_not(None))
    else:  # archived cases are out of the daily lists (domain.md §7)
        stmt = stmt.where(Case.arkiveret_at.is_(None))
        if not query.alle:
            stmt = stmt.where(Case.status != CLOSED)
    if query.mine:
        stmt = stmt.where(owner_id == user.id)
    if query.overskredet:
        stmt = stmt.where(due <= clock.now())
    return stmt.where(*search.conditions(query))


def _sort_columns(due: ColumnElement, owner_id: ColumnElement) -> dict[str, list[ColumnElement]]:
    owner_name = select(User.full_name).where(User.id == owner_id).scalar_subquery()
    return {"frist": [paging.nulls_last(due), due, Case.opened_at, Case.id],
            "barn": [func.lower(Case.child_name), Case.sagsnummer],
            "sag": [Case.sagsnummer],
            "fase": [phases.sort_key(Case.phase), Case.phase, Case.sagsnummer],
            "raadgiver": [paging.nulls_last(owner_name), owner_name, Case.sagsnummer],
            "oprettet": [Case.opened_at, Case.id]}


def list_cases(uow: UnitOfWork, user: User, query: CaseQuery) -> paging.Page[CaseRow]:
    if not access.may_do_casework(user) and not access.reads_all_teams(user):
        return paging.Page([], 0, query.limit, query.offset)
    if query.arkiverede and not access.may_read_archived(user, user.team_id or 0):
        raise Forbidden("Kun teamledere og afdelingsledere kan søge i arkiverede sager.")
    due, owner_id = next_due(), owner()
    order = paging.order_by(query.sorter, _sort_columns(due, owner_id))
    total = paging.count(uow.session, _filtered(select(Case.id), user, query, due, owner_id))
    stmt = _filtered(select(Case, due.label("due"), owner_id.label("owner_id"), *markers.columns()),
                     user, query, due, owner_id)
    rows = uow.session.execute(stmt.order_by(*order).limit(query.limit).offset(query.offset))
    return paging.Page([CaseRow(r.Case, r.due, r.owner_id, markers.of_row(r)) for r in rows],
                       total, query.limit, query.offset)


def search_cases(uow: UnitOfWork, user: User, query: CaseQuery) -> paging.Page[CaseRow]:
    """A search sent in a request body; a CPR search is journalled as a read on every case it matched."""
    page = list_cases(uow, user, query)
    if query.cpr and (access.may_do_casework(user) or access.reads_all_teams(user)):
        matched = _filtered(select(Case.id), user, query, next_due(), owner())
        search.journal_cpr_search(uow, user, set(uow.session.scalars(matched)))
    return page
