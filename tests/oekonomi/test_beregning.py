"""Expected cost and Danish amounts: exact in øre, never through a float."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from service.oekonomi.beloeb import BeloebUgyldigt, kroner, parse_kroner
from service.oekonomi.beregning import Grundlag, aarets_vindue, forventet_oere


def _contract(pris: str, antal: str | None, pr: str | None, start: date, months: int) -> Grundlag:
    return Grundlag(Decimal(pris), Decimal(antal) if antal else None, pr, start, months)


def test_a_monthly_price_costs_whole_months_and_a_year_gets_its_share():
    contract = _contract("650.00", "2", "maaned", date(2026, 11, 15), 6)
    assert forventet_oere(contract) == 6 * 130000
    this_year, next_year = (forventet_oere(contract, *aarets_vindue(y)) for y in (2026, 2027))
    assert this_year + next_year == 6 * 130000
    assert this_year == 130000 + round(130000 * 17 / 31)  # 15 Nov–14 Dec, then 17 of the 31 days from 15 Dec
    assert forventet_oere(contract, *aarets_vindue(2028)) == 0


def test_weekly_and_daily_prices_follow_the_days_and_a_course_falls_on_its_start():
    weekly = _contract("650.00", "2", "uge", date(2026, 5, 15), 6)  # 184 days
    assert forventet_oere(weekly) == round(184 * 130000 / 7)
    daily = _contract("1150.00", "1", "dag", date(2026, 12, 30), 1)
    assert forventet_oere(daily, *aarets_vindue(2026)) == 2 * 115000
    course = _contract("4500.00", "1", "forloeb", date(2026, 12, 30), 3)
    assert (forventet_oere(course, *aarets_vindue(2026)), forventet_oere(course, *aarets_vindue(2027))) == (450000, 0)


def test_without_units_there_is_no_expected_cost():
    assert forventet_oere(_contract("650.00", None, None, date(2026, 5, 15), 6)) is None


@pytest.mark.parametrize(("text", "oere"), [("1.234,50", 123450), ("1234,5", 123450), ("-12,05", -1205),
                                            ("1 234 567", 123456700), ("0,01 kr.", 1)])
def test_danish_amounts_are_read_as_oere(text, oere):
    assert parse_kroner(text) == oere


@pytest.mark.parametrize("text", ["1,234.50", "12,345", "1.23,4", "abc", "", "1e5"])
def test_other_amounts_are_refused_in_danish(text):
    with pytest.raises(BeloebUgyldigt, match="er ikke et beløb i kroner"):
        parse_kroner(text)


def test_amounts_are_shown_as_danish_kroner():
    assert (kroner(123450), kroner(-5), kroner(123456789), kroner(None)) == (
        "1.234,50 kr.", "-0,05 kr.", "1.234.567,89 kr.", "–")
