"""The quarterly report as a PDF for the Børne- og Ungeudvalg (fpdf2, no external programs or font files).

The chart is drawn with fpdf2's own rectangles and lines: a horizontal bar per KPI, its target as a dashed line,
and «nået»/«under mål» written beside each bar, so the chart reads without colour (and in black and white print).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from service.deadlines.calendar import COPENHAGEN
from service.ledelsesinformation.kvartal import QuarterReport
from service.ledelsesinformation.opdeling import Cell, KpiRow

MARGIN = 15
WIDTH = 210 - 2 * MARGIN
GREY_MET, GREY_UNDER = 110, 190  # bar fills: darker for a met target; the words carry the meaning, not the shade
TEAM_COLUMNS_PER_TABLE = 5


def _text(value: str) -> str:
    """fpdf2's built-in Helvetica covers Windows-1252 (æøå, §, «», dashes); anything else is replaced."""
    return value.encode("cp1252", errors="replace").decode("cp1252")


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} %".replace(".", ",")


def kroner(amount: Decimal) -> str:
    whole, _, oere = f"{amount:,.2f}".partition(".")
    return f"{whole.replace(',', '.')},{oere} kr."


def verdict(cell: Cell) -> str:
    """Met or not, in words (the committee reads it, and it prints in black and white)."""
    if cell.maal is None:
        return "Intet mål"
    if cell.andel is None:
        return "Ingen afgjort i kvartalet"
    return "Målet er nået" if cell.maal_naaet else "Målet er ikke nået"


