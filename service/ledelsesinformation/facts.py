"""The counted events behind every KPI with a share: one fact per deadline or per decision/BFU.

Breakdowns (per team, caseworker, month) and drill-downs are both made from these facts, so the list of cases
behind a number is the number. The definitions of what counts are in definitions.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from service import clock
from service.cases.models import Case
from service.deadlines import catalogue
from service.deadlines.calendar import COPENHAGEN
from service.deadlines.models import FIRED, GONE, Timer
from service.inbox.models import HumanTask
from service.ledelsesinformation import definitions
from service.ledelsesinformation import service as mi
from service.uow import UnitOfWork

MET, MISSED, PENDING = "opfyldt", "ikke_opfyldt", "afventer"
OUTCOMES = (MET, MISSED, PENDING)
_CHUNK = 500  # ids per IN (...) list: well under every driver's parameter limit


@dataclass(frozen=True)
class Fact:
    kpi: str
    case_id: str
    team_id: int
    raadgiver_id: int | None
    maaned: date  # the first day of the Danish month the fact falls in
    udfald: str  # MET, MISSED or PENDING
    at: datetime  # deadlines: when due; practice: when the form was completed
    frist: datetime | None = None  # deadlines only: the due time
    udfoert_at: datetime | None = None  # deadlines only: when the guarded task was done, if it was


def month_of(moment: datetime) -> date:
    return moment.astimezone(COPENHAGEN).date().replace(day=1)


def deadline_facts(uow: UnitOfWork, *, start: datetime, end: datetime, team_id: int | None) -> list[Fact]:
    """One fact per breach timer due in [start, end): read through the partial index on due time (ix_timers_mi),
    never the timers of every year; the guarded task says who had it and when it was done."""
    kpis = {rule.id for rule in definitions.counted_deadlines(catalogue.current().rules)}
    task = aliased(HumanTask)
    # The guarded task is the newest the deadline covers this round (a task worked again after a return from
    # visitation gets a new row and a new timer; a deadline over decision and investigation is the latter's).
    guarded = (select(task.id).where(task.scope_id == Timer.guards_task_id)
               .order_by(task.created_at.desc(), task.id.desc()).limit(1).correlate(Timer).scalar_subquery())
    stmt = (select(Timer.deadline_id, Timer.case_id, Timer.team_id, Timer.due_at, Timer.status, guarded)
            .where(mi.IS_DEADLINE, Timer.due_at >= start, Timer.due_at < end, Timer.deadline_id.in_(kpis)))
    if team_id is not None:
        stmt = stmt.where(Timer.team_id == team_id)
    rows = uow.session.execute(stmt).all()
    tasks = _tasks(uow, {row[5] for row in rows if row[5] is not None})
    now = clock.now()
    facts = []
    for deadline_id, case_id, team, due_at, status, task_id in rows:
        claimed_by, completed_by, completed_at = tasks.get(task_id, (None, None, None))
        # Due this very second is not yet late: the engine breaches strictly after the due time.
        outcome = MET if status == GONE else MISSED if status == FIRED or due_at < now else PENDING
        facts.append(Fact(deadline_id, case_id, team, completed_by or claimed_by, month_of(due_at), outcome,
                          due_at, frist=due_at, udfoert_at=completed_at))
    return facts


def _tasks(uow: UnitOfWork, ids: set[str]) -> dict[str, tuple[int | None, int | None, datetime | None]]:
    found: dict[str, tuple[int | None, int | None, datetime | None]] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), _CHUNK):
        for task_id, claimed_by, completed_by, completed_at in uow.session.execute(
                select(HumanTask.id, HumanTask.claimed_by, HumanTask.completed_by, HumanTask.completed_at)
                .where(HumanTask.id.in_(ordered[i:i + _CHUNK]))):
            found[task_id] = (claimed_by, completed_by, completed_at)
    return found


def practice_facts(uow: UnitOfWork, *, start: datetime, end: datetime, team_id: int | None) -> list[Fact]:
    """One fact per granting or acute decision, per BFU and per follow-up (child from 8) completed in [start, end)."""
    entries = mi.practice_forms_in_period(uow, start=start, end=end, team_id=team_id)
    events = mi.practice_events(entries, start, mi.births(uow, entries))
    teams = _case_teams(uow, {e.entry.case_id for e in events})
    return [Fact(e.kpi, e.entry.case_id, teams[e.entry.case_id], e.raadgiver_id, month_of(e.entry.at),
                 MET if e.met else MISSED, e.entry.at) for e in events]


def _case_teams(uow: UnitOfWork, case_ids: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    ordered = sorted(case_ids)
    for i in range(0, len(ordered), _CHUNK):
        for case_id, team in uow.session.execute(
                select(Case.id, Case.team_id).where(Case.id.in_(ordered[i:i + _CHUNK]))):
            found[case_id] = team
    return found


def all_facts(uow: UnitOfWork, *, start: datetime, end: datetime, team_id: int | None) -> list[Fact]:
    return (deadline_facts(uow, start=start, end=end, team_id=team_id)
            + practice_facts(uow, start=start, end=end, team_id=team_id))
