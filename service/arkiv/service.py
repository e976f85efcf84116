"""Retention (domain.md §7): a closed case is archived a configurable period after it closed.

Archived means read-only (cases.service.visible_case refuses every change with 409, and a database trigger refuses
an UPDATE of the row), out of the case lists and the inbox, and readable and searchable only by the team's leader
and heads of department (access.may_read_archived). Nothing is deleted: the case, its notes, letters, documents and
its journal (every read and write, the access log a citizen may ask for) stay as they were, for good, which is at
least as long as the law asks (6 months for the access log).

IT archives from the command line (`sagsflow arkiv vis|udfoer`, e.g. nightly from cron), each case in its own
transaction; the page /arkiv shows team leaders and heads of department what is due and what was archived.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import Select, select
from sqlalchemy.orm import sessionmaker

from service import clock
from service.access import service as access
from service.access.models import User
from service.cases.models import CLOSED, Case
from service.errors import Forbidden
from service.journal import service as journal
from service.uow import UnitOfWork

ACTION = "sag_arkiveret"


def cutoff(months: int, now: datetime | None = None) -> datetime:
    """Cases closed at or before this moment are due (calendar months back, clamped to the month's end)."""
    return (now or clock.now()) - relativedelta(months=months)


def due_for_archiving(months: int, now: datetime | None = None) -> Select[tuple[Case]]:
    return (select(Case).where(Case.status == CLOSED, Case.arkiveret_at.is_(None),
                               Case.closed_at <= cutoff(months, now))
            .order_by(Case.closed_at, Case.id))


def due(uow: UnitOfWork, *, months: int, team_id: int | None = None, limit: int | None = None) -> list[Case]:
    stmt = due_for_archiving(months)
    if team_id is not None:
        stmt = stmt.where(Case.team_id == team_id)
    return list(uow.session.scalars(stmt.limit(limit)))


def archive_one(uow: UnitOfWork, case_id: str, *, months: int, actor: User | None = None) -> Case | None:
    """Archive the case if it is (still) due; None if it is not (reopened meanwhile, archived by another run)."""
    case = uow.session.scalar(due_for_archiving(months).where(Case.id == case_id).with_for_update())
    if case is None:
        return None
    case.arkiveret_at = clock.now()
    case.arkiveret_af = actor.id if actor else None
    journal.record(uow, case_id=case.id, actor_id=case.arkiveret_af, action=ACTION,
                   title=f"Sagen er arkiveret ({months} måneder efter afslutningen)",
                   data={"afsluttet": case.closed_at.isoformat() if case.closed_at else None,
                         "arkivering_efter_maaneder": months})
    return case


def archive_due(session_factory: sessionmaker, *, months: int, actor: User | None = None,
                batch: int = 500) -> list[str]:
    """Archive every case due, each in its own transaction (one failure does not hold up the rest); returns the
    sagsnumre archived. Run again: a case archived already is not due any more."""
    done: list[str] = []
    with UnitOfWork(session_factory) as uow:
        ids = [c.id for c in due(uow, months=months, limit=batch)]
    for case_id in ids:
        with UnitOfWork(session_factory) as uow:
            case = archive_one(uow, case_id, months=months, actor=actor)
            if case is not None:
                number = case.sagsnummer
                uow.commit()
                done.append(number)
    return done


@dataclass(frozen=True)
class Overview:
    months: int
    cutoff: datetime
    due: list[Case]
    archived: list[Case]  # the latest archived, newest first


def may_see_archive(user: User) -> bool:
    return user.role == "teamleder" and user.team_id is not None or access.reads_all_teams(user)


def overview(uow: UnitOfWork, user: User, *, months: int, limit: int = 200) -> Overview:
    """What is due for archiving and what was archived lately: a team leader's own team, all teams for a head of
    department. Names and case numbers only (no CPR, no content), so the listing reads no case."""
    if not may_see_archive(user):
        raise Forbidden("Kun teamledere og afdelingsledere kan se, hvad der skal arkiveres.")
    team_id = None if access.reads_all_teams(user) else user.team_id
    archived = select(Case).where(Case.arkiveret_at.is_not(None))
    if team_id is not None:
        archived = archived.where(Case.team_id == team_id)
    return Overview(months, cutoff(months), due(uow, months=months, team_id=team_id, limit=limit),
                    list(uow.session.scalars(archived.order_by(Case.arkiveret_at.desc(), Case.id).limit(limit))))
