"""The cases behind one number of the ledelsesinformation: a KPI, optionally one team, caseworker or month, and
optionally one outcome. The list is made from the same facts as the number (facts.py), and each case in it is a
read of that case, journalled like every other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from service import clock
from service.access import service as access
from service.access.models import User
from service.cases.models import Case
from service.errors import FieldError, NotFound, ValidationFailed
from service.journal import service as journal
from service.ledelsesinformation import definitions, facts, opdeling
from service.ledelsesinformation import service as mi
from service.ledelsesinformation.definitions import KpiDefinition
from service.ledelsesinformation.facts import MET, MISSED, PENDING, Fact
from service.uow import UnitOfWork


@dataclass(frozen=True)
class DrillRow:
    case_id: str
    sagsnummer: str
    udfald: str
    udfald_tekst: str
    tidspunkt: datetime  # deadlines: when due; practice: when the form was completed
    frist: datetime | None
    udfoert_at: datetime | None
    forsinkelse_sekunder: int | None  # after the deadline (negative: before it); None for practice
    raadgiver_id: int | None
    raadgiver: str


@dataclass(frozen=True)
class Drilldown:
    definition: KpiDefinition
    fra: date
    til: date
    team_id: int | None
    efter: str | None
    noegle: str | None
    udfald: str | None
    sager: list[DrillRow]


def _lateness(fact: Fact, now: datetime) -> int | None:
    if fact.frist is None or fact.udfald == PENDING:
        return None
    if fact.udfald == MET:
        return None if fact.udfoert_at is None else int((fact.udfoert_at - fact.frist).total_seconds())
    return int(((fact.udfoert_at or now) - fact.frist).total_seconds())  # still not done: late until now


def drilldown(uow: UnitOfWork, user: User, *, kpi: str, fra: date, til: date, team_id: int | None = None,
              efter: str | None = None, noegle: str | None = None, udfald: str | None = None) -> Drilldown:
    """The cases behind one number: a KPI, optionally one team/caseworker/month, optionally one outcome. Each
    case listed is read by the user, so each gets a line in its journal (in the caller's transaction)."""
    definition = definitions.by_id().get(kpi)
    if definition is None or not definition.has_share:
        raise NotFound("Nøgletallet findes ikke.")
    problems = []
    if (efter is None) != (noegle is None):
        problems.append(FieldError("noegle", "«Opdel efter» og «nøgle» skal angives sammen."))
    if udfald is not None and udfald not in facts.OUTCOMES:
        problems.append(FieldError("udfald", "«Udfald» skal være opfyldt, ikke_opfyldt eller afventer."))
    if problems:
        # The reasons in the message too: the web page shows the message, the API each field as well.
        raise ValidationFailed(" ".join(["Udtrækket er ugyldigt."] + [p.message for p in problems]), problems)
    if efter is not None:
        opdeling.check_dimension(efter)
    team = mi.scope(user, team_id)
    start, end = mi.period_bounds(fra, til)
    source = facts.deadline_facts if definition.kilde == definitions.FRIST else facts.practice_facts
    chosen = [f for f in source(uow, start=start, end=end, team_id=team) if f.kpi == kpi
              and (efter is None or opdeling.key_of(efter)(f) == noegle) and (udfald is None or f.udfald == udfald)]
    cases = _cases(uow, {f.case_id for f in chosen})
    people = access.users_by_id(uow, {f.raadgiver_id for f in chosen if f.raadgiver_id is not None})
    now = clock.now()
    words = {MET: definition.opfyldt, MISSED: definition.ikke_opfyldt, PENDING: definition.afventer or "afventer"}
    rows = [DrillRow(f.case_id, cases[f.case_id].sagsnummer, f.udfald, words[f.udfald], f.at, f.frist, f.udfoert_at,
                     _lateness(f, now), f.raadgiver_id,
                     people[f.raadgiver_id].full_name if f.raadgiver_id in people else "Ingen rådgiver")
            for f in chosen]
    rows.sort(key=lambda r: (r.udfald != MISSED, -(r.forsinkelse_sekunder or 0), r.tidspunkt, r.sagsnummer))
    for case_id in sorted({r.case_id for r in rows}):
        journal.record(uow, case_id=case_id, actor_id=user.id, action="laest",
                       title=f"Sagen er vist i ledelsesinformationen ({definition.navn})")
    return Drilldown(definition, fra, til, team, efter, noegle, udfald, rows)


def _cases(uow: UnitOfWork, case_ids: set[str]) -> dict[str, Case]:
    found: dict[str, Case] = {}
    ordered = sorted(case_ids)
    for i in range(0, len(ordered), 500):
        found.update((c.id, c) for c in uow.session.scalars(select(Case).where(Case.id.in_(ordered[i:i + 500]))))
    return found
