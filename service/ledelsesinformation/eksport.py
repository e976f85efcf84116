"""Every table of the management-information page as CSV or XLSX, with the page's Danish headings.

Each table is made by the same service call as the page's, so a download holds the numbers on the screen. The
breakdown is written long (one row per KPI and column, «I alt» first): a spreadsheet sorts and filters that,
where the page's one-cell-per-column layout would need the cell's three numbers split again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from service.access.models import User
from service.deadlines.calendar import COPENHAGEN
from service.errors import FieldError, ValidationFailed
from service.journal import service as journal
from service.ledelsesinformation import definitions, kvartal, opdeling, tilsyn
from service.ledelsesinformation import service as mi
from service.uow import UnitOfWork

Value = str | int | float | Decimal | None
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
DEFAULT_TREND = "vurdering_24t"


@dataclass(frozen=True)
class Table:
    navn: str  # the page's heading; the XLSX sheet's title
    overskrifter: list[str]
    raekker: list[list[Value]]


@dataclass(frozen=True)
class Request:
    fra: date
    til: date
    team_id: int | None
    efter: str
    noegletal: str
    maaned: date  # the ledelsestilsyn's month


def _yes_no(value: bool | None) -> str:
    return "" if value is None else "ja" if value else "nej"


def trend_start(til: date) -> date:
    """The first day of the 12 months that end with `til`'s month (the page's trend)."""
    first = til.replace(day=1)
    for _ in range(11):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def _frister(uow: UnitOfWork, user: User, r: Request) -> Table:
    report = mi.deadline_compliance(uow, user, fra=r.fra, til=r.til, team_id=r.team_id)
    return Table("Fristoverholdelse", ["Frist", "Hjemmel", "Overholdt", "Overskredet", "Afventer",
                                       "Andel overholdt (%)", "Mål (%)", "Mål nået"],
                 [[f.navn, f.hjemmel, f.overholdt, f.overskredet, f.afventer, f.andel, f.maal, _yes_no(f.maal_naaet)]
                  for f in report.frister])


def _kvalitet(uow: UnitOfWork, user: User, r: Request) -> Table:
    found = mi.quality_measures(uow, user, fra=r.fra, til=r.til, team_id=r.team_id)
    return Table("God praksis", ["Mål for praksis", "Grundlag", "Opfyldt", "Ikke opfyldt", "Andel opfyldt (%)",
                                 "Mål (%)", "Mål nået"],
                 [[q.navn, q.grundlag, q.opfyldt, q.ikke_opfyldt, q.andel, q.maal, _yes_no(q.maal_naaet)]
                  for q in found])


def _cell_values(cell: opdeling.Cell) -> list[Value]:
    return [cell.opfyldt, cell.ikke_opfyldt, cell.afventer, cell.andel, _yes_no(cell.maal_naaet)]


def _opdeling(uow: UnitOfWork, user: User, r: Request) -> Table:
    split = opdeling.breakdown(uow, user, efter=r.efter, fra=r.fra, til=r.til, team_id=r.team_id)
    dimension = opdeling.DIMENSIONS[split.efter]
    rows: list[list[Value]] = []
    for row in split.noegletal:
        head: list[Value] = [row.definition.navn, row.definition.maal]
        rows.append(head + ["I alt"] + _cell_values(row.i_alt))
        rows += [head + [column.navn] + _cell_values(cell)
                 for column, cell in zip(split.kolonner, row.celler, strict=True)]
    return Table(f"Nøgletal pr. {dimension.lower()}",
                 ["Nøgletal", "Mål (%)", dimension, "Opfyldt", "Ikke opfyldt", "Afventer", "Andel opfyldt (%)",
                  "Mål nået"], rows)


def _udvikling(uow: UnitOfWork, user: User, r: Request) -> Table:
    months = opdeling.breakdown(uow, user, efter="maaned", fra=trend_start(r.til), til=r.til, team_id=r.team_id)
    row = next((x for x in months.noegletal if x.definition.id == r.noegletal), months.noegletal[0])
    return Table(f"Udvikling {row.definition.navn}"[:120],
                 ["Nøgletal", "Måned", "Andel (%)", "Opfyldt", "Ikke opfyldt", "Afventer", "Mål (%)", "Mål nået"],
                 [[row.definition.navn, column.noegle, cell.andel, cell.opfyldt, cell.ikke_opfyldt, cell.afventer,
                   cell.maal, _yes_no(cell.maal_naaet)] for column, cell in zip(months.kolonner, row.celler,
                                                                                 strict=True)])


def _sagstal(uow: UnitOfWork, user: User, r: Request) -> Table:
    team = mi.scope(user, r.team_id)
    start, end = mi.period_bounds(r.fra, r.til)
    flows = kvartal.case_flow(uow, start=start, end=end, team_id=team)
    return Table("Sagstal pr. sagstype", ["Sagstype", "Åbnet", "Afsluttet", "Åbne ved periodens udgang"],
                 [[f.sagstype, f.aabnet, f.afsluttet, f.aabne_ved_udgang] for f in flows])


def _indsatser(uow: UnitOfWork, user: User, r: Request) -> Table:
    team = mi.scope(user, r.team_id)
    mi.check_period(r.fra, r.til)
    rows: list[list[Value]] = []
    for m in kvartal.money_per_measure(uow, fra=r.fra, til=r.til, team_id=team):
        prices: list[kvartal.Price | None] = list(m.aftalt_pris) or [None]
        rows += [[m.indsats, m.startet, m.i_gang, p.antal if p else None, p.pris if p else None,
                  p.prisenhed if p else ""] for p in prices]
    return Table("Indsatser og aftalte priser", ["Indsats", "Startet i perioden", "I gang i perioden",
                                                 "Startet til prisen", "Aftalt pris (kr.)", "Prisenhed"], rows)


def _point(point: tilsyn.Point) -> str:
    word = "ikke relevant endnu" if point.ok is None else "opfyldt" if point.ok else "ikke opfyldt"
    return f"{point.text} ({word})"


def _tilsyn(uow: UnitOfWork, user: User, r: Request) -> Table:
    """The month's sampled cases: a list of cases, so each is a read, journalled on the case like the drill-down.
    The child's name stays on the page: a file that leaves Sagsflow carries the case number only."""
    found = tilsyn.samples(uow, user, r.maaned)
    month = tilsyn.month_name(r.maaned)
    for sample in found:
        journal.record(uow, case_id=sample.case.id, actor_id=user.id, action="laest",
                       title=f"Sagen er hentet i ledelsestilsynets udtræk for {month}")
    return Table(f"Ledelsestilsyn {month}", ["Rådgiver", "Sagsnummer", "Punkter", "Gennemgang", "Gennemgået",
                                              "Bemærkning"],
                 [[s.caseworker.full_name, s.case.sagsnummer, "; ".join(_point(p) for p in s.points),
                   tilsyn.VERDICTS.get(s.row.maerke or "", ""),
                   s.row.gennemgaaet_at.astimezone(COPENHAGEN).strftime("%d.%m.%Y %H:%M") if s.row.gennemgaaet_at
                   else "", s.row.bemaerkning or ""] for s in found])


