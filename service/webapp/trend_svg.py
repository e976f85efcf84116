"""A KPI's 12-month trend as an SVG drawn on the server: one bar per month (share met) against the target line.

Readable without colour: a bar under its target is hatched and labelled «under mål», the target is a dashed line
with its own label, every bar carries its value in text, and the chart has a title and a description for screen
readers (the numbers are also in a table beside it). No chart library: a dozen rectangles need none. This module
only lays the chart out; templates/_trend.svg.html draws it, so Jinja escapes every text in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from service.ledelsesinformation.opdeling import Cell

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 36, 48
_SHORT = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def pct(value: float) -> str:
    return f"{value:.0f} %" if value == int(value) else f"{value:.1f} %".replace(".", ",")


def _y(share: float) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - share / 100), 1)


@dataclass(frozen=True)
class Bar:
    label: str  # "mar 26"
    centre: float
    x: float
    width: float
    y: float | None  # None: nothing decided that month, no bar
    height: float
    value: str  # "83,3 %" or "–"
    under: bool  # under the target: hatched and labelled
    tip: str


@dataclass(frozen=True)
class Chart:
    kpi: str
    navn: str
    target_text: str
    target_y: float | None
    ticks: list[tuple[int, float]]
    bars: list[Bar]
    description: str
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    baseline: float = _y(0)


def layout(kpi_id: str, navn: str, target: int | None, months: list[tuple[date, Cell]]) -> Chart:
    """The chart for one KPI: `months` in time order, each with its cell of the breakdown by month."""
    slot = (WIDTH - LEFT - RIGHT) / max(len(months), 1)
    bar_w = round(slot * 0.6, 1)
    bars = []
    for i, (month, cell) in enumerate(months):
        centre = round(LEFT + i * slot + slot / 2, 1)
        label = f"{_SHORT[month.month - 1]} {month:%y}"
        if cell.andel is None:
            bars.append(Bar(label, centre, centre - bar_w / 2, bar_w, None, 0, "–", False, f"{label}: ingen afgjort"))
            continue
        y = _y(cell.andel)
        tip = f"{label}: {pct(cell.andel)} ({cell.opfyldt} af {cell.opfyldt + cell.ikke_opfyldt})"
        bars.append(Bar(label, centre, round(centre - bar_w / 2, 1), bar_w, y, round(_y(0) - y, 1),
                        pct(cell.andel), cell.maal_naaet is False, tip))
    target_text = f"Mål {target} %" if target is not None else "Intet mål"
    return Chart(kpi_id, navn, target_text, _y(target) if target is not None else None,
                 [(t, _y(t)) for t in (0, 25, 50, 75, 100)], bars,
                 f"{target_text}. " + "; ".join(b.tip for b in bars) + ".")
