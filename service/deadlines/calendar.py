"""Danish deadline arithmetic: clock hours, calendar days/weeks/months and working days.

All inputs and outputs are aware datetimes; counting happens in Europe/Copenhagen. Clock hours are
elapsed time (24 hours across a DST change is still 24 hours); day-based deadlines end at the end of
their last day, local time. Public holidays come from the maintained `holidays` package (Store
Bededag is a holiday until 2023 there); Saturdays and 24/12, 31/12 are settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
UNITS = ("hours", "days", "weeks", "months", "working_days")


@dataclass(frozen=True)
class CalendarSettings:
    saturday_is_working_day: bool = False
    christmas_eve_off: bool = True  # 24/12
    new_years_eve_off: bool = True  # 31/12


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Denmark(years=year))


def is_working_day(day: date, settings: CalendarSettings = CalendarSettings()) -> bool:
    if day.weekday() == 6 or (day.weekday() == 5 and not settings.saturday_is_working_day):
        return False
    if day in _public_holidays(day.year):
        return False
    if (day.month, day.day) == (12, 24) and settings.christmas_eve_off:
        return False
    return not ((day.month, day.day) == (12, 31) and settings.new_years_eve_off)


def end_of_day(day: date) -> datetime:
    """The last moment of a local day: the deadline is met any time that day."""
    next_midnight = datetime.combine(day + timedelta(days=1), time(0), COPENHAGEN)
    return (next_midnight - timedelta(microseconds=1)).astimezone(UTC)


def add_working_days(start: date, count: int, settings: CalendarSettings = CalendarSettings()) -> date:
    """The count-th working day after start (start itself never counts)."""
    if count < 0:
        raise ValueError("working days are counted forwards")
    day = start
    while count:
        day += timedelta(days=1)
        if is_working_day(day, settings):
            count -= 1
    return day


def add_months(start: date, months: int) -> date:
    """Same day of month, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    return start + relativedelta(months=months)


def due(start: datetime, amount: int, unit: str, settings: CalendarSettings = CalendarSettings()) -> datetime:
    """When a deadline of `amount` `unit`s counted from `start` runs out (aware UTC)."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if unit == "hours":
        return (start.astimezone(UTC) + timedelta(hours=amount))
    local_day = start.astimezone(COPENHAGEN).date()
    if unit == "days":
        return end_of_day(local_day + timedelta(days=amount))
    if unit == "weeks":
        return end_of_day(local_day + timedelta(weeks=amount))
    if unit == "months":
        return end_of_day(add_months(local_day, amount))
    if unit == "working_days":
        return end_of_day(add_working_days(local_day, amount, settings))
    raise ValueError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
