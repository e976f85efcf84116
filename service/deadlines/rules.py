"""Due and warning times of catalogue deadlines, and the functions BPMN timer expressions call."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from service import clock
from service.deadlines.calendar import COPENHAGEN, due, end_of_day, is_working_day
from service.deadlines.catalogue import Catalogue


def _parse(start: Any) -> datetime:
    """An aware timestamp, or a date ("2026-05-01": counted from that day, Danish time)."""
    if isinstance(start, str) and len(start) == 10:
        start = date.fromisoformat(start)
    if isinstance(start, date) and not isinstance(start, datetime):
        return datetime.combine(start, time(0), COPENHAGEN)
    value = datetime.fromisoformat(start) if isinstance(start, str) else start
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError("en frist skal tælles fra et tidspunkt med tidszone eller en dato")
    return value


def due_at(catalogue: Catalogue, deadline_id: str, start: Any) -> datetime:
    rule = catalogue.rule(deadline_id)
    return due(_parse(start), -rule.amount if rule.before else rule.amount, rule.unit, catalogue.calendar)


def warn_at(catalogue: Catalogue, deadline_id: str, start: Any) -> datetime:
    """Advis before the deadline: as configured, else a quarter of the period, at most 3 working days."""
    rule = catalogue.rule(deadline_id)
    begin = _parse(start).astimezone(UTC)
    deadline = due_at(catalogue, deadline_id, begin)
    if rule.warn_amount and rule.warn_unit == "hours":
        return deadline - timedelta(hours=rule.warn_amount)
    if rule.warn_amount and rule.warn_unit == "working_days":
        return _working_days_before(deadline, rule.warn_amount, catalogue)
    if rule.warn_amount and rule.warn_unit:
        return due(deadline, -rule.warn_amount, rule.warn_unit, catalogue.calendar)
    if rule.before:  # no period to take a quarter of: warn 3 working days ahead
        return _working_days_before(deadline, 3, catalogue)
    quarter = begin + (deadline - begin) * 3 / 4
    three_working_days_before = _working_days_before(deadline, 3, catalogue)
    return max(quarter, three_working_days_before)


def _working_days_before(deadline: datetime, count: int, catalogue: Catalogue) -> datetime:
    day = deadline.astimezone(COPENHAGEN).date()
    while count:
        day -= timedelta(days=1)
        if is_working_day(day, catalogue.calendar):
            count -= 1
    return end_of_day(day)


def birthday(birth_date: Any, years: int) -> str:
    """Midnight (Danish time) of the day a child born on `birth_date` turns `years` (29 Feb: 28 Feb)."""
    born = date.fromisoformat(birth_date) if isinstance(birth_date, str) else birth_date
    return datetime.combine(born + relativedelta(years=years), time(0), COPENHAGEN).isoformat()


def latest(*moments: Any) -> str:
    """The latest of several dates/timestamps, e.g. "3 months after the decision or the 16th birthday"."""
    return max((_parse(m) for m in moments), key=lambda m: m.astimezone(UTC)).isoformat()


def age(birth_date: Any) -> int:
    """Whole years today (Danish date), e.g. for the young person's own consent from 15 (BL § 46)."""
    born = date.fromisoformat(birth_date) if isinstance(birth_date, str) else birth_date
    return relativedelta(clock.now().astimezone(COPENHAGEN).date(), born).years


def expression_functions(catalogue: Catalogue) -> dict[str, Any]:
    """Functions for timeDate expressions; they return ISO strings, as SpiffWorkflow wants.

    frist(id, fra) / advis(id, fra): a catalogue deadline and its warning; tidspunkt(id, fra): the same time
    as `frist`, for a timer that is not a breach (e.g. the klagefrist running out ends the wait for a
    complaint; nobody is late); fylder(foedselsdato, aar): the birthday at that age (ungeplan, ungestøtte);
    senest(a, b, ...): the latest of several moments; nu(): now (a timer evaluates it once, when it starts);
    alder(foedselsdato): the child's age in whole years today.
    """
    return {
        "frist": lambda deadline_id, start: due_at(catalogue, deadline_id, start).isoformat(),
        "tidspunkt": lambda deadline_id, start: due_at(catalogue, deadline_id, start).isoformat(),
        "advis": lambda deadline_id, start: warn_at(catalogue, deadline_id, start).isoformat(),
        "fylder": birthday,
        "senest": latest,
        "nu": lambda: clock.now().isoformat(),
        "alder": age,
    }