TABLES: dict[str, Callable[[UnitOfWork, User, Request], Table]] = {
    "frister": _frister, "kvalitet": _kvalitet, "opdeling": _opdeling, "udvikling": _udvikling,
    "sagstal": _sagstal, "indsatser": _indsatser, "tilsyn": _tilsyn}
UNKNOWN_TABLE = f"«Tabel» skal være en af: {', '.join(TABLES)}."
UNKNOWN_FORMAT = "«Format» skal være csv eller xlsx."


def table(uow: UnitOfWork, user: User, *, tabel: str, fra: date, til: date, team_id: int | None = None,
          efter: str = "team", noegletal: str | None = None, maaned: date | None = None) -> Table:
    """One table of the page. Only «tilsyn» lists cases; the caller commits its journal lines."""
    if tabel not in TABLES:
        raise ValidationFailed("Tabellen findes ikke.", [FieldError("tabel", UNKNOWN_TABLE)])
    opdeling.check_dimension(efter)
    kpi = noegletal or DEFAULT_TREND
    if tabel == "udvikling" and kpi not in definitions.by_id():
        raise ValidationFailed("Nøgletallet findes ikke.", [FieldError("noegletal", "Nøgletallet findes ikke.")])
    return TABLES[tabel](uow, user, Request(fra, til, team_id, efter, kpi, (maaned or mi.this_month()).replace(day=1)))


def danish(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):  # a share, rounded to one decimal as on the page
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, Decimal):  # kroner
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def to_csv(found: Table) -> bytes:
    """Semicolon-separated with decimal commas and a byte-order mark: what a Danish Excel opens as columns."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(found.overskrifter)
    writer.writerows([danish(v) for v in row] for row in found.raekker)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _sheet_title(name: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in name)
    return cleaned[:31]  # Excel's limit


def to_xlsx(found: Table) -> bytes:
    from openpyxl import Workbook  # only the export needs it
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(found.navn)
    sheet.append(found.overskrifter)
    for row in found.raekker:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render(found: Table, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValidationFailed("Formatet findes ikke.", [FieldError("format", UNKNOWN_FORMAT)])
    return to_csv(found) if fmt == "csv" else to_xlsx(found)


def filename(tabel: str, fra: date, til: date, fmt: str) -> str:
    return f"ledelsesinformation-{tabel}-{fra.isoformat()}-{til.isoformat()}.{fmt}"
