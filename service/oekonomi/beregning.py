"""The expected cost of an individual contract: price × units × frequency over the contract's period.

The contract runs from its start date for its expected duration (calendar months, clamped to month end). Its
periods (day, week, month, year) count from the start date, and a period's cost is spread evenly over its days,
so a window (a year, or up to today) gets its share exactly; a price for the whole course (forløb) falls on the
start date. Computed in fractions, rounded once to øre.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from service.oekonomi.beloeb import round_oere

# Period keys → Danish words, as the form and the pages show them.
PERIODER = {"dag": "pr. dag", "uge": "pr. uge", "maaned": "pr. måned", "aar": "pr. år", "forloeb": "i alt"}


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Grundlag:
    """What the expected cost is computed from (the contract's own fields)."""

    pris: Decimal  # kroner per price unit, two decimals
    antal_enheder: Decimal | None
    enheder_pr: str | None
    startdato: date
    varighed_maaneder: int

    @property
    def slutdato(self) -> date:
        """The first day after the contract's expected period."""
        return add_months(self.startdato, self.varighed_maaneder)

    @property
    def kan_beregnes(self) -> bool:
        return self.antal_enheder is not None and self.enheder_pr in PERIODER


def _overlap(a0: date, a1: date, b0: date, b1: date) -> int:
    return max(0, (min(a1, b1) - max(a0, b0)).days)


def _periods(grundlag: Grundlag, fra: date, til: date) -> Fraction:
    """How many of the contract's periods fall in [fra, til), as an exact fraction."""
    start, end = grundlag.startdato, grundlag.slutdato
    kind = grundlag.enheder_pr
    if kind == "forloeb":
        return Fraction(1) if fra <= start < til else Fraction(0)
    if kind == "dag":
        return Fraction(_overlap(start, end, fra, til))
    if kind == "uge":
        return Fraction(_overlap(start, end, fra, til), 7)
    # Month by month (or year by year) from the start date, so a contract of six months costs six months'
    # price; each period's cost is spread over its own days, so a window cutting it gets its share.
    step = 1 if kind == "maaned" else 12
    total = Fraction(0)
    k = 0
    period_start = start
    while period_start < min(end, til):
        period_end = min(add_months(start, (k + 1) * step), end)
        full = (add_months(start, (k + 1) * step) - period_start).days
        total += Fraction(_overlap(period_start, period_end, fra, til), full)
        k += 1
        period_start = period_end
    return total


def forventet_oere(grundlag: Grundlag, fra: date | None = None, til: date | None = None) -> int | None:
    """Expected cost in øre in [fra, til) (default: the whole contract), or None without units and frequency."""
    if not grundlag.kan_beregnes:
        return None
    fra = fra or grundlag.startdato
    til = til or grundlag.slutdato
    per_period = Fraction(grundlag.pris) * 100 * Fraction(grundlag.antal_enheder)  # type: ignore[arg-type]
    return round_oere(per_period * _periods(grundlag, fra, til))


def aarets_vindue(aar: int) -> tuple[date, date]:
    return date(aar, 1, 1), date(aar + 1, 1, 1)


def til_og_med(day: date) -> date:
    """The exclusive end of a window that includes `day`."""
    return day + timedelta(days=1)