class _Report(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("helvetica", size=8)
        self.cell(0, 6, _text(f"Side {self.page_no()}/{{nb}}"), align="C")


def _heading(doc: FPDF, text: str) -> None:
    if doc.get_y() > doc.h - 45:  # never a heading alone at the foot of a page
        doc.add_page()
    doc.ln(3)
    doc.set_font("helvetica", "B", 12)
    doc.cell(0, 8, _text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    doc.set_font("helvetica", size=9)


def _paragraph(doc: FPDF, text: str, size: int = 9) -> None:
    doc.set_font("helvetica", size=size)
    doc.multi_cell(0, 4.5, _text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _table(doc: FPDF, headings: list[str], rows: Iterable[list[str]], widths: list[float],
           words_last: bool = False) -> None:
    """A table with the first column (and with `words_last` the last) in words, left; the numbers right."""
    doc.set_font("helvetica", size=8.5)
    align = ["LEFT"] + ["RIGHT"] * (len(widths) - 1)
    if words_last:
        align[-1] = "LEFT"
    with doc.table(col_widths=widths, width=sum(widths), align="LEFT", line_height=4.6, text_align=align,
                   first_row_as_headings=True) as table:
        for values in [headings, *rows]:
            row = table.row()
            for value in values:
                row.cell(_text(value))


def _kpi_table(doc: FPDF, rows: list[KpiRow]) -> None:
    _table(doc, ["Nøgletal", "Opfyldt", "Ikke opfyldt", "Afventer", "Andel", "Mål", "Vurdering"],
           ([r.definition.navn, str(r.i_alt.opfyldt), str(r.i_alt.ikke_opfyldt), str(r.i_alt.afventer),
             pct(r.i_alt.andel), "–" if r.definition.maal is None else f"{r.definition.maal} %", verdict(r.i_alt)]
            for r in rows),
           [62, 16, 18, 16, 17, 14, 37], words_last=True)


def _chart(doc: FPDF, rows: list[KpiRow]) -> None:
    if not any(r.i_alt.andel is not None for r in rows):
        _paragraph(doc, "Ingen nøgletal har afgjorte sager i kvartalet; der er intet at tegne.")
        return
    with doc.local_context():  # the bars' fill and lines stay in the chart, not in the tables after it
        _bars(doc, rows)
    _paragraph(doc, "Søjlen er andelen opfyldt af de afgjorte i kvartalet; den stiplede streg er målet. «Nået» og "
                    "«under mål» står ved hver søjle.", size=7)


def _bars(doc: FPDF, rows: list[KpiRow]) -> None:
    """One bar per KPI with a decided share: the share against 0–100 %, the target as a dashed line."""
    label_w, bar_w, row_h = 62, 60, 7  # leaves 56 mm for «100,0 % (mål 100 %) – under mål»
    shown = [r for r in rows if r.i_alt.andel is not None]
    if doc.get_y() + row_h * (len(shown) + 2) > doc.h - 20:
        doc.add_page()
    left = doc.l_margin + label_w
    top = doc.get_y()
    doc.set_font("helvetica", size=7)
    for tick in (0, 25, 50, 75, 100):  # the scale, in text
        doc.text(left + bar_w * tick / 100 - 2, top + 3, f"{tick} %")
    y = top + 5
    doc.set_draw_color(0)
    for r in shown:
        share, target = r.i_alt.andel or 0.0, r.definition.maal
        doc.set_font("helvetica", size=8)
        doc.set_xy(doc.l_margin, y)
        doc.cell(label_w - 2, row_h - 1, _fit(doc, _text(r.definition.navn), label_w - 3))
        doc.set_fill_color(GREY_UNDER if r.i_alt.maal_naaet is False else GREY_MET)
        doc.rect(left, y + 0.8, bar_w, row_h - 2.6, style="D")  # the 0–100 % frame
        if share > 0:
            doc.rect(left, y + 0.8, bar_w * share / 100, row_h - 2.6, style="FD")
        if target is not None:
            with doc.local_context():
                doc.set_line_width(0.6)
                doc.set_dash_pattern(dash=1, gap=0.8)
                x = left + bar_w * target / 100
                doc.line(x, y, x, y + row_h - 1)
        words = f"{pct(share)}" + ("" if target is None else f" (mål {target} %) – "
                                   + ("nået" if r.i_alt.maal_naaet else "under mål"))
        doc.set_xy(left + bar_w + 2, y)
        doc.cell(WIDTH - label_w - bar_w - 2, row_h - 1, _text(words))
        y += row_h
    doc.set_xy(doc.l_margin, y + 1)


def _fit(doc: FPDF, text: str, width: float) -> str:
    """The label shortened with an ellipsis to fit the width in the current font (the table above has it whole)."""
    if doc.get_string_width(text) <= width:
        return text
    while text and doc.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _team_tables(doc: FPDF, report: QuarterReport) -> None:
    split = report.opdeling
    for i in range(0, len(split.kolonner), TEAM_COLUMNS_PER_TABLE):
        columns = split.kolonner[i:i + TEAM_COLUMNS_PER_TABLE]
        width = (WIDTH - 62) / len(columns)
        _table(doc, ["Nøgletal"] + [c.navn for c in columns],
               ([r.definition.navn] + [pct(c.andel) for c in r.celler[i:i + TEAM_COLUMNS_PER_TABLE]]
                for r in split.noegletal),
               [62] + [width] * len(columns))
        doc.ln(2)


def render(report: QuarterReport) -> bytes:
    doc = _Report(format="A4")
    doc.core_fonts_encoding = "windows-1252"
    doc.set_creation_date(report.dannet)
    title = f"Kvartalsrapport til Børne- og Ungeudvalget, {report.kvartal.navn}"
    doc.set_title(_text(title))
    doc.set_author("Sagsflow")
    doc.set_margins(MARGIN, MARGIN, MARGIN)
    doc.set_auto_page_break(True, margin=16)
    doc.add_page()
    doc.set_font("helvetica", "B", 15)
    doc.multi_cell(0, 7, _text(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    made = report.dannet.astimezone(COPENHAGEN)
    _paragraph(doc, f"Periode: {report.fra:%d.%m.%Y}–{report.til:%d.%m.%Y}. {report.team_navn}. Dannet "
                    f"{made:%d.%m.%Y} af {report.dannet_af} i Sagsflow. Rapporten rummer kun tal, ingen sager eller "
                    "personoplysninger.", size=9)

    rows = report.opdeling.noegletal
    _heading(doc, "Nøgletal mod kommunens mål")
    _paragraph(doc, "Andel opfyldt af de afgjorte i kvartalet. Frister tælles i den måned, de forfalder; praksis, "
                    "når formularen er udfyldt. Hvert nøgletals definition står på siden «Sådan tælles hvert "
                    "nøgletal» i Sagsflow.")
    _kpi_table(doc, rows)
    _heading(doc, "Nøgletal som søjler")
    _chart(doc, rows)
    if report.team_id is None and len(report.opdeling.kolonner) > 1:
        _heading(doc, "Nøgletal pr. team (andel opfyldt)")
        _team_tables(doc, report)
    _heading(doc, "Sagstal i kvartalet pr. sagstype")
    _paragraph(doc, "Sagstypen er den proces, sagen er oprettet i; en sag tæller i sit nuværende team.")
    if report.sager:
        _table(doc, ["Sagstype", "Åbnet", "Afsluttet", "Åbne ved kvartalets udgang"], _case_rows(report),
               [70, 30, 30, 50])
    else:
        _paragraph(doc, "Ingen sager var åbne i kvartalet.")
    _heading(doc, "Indsatser og økonomi pr. indsatstype")
    if report.indsatser:
        _table(doc, ["Indsats", "Startet i kvartalet", "I gang i kvartalet", "De startede: antal × aftalt pris"],
               ([m.indsats, str(m.startet), str(m.i_gang),
                 "; ".join(f"{p.antal} × {kroner(p.pris)} pr. {p.prisenhed}" for p in m.aftalt_pris) or "–"]
                for m in report.indsatser), [62, 28, 28, 62], words_last=True)
    else:
        _paragraph(doc, "Der er ingen individuelle kontrakter om indsatser, der startede eller var i gang i "
                        "kvartalet.")
    doc.ln(1)
    _paragraph(doc, f"Ikke registreret: {report.oekonomi_note}")
    if report.ikke_registreret:
        _heading(doc, "Ikke registreret i Sagsflow endnu")
        _paragraph(doc, "Udviklingsplanen måler også følgende, som Sagsflow endnu ikke registrerer; de indgår "
                        "derfor ikke i rapporten med tal:")
        for line in report.ikke_registreret:
            _paragraph(doc, f"\u2022 {line}")
    return bytes(doc.output())


def _case_rows(report: QuarterReport) -> list[list[str]]:
    flows = report.sager
    return ([[f.sagstype, str(f.aabnet), str(f.afsluttet), str(f.aabne_ved_udgang)] for f in flows]
            + [["I alt", str(sum(f.aabnet for f in flows)), str(sum(f.afsluttet for f in flows)),
                str(sum(f.aabne_ved_udgang for f in flows))]])
