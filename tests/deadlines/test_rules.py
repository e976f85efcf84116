"""Due and warning times from the catalogue, as the BPMN timer expressions compute them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from service.config import ROOT
from service.deadlines import catalogue, rules
from service.deadlines.calendar import COPENHAGEN

CATALOGUE = catalogue.load(ROOT / "workflows" / "frister.toml")
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def test_24_hour_assessment_warns_at_12_hours_as_configured():
    assert rules.due_at(CATALOGUE, "vurdering_24t", T0) == T0 + timedelta(hours=24)
    assert rules.warn_at(CATALOGUE, "vurdering_24t", T0) == T0 + timedelta(hours=12)


def test_default_warning_is_a_quarter_of_the_period_but_at_most_three_working_days():
    # 6 working days: a quarter of the period comes later than 3 working days before, so it wins.
    due = rules.due_at(CATALOGUE, "kvittering", T0)
    assert rules.warn_at(CATALOGUE, "kvittering", T0) == T0 + (due - T0) * 3 / 4
    # 4 months: 3 working days before the end comes later than a quarter before, so it wins.
    bfu_due = rules.due_at(CATALOGUE, "bfu", T0).astimezone(COPENHAGEN)
    warn = rules.warn_at(CATALOGUE, "bfu", T0).astimezone(COPENHAGEN)
    assert bfu_due.date().isoformat() == "2026-07-02" and warn.date().isoformat() == "2026-06-29"


def test_form_dates_count_from_that_danish_day():
    due = rules.due_at(CATALOGUE, "opfoelgning_loebende", "2026-08-10").astimezone(COPENHAGEN)
    assert (due.date().isoformat(), due.hour, due.minute) == ("2027-02-10", 23, 59)


def test_timer_functions_return_iso_strings_and_refuse_unknown_ids():
    functions = rules.expression_functions(CATALOGUE)
    assert datetime.fromisoformat(functions["frist"]("vurdering_24t", T0.isoformat())) == T0 + timedelta(hours=24)
    with pytest.raises(KeyError, match="findes ikke"):
        functions["frist"]("ukendt", T0.isoformat())
    with pytest.raises(ValueError, match="tidszone"):
        functions["frist"]("bfu", "2026-03-02T09:00:00")


def _local_day(moment: datetime) -> str:
    return moment.astimezone(COPENHAGEN).date().isoformat()


@pytest.mark.parametrize(("born", "age", "expected"), [
    ("2010-06-15", 16, "2026-06-15"), ("2012-02-29", 18, "2030-02-28"), ("2012-02-29", 16, "2028-02-29")])
def test_birthdays_from_the_birth_date_start_at_danish_midnight(born, age, expected):
    moment = datetime.fromisoformat(rules.birthday(born, age))
    assert _local_day(moment) == expected and moment.astimezone(COPENHAGEN).hour == 0


def test_ungestoette_decision_lies_six_months_before_the_18th_birthday_and_warns_three_months_earlier():
    eighteen = rules.birthday("2009-08-31", 18)
    assert _local_day(rules.due_at(CATALOGUE, "ungestoette_afgoerelse", eighteen)) == "2027-02-28"
    assert _local_day(rules.warn_at(CATALOGUE, "ungestoette_afgoerelse", eighteen)) == "2026-11-28"


def test_ungeplan_counts_from_the_later_of_the_16th_birthday_and_the_decision():
    sixteen = rules.birthday("2010-06-15", 16)
    assert _local_day(rules.due_at(CATALOGUE, "ungeplan", rules.latest(sixteen, "2026-05-10"))) == "2026-09-15"
    assert _local_day(rules.due_at(CATALOGUE, "ungeplan", rules.latest(sixteen, "2026-07-01"))) == "2026-10-01"


def test_age_counts_whole_years_on_the_danish_date():
    from service import clock
    previous = clock.use(clock.FrozenClock(datetime(2026, 3, 1, 23, 30, tzinfo=UTC)))  # already 2 March in Denmark
    try:
        assert rules.age("2011-03-02") == 15 and rules.age("2011-03-03") == 14
    finally:
        clock.use(previous)
