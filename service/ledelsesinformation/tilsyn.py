"""Ledelsestilsyn (domain §6): each month one randomly drawn open case per caseworker, reviewed by a team leader
against the points management steers by. The draw is stored, so it is the same for everyone and auditable."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from service import clock
from service.access import service as access
from service.access.models import User
from service.cases.models import Case
from service.deadlines.models import FIRED, Timer
from service.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from service.inbox import caseload
from service.journal import service as journal
from service.ledelsesinformation import definitions
from service.ledelsesinformation import service as mi
from service.ledelsesinformation.models import Stikproeve
from service.uow import UnitOfWork

NOTE_TOO_SHORT = "Skriv kort, hvad gennemgangen viste (mindst 3 tegn)."
VERDICTS = {"i_orden": "I orden", "opfoelgning": "Kræver opfølgning"}
MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")


@dataclass(frozen=True)
class Point:
    text: str
    ok: bool | None  # None: does not apply to the case yet


@dataclass(frozen=True)
class Sample:
    row: Stikproeve
    case: Case
    caseworker: User
    points: list[Point]


def month_name(month: date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def _leader(user: User) -> None:
    if user.role != "teamleder" or user.team_id is None:
        raise Forbidden("Kun en teamleder kan udføre ledelsestilsyn.")


def draw(uow: UnitOfWork, user: User, month: date) -> list[Sample]:
    """Draw the month's cases, one per caseworker with open cases; a month already drawn keeps its draw."""
    _leader(user)
    month = month.replace(day=1)
    existing = samples(uow, user, month)
    if existing:
        return existing
    by_caseworker: dict[int, list[str]] = {}
    for case_id, owner in caseload.case_owners(uow, user.team_id).items():
        by_caseworker.setdefault(owner, []).append(case_id)
    now = clock.now()
    for person in access.caseworkers(uow, user.team_id):
        cases = sorted(by_caseworker.get(person.id, []))
        if not cases:
            continue
        case_id = secrets.choice(cases)  # unpredictable: a caseworker cannot tidy one case in advance
        uow.session.add(Stikproeve(team_id=user.team_id, maaned=month, raadgiver_id=person.id, case_id=case_id,
                                   udtrukket_at=now, udtrukket_af=user.id))
        journal.record(uow, case_id=case_id, actor_id=user.id, action="ledelsestilsyn_udtrukket",
                       title=f"Udtrukket til ledelsestilsyn for {month_name(month)}")
    uow.session.flush()
    return samples(uow, user, month)


def samples(uow: UnitOfWork, user: User, month: date) -> list[Sample]:
    _leader(user)
    rows = uow.session.execute(
        select(Stikproeve, Case, User).join(Case, Case.id == Stikproeve.case_id)
        .join(User, User.id == Stikproeve.raadgiver_id)
        .where(Stikproeve.team_id == user.team_id, Stikproeve.maaned == month.replace(day=1))
        .order_by(User.full_name)).all()
    return [Sample(row, case, person, points(uow, case)) for row, case, person in rows]


def points(uow: UnitOfWork, case: Case) -> list[Point]:
    """What the review looks at: missed deadlines, the plan before the decision, the talk with the child, the network
    meeting in the BFU, the child from 8 at the follow-up meetings."""
    missed = list(uow.session.scalars(select(Timer.name).where(
        Timer.case_id == case.id, Timer.kind == "frist", Timer.status == FIRED).order_by(Timer.due_at)))
    entries = mi.completed_forms(uow, before=clock.now(), case_id=case.id)
    counts = mi.practice(entries, births=mi.births(uow, entries))
    plan_first, talk = counts[definitions.PLAN_FIRST], counts[definitions.TALK]
    network, child = counts[definitions.NETWORK], counts[definitions.CHILD_AT_FOLLOW_UP]
    return [
        Point("Ingen overskredne frister" if not missed else
              "Overskredne frister: " + ", ".join(n.removeprefix("Frist overskredet: ") for n in missed), not missed),
        Point("Barnets plan forelå før afgørelsen" if not plan_first[1] else "Afgørelse uden barnets plan forinden",
              None if not sum(plan_first) else not plan_first[1]),
        Point("Børnesamtale afholdt i BFU'en" if not talk[1] else "BFU uden børnesamtale",
              None if not sum(talk) else not talk[1]),
        Point("Netværksmøde holdt i BFU'en" if not network[1] else "BFU uden netværksmøde",
              None if not sum(network) else not network[1]),
        Point(f"Barnet (fra {definitions.CHILD_FROM_AGE} år) deltog i opfølgningsmøderne" if not child[1]
              else f"Opfølgning uden barnet (fra {definitions.CHILD_FROM_AGE} år)",
              None if not sum(child) else not child[1]),
    ]


def review(uow: UnitOfWork, user: User, sample_id: int, *, verdict: str, note: str) -> Stikproeve:
    """The team leader records the review: a verdict and what was found; journalled on the case."""
    _leader(user)
    row = uow.session.get(Stikproeve, sample_id, with_for_update=True)
    if row is None or row.team_id != user.team_id:
        raise NotFound("Stikprøven findes ikke.")
    problems = []
    if verdict not in VERDICTS:
        problems.append(FieldError("maerke", "Vælg «I orden» eller «Kræver opfølgning»."))
    if len(note.strip()) < 3:
        problems.append(FieldError("bemaerkning", NOTE_TOO_SHORT))
    if problems:
        raise ValidationFailed("Gennemgangen kan ikke gemmes.", problems)
    if row.gennemgaaet_at is not None:
        raise Conflict("Stikprøven er allerede gennemgået.")
    row.gennemgaaet_at, row.gennemgaaet_af = clock.now(), user.id
    row.maerke, row.bemaerkning = verdict, note.strip()
    journal.record(uow, case_id=row.case_id, actor_id=user.id, action="ledelsestilsyn_gennemgaaet",
                   title=f"Ledelsestilsyn for {month_name(row.maaned)}: {VERDICTS[verdict]}",
                   data={"bemaerkning": row.bemaerkning})
    return row
