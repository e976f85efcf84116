"""The quarterly report to the Børne- og Ungeudvalg (seed 004: reported in March, June, September and December):
the KPIs against their targets, the case numbers by case type and the contracted prices per measure type.

The numbers are the breakdown's (opdeling.py), so the PDF, the JSON and the page agree. Whatever Sagsflow does not
record yet is named as such in the report, never estimated.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from service import clock
from service.access.models import Team, User
from service.cases.models import Case
from service.engine.models import ProcessInstance, ProcessVersion
from service.errors import FieldError, ValidationFailed
from service.indsatsvifte.models import IndividuelKontrakt, Indsats
from service.ledelsesinformation import definitions, opdeling
from service.ledelsesinformation import service as mi
from service.uow import UnitOfWork

QUARTER_PATTERN = r"^[2-9][0-9]{3}-[1-4]$"
QUARTER_FORMAT = "«Kvartal» skal skrives ÅÅÅÅ-K, fx 2026-1 for 1. kvartal 2026 (kvartal 1–4, år 2000 eller senere)."
NOT_BEGUN = "Kvartalet er ikke begyndt endnu; vælg dette eller et tidligere kvartal."
NO_TYPE = "Uden proces"

# What seed 004 and domain.md §6 report on that Sagsflow does not record yet. A line disappears by itself when a
# KPI with its id is defined in definitions.py.
NOT_YET_RECORDED = (
    ("undersoegelsesplan", "Skriftlig undersøgelsesplan i den børnefaglige undersøgelse (mål 100 %)"),
    ("plan_maalbare_maal", "Planer med 3–5 målbare mål (mål 80 %)"),
    ("foraeldrehandleplan", "Forældrehandleplan tilbudt, når et barn anbringes (mål 100 %)"),
    ("netvaerksmoede", "Netværksmøder som del af den børnefaglige undersøgelse (seed 004: 70 %)"),
    ("tilsynsbesoeg", "Personrettet tilsyn på anbringelsesstedet (seed 004: 100 %)"),
)
MONEY_NOT_RECORDED = ("Sagsflow registrerer endnu ikke indsatsernes faktiske ophør eller det leverede omfang (timer, "
                      "døgn). Beløbene her er de individuelle kontrakters aftalte priser pr. enhed; betalinger, "
                      "forventet udgift og afvigelse mod budget står i årsopfølgningen (Ledelsesinformation › "
                      "Økonomi).")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def key(self) -> str:
        return f"{self.year}-{self.number}"

    @property
    def navn(self) -> str:
        return f"{self.number}. kvartal {self.year}"

    @property
    def fra(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def til(self) -> date:
        first_after = date(self.year + 1, 1, 1) if self.number == 4 else date(self.year, 3 * self.number + 1, 1)
        return first_after - timedelta(days=1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def parse_quarter(raw: str | None) -> Quarter:
    """«2026-1» → 1st quarter 2026; none → the quarter we are in; a malformed or future quarter is a 422."""
    current = quarter_of(mi.today())
    if raw is None or raw == "":
        return current
    if not re.fullmatch(QUARTER_PATTERN, raw):
        raise ValidationFailed("Kvartalet er ugyldigt.", [FieldError("kvartal", QUARTER_FORMAT)])
    quarter = Quarter(int(raw[:4]), int(raw[5]))
    if quarter.fra > current.fra:
        raise ValidationFailed("Kvartalet er ugyldigt.", [FieldError("kvartal", NOT_BEGUN)])
    return quarter


def recent_quarters(count: int = 8) -> list[Quarter]:
    """The quarter we are in and the ones before it, newest first (the page's chooser)."""
    found = [quarter_of(mi.today())]
    while len(found) < count:
        found.append(found[-1].previous())
    return found


@dataclass(frozen=True)
class CaseFlow:
    sagstype: str  # the process the case runs (Sagsflow has no other case type yet)
    aabnet: int  # opened in the period
    afsluttet: int  # closed in the period
    aabne_ved_udgang: int  # open at the end of the period


def case_flow(uow: UnitOfWork, *, start: datetime, end: datetime, team_id: int | None) -> list[CaseFlow]:
    """Cases opened and closed in [start, end) and open at its end, by the process the case was opened on; a
    case counts in its current team."""
    first_process = (select(ProcessVersion.name).join(ProcessInstance,
                                                      ProcessInstance.process_version_id == ProcessVersion.id)
                     .where(ProcessInstance.case_id == Case.id)
                     .order_by(ProcessInstance.created_at, ProcessInstance.id).limit(1)
                     .correlate(Case).scalar_subquery())
    inner = select(Case.opened_at, Case.closed_at, first_process.label("sagstype")).where(
        Case.opened_at < end, (Case.closed_at.is_(None)) | (Case.closed_at >= start))
    if team_id is not None:
        inner = inner.where(Case.team_id == team_id)
    cases = inner.subquery()
    rows = uow.session.execute(
        select(cases.c.sagstype,
               func.count().filter(cases.c.opened_at >= start),
               func.count().filter(cases.c.closed_at.is_not(None) & (cases.c.closed_at < end)),
               func.count().filter(cases.c.closed_at.is_(None) | (cases.c.closed_at >= end)))
        .group_by(cases.c.sagstype)).all()
    return sorted((CaseFlow(sagstype or NO_TYPE, opened, closed, still_open)
                   for sagstype, opened, closed, still_open in rows), key=lambda r: r.sagstype)


@dataclass(frozen=True)
class Price:
    """Contracts started at one agreed price per unit: «2 × 650,00 kr. pr. time». No total: what 2 contracts at an
    hourly price cost depends on the hours delivered, which Sagsflow does not record."""

    antal: int
    pris: Decimal
    prisenhed: str


@dataclass(frozen=True)
class MeasureMoney:
    indsats: str
    startet: int  # individual contracts with their start date in the period
    i_gang: int  # started before the period's end and, by the agreed expected duration, not ended before it
    aftalt_pris: list[Price]  # the started contracts, counted per agreed price and unit


def _months_later(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, 1) + timedelta(days=min(day.day, 28) - 1)


def money_per_measure(uow: UnitOfWork, *, fra: date, til: date, team_id: int | None) -> list[MeasureMoney]:
    """The individual contracts (seed 002) per measure type: how many started and ran in the period, and their
    agreed prices. Spending against the budget is the yearly review's (service/oekonomi/aarsopfoelgning.py)."""
    stmt = (select(Indsats.navn, IndividuelKontrakt.startdato, IndividuelKontrakt.forventet_varighed_maaneder,
                   IndividuelKontrakt.pris, IndividuelKontrakt.prisenhed)
            .join(Indsats, Indsats.id == IndividuelKontrakt.indsats_id)
            .join(Case, Case.id == IndividuelKontrakt.case_id)
            .where(IndividuelKontrakt.startdato <= til))
    if team_id is not None:
        stmt = stmt.where(Case.team_id == team_id)
    started: dict[str, int] = defaultdict(int)
    running: dict[str, int] = defaultdict(int)
    prices: dict[str, dict[tuple[str, Decimal], int]] = defaultdict(lambda: defaultdict(int))
    for navn, startdato, months, pris, prisenhed in uow.session.execute(stmt):
        if _months_later(startdato, months) > fra:
            running[navn] += 1
        if startdato >= fra:
            started[navn] += 1
            prices[navn][prisenhed, pris] += 1
    return [MeasureMoney(navn, started[navn], running[navn],
                         [Price(count, pris, unit) for (unit, pris), count in sorted(prices[navn].items())])
            for navn in sorted(running.keys() | started.keys())]


@dataclass(frozen=True)
class QuarterReport:
    kvartal: Quarter
    team_id: int | None
    team_navn: str  # "Alle teams" or the team's name
    dannet: datetime
    dannet_af: str
    opdeling: opdeling.Breakdown  # every KPI in total and per team
    sager: list[CaseFlow]
    indsatser: list[MeasureMoney]
    ikke_registreret: list[str]
    oekonomi_note: str = MONEY_NOT_RECORDED

    @property
    def fra(self) -> date:
        return self.kvartal.fra

    @property
    def til(self) -> date:
        return self.kvartal.til


def not_yet_recorded() -> list[str]:
    known = definitions.by_id()
    return [text for kpi_id, text in NOT_YET_RECORDED if kpi_id not in known]


def quarter_report(uow: UnitOfWork, user: User, *, kvartal: str | None, team_id: int | None = None) -> QuarterReport:
    """The committee's quarterly report: the user's team (a team leader) or all or one team (head of department).
    It holds counts only, never a case, so making it reads no case and journals nothing."""
    quarter = parse_quarter(kvartal)
    split = opdeling.breakdown(uow, user, efter="team", fra=quarter.fra, til=quarter.til, team_id=team_id)
    team = split.team_id
    start, end = mi.period_bounds(quarter.fra, quarter.til)
    team_row = uow.session.get(Team, team) if team is not None else None
    return QuarterReport(
        quarter, team, team_row.navn if team_row is not None else "Alle teams", clock.now(), user.full_name,
        split, case_flow(uow, start=start, end=end, team_id=team),
        money_per_measure(uow, fra=quarter.fra, til=quarter.til, team_id=team), not_yet_recorded())
