"""Every KPI with a share per team, per caseworker or per month, each value beside its target. Made from the same
facts as the drill-down (facts.py), so a number and the list of cases behind it agree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from service.access import service as access
from service.access.models import Team, User
from service.errors import FieldError, ValidationFailed
from service.ledelsesinformation import definitions, facts
from service.ledelsesinformation import service as mi
from service.ledelsesinformation.definitions import KpiDefinition
from service.ledelsesinformation.facts import MET, MISSED, PENDING, Fact
from service.uow import UnitOfWork

DIMENSIONS = {"team": "Team", "raadgiver": "Rådgiver", "maaned": "Måned"}
NOBODY = "ingen"  # the caseworker key of a deadline whose task nobody had taken
MONTHS_DA = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
             "november", "december")


@dataclass(frozen=True)
class Cell:
    noegle: str
    opfyldt: int
    ikke_opfyldt: int
    afventer: int
    maal: int | None

    @property
    def antal(self) -> int:
        return self.opfyldt + self.ikke_opfyldt + self.afventer

    @property
    def andel(self) -> float | None:
        return mi.share_of(self.opfyldt, self.opfyldt + self.ikke_opfyldt)

    @property
    def maal_naaet(self) -> bool | None:
        return mi.target_met(self.maal, self.andel)


@dataclass(frozen=True)
class Column:
    noegle: str
    navn: str


@dataclass(frozen=True)
class KpiRow:
    definition: KpiDefinition
    i_alt: Cell
    celler: list[Cell]  # one per column, in the columns' order


@dataclass(frozen=True)
class Breakdown:
    efter: str
    fra: date
    til: date
    team_id: int | None
    kolonner: list[Column]
    noegletal: list[KpiRow]


def check_dimension(efter: str) -> None:
    if efter not in DIMENSIONS:
        raise ValidationFailed("Opdelingen er ugyldig.", [FieldError(
            "efter", "«Opdel efter» skal være team, raadgiver eller maaned.")])


def month_key(month: date) -> str:
    return f"{month:%Y-%m}"


def month_name(month: date) -> str:
    return f"{MONTHS_DA[month.month - 1]} {month.year}"


def key_of(efter: str) -> Callable[[Fact], str]:
    if efter == "team":
        return lambda f: str(f.team_id)
    if efter == "raadgiver":
        return lambda f: str(f.raadgiver_id) if f.raadgiver_id is not None else NOBODY
    return lambda f: month_key(f.maaned)


def _months(fra: date, til: date) -> list[date]:
    months, month = [], fra.replace(day=1)
    while month <= til:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _columns(uow: UnitOfWork, efter: str, team: int | None, fra: date, til: date,
             found: list[Fact]) -> list[Column]:
    if efter == "maaned":
        return [Column(month_key(m), month_name(m)) for m in _months(fra, til)]
    if efter == "team":
        ids = {f.team_id for f in found}
        stmt = select(Team).order_by(Team.navn)
        stmt = stmt.where(Team.id == team) if team is not None else stmt.where(Team.active.is_(True) | Team.id.in_(ids))
        return [Column(str(t.id), t.navn) for t in uow.session.scalars(stmt)]
    # Every caseworker of the team(s), also one with nothing in the period, and whoever the facts name.
    people: dict[int, User] = {}
    stmt = select(User).where(User.role == "raadgiver", User.active.is_(True))
    if team is not None:
        stmt = stmt.where(User.team_id == team)
    people.update((u.id, u) for u in uow.session.scalars(stmt))
    named = {f.raadgiver_id for f in found if f.raadgiver_id is not None}
    people.update(access.users_by_id(uow, named - people.keys()))
    columns = [Column(str(u.id), u.full_name) for u in sorted(people.values(), key=lambda u: u.full_name)]
    if any(f.raadgiver_id is None for f in found):
        columns.append(Column(NOBODY, "Ingen rådgiver (opgaven ikke taget)"))
    return columns


def column_name(uow: UnitOfWork, efter: str, noegle: str) -> str:
    """The heading of one column of a breakdown (for the drill-down's title)."""
    if efter == "maaned":
        try:
            return month_name(date.fromisoformat(f"{noegle}-01"))
        except ValueError:
            return noegle
    if noegle == NOBODY or not noegle.isdigit():
        return "Ingen rådgiver" if noegle == NOBODY else noegle
    row = uow.session.get(Team if efter == "team" else User, int(noegle))
    return noegle if row is None else row.navn if isinstance(row, Team) else row.full_name


def _cell(key: str, of: list[Fact], target: int | None) -> Cell:
    counts = {MET: 0, MISSED: 0, PENDING: 0}
    for fact in of:
        counts[fact.udfald] += 1
    return Cell(key, counts[MET], counts[MISSED], counts[PENDING], target)


def breakdown(uow: UnitOfWork, user: User, *, efter: str, fra: date, til: date,
              team_id: int | None = None) -> Breakdown:
    """Each KPI with a share, per team, caseworker or month of the period: a team leader's team only; a head of
    department every team side by side (or one)."""
    check_dimension(efter)
    team = mi.scope(user, team_id)
    start, end = mi.period_bounds(fra, til)
    found = facts.all_facts(uow, start=start, end=end, team_id=team)
    columns = _columns(uow, efter, team, fra, til, found)
    key = key_of(efter)
    by_kpi: dict[str, dict[str, list[Fact]]] = {}
    for fact in found:
        by_kpi.setdefault(fact.kpi, {}).setdefault(key(fact), []).append(fact)
    rows = []
    for definition in definitions.definitions():
        if not definition.has_share:
            continue
        groups = by_kpi.get(definition.id, {})
        every = [f for group in groups.values() for f in group]
        rows.append(KpiRow(definition, _cell("i_alt", every, definition.maal),
                           [_cell(c.noegle, groups.get(c.noegle, []), definition.maal) for c in columns]))
    return Breakdown(efter, fra, til, team, columns, rows)
