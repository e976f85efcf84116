"""Danish deadline arithmetic: DST, Easter/Ascension/Whitsun, month ends, settings."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from service.deadlines.calendar import CalendarSettings, add_working_days, due, is_working_day

CPH = ZoneInfo("Europe/Copenhagen")


def test_24_hours_over_the_spring_dst_change_are_24_elapsed_hours():
    start = datetime(2026, 3, 28, 12, 0, tzinfo=CPH)  # clocks go forward on Sunday 29 March
    deadline = due(start, 24, "hours")
    assert deadline - start.astimezone(UTC) == datetime(2026, 3, 2, tzinfo=UTC) - datetime(2026, 3, 1, tzinfo=UTC)
    assert deadline.astimezone(CPH).hour == 13  # wall clock shows 13:00 the next day


def test_24_hours_over_the_autumn_dst_change_are_24_elapsed_hours():
    start = datetime(2026, 10, 24, 12, 0, tzinfo=CPH)  # clocks go back on Sunday 25 October
    assert due(start, 24, "hours").astimezone(CPH).hour == 11


def test_easter_week_working_days():
    # Thursday 2 April 2026 .. Monday 6 April are Skærtorsdag, Langfredag, (weekend), 2. påskedag.
    assert [is_working_day(date(2026, 4, d)) for d in range(1, 8)] == [True, False, False, False, False, False,
                                                                          True]
    assert add_working_days(date(2026, 4, 1), 1) == date(2026, 4, 7)
    assert add_working_days(date(2026, 3, 31), 6) == date(2026, 4, 13)


def test_ascension_and_whitsun_are_not_working_days():
    assert not is_working_day(date(2026, 5, 14))  # Kristi himmelfartsdag
    assert not is_working_day(date(2026, 5, 25))  # 2. pinsedag
    assert add_working_days(date(2026, 5, 13), 1) == date(2026, 5, 15)
    assert add_working_days(date(2026, 5, 22), 1) == date(2026, 5, 26)


def test_store_bededag_counted_until_2023_only():
    assert not is_working_day(date(2023, 5, 5))
    assert is_working_day(date(2024, 4, 26))


def test_saturday_and_christmas_settings():
    assert not is_working_day(date(2026, 11, 28))
    assert is_working_day(date(2026, 11, 28), CalendarSettings(saturday_is_working_day=True))
    assert not is_working_day(date(2026, 12, 24))
    assert is_working_day(date(2026, 12, 24), CalendarSettings(christmas_eve_off=False))
    assert not is_working_day(date(2026, 12, 31))


def test_kvittering_six_working_days_end_at_the_end_of_the_day():
    received = datetime(2026, 12, 21, 15, 30, tzinfo=CPH)  # Monday before Christmas
    deadline = due(received, 6, "working_days").astimezone(CPH)
    # 22, 23 count; 24, 25, 26 (Sat), 27 (Sun) don't; 28, 29, 30 count; 31 is off; 1/1 is a holiday.
    assert deadline.date() == date(2027, 1, 4) and (deadline.hour, deadline.minute) == (23, 59)


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),
    (date(2026, 10, 31), 4, date(2027, 2, 28)),
    (date(2026, 3, 15), 4, date(2026, 7, 15)),
])
def test_calendar_months_clamp_to_month_end(start, months, expected):
    assert due(datetime(start.year, start.month, start.day, 10, tzinfo=CPH), months, "months").astimezone(
        CPH).date() == expected


def test_naive_start_is_refused():
    with pytest.raises(ValueError, match="aware"):
        due(datetime(2026, 1, 1), 1, "days")  # noqa: DTZ001
