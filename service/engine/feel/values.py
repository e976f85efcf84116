"""FEEL's values in Python, and the operators on them (null and ternary logic as the DMN spec has them).

number: Decimal (34 digits, as FEEL's decimal128); date, date and time, time: datetime's types; days and time
duration: timedelta; years and months duration: ``YearsMonths``; list, context (dict), ``Range``. An
operation on values it is not defined for gives null (None), never an exception.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from dataclasses import dataclass
from typing import Any

NUMBERS = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_EVEN)


@dataclass(frozen=True, order=True)
class YearsMonths:
    months: int

    def iso(self) -> str:
        sign, months = ("-" if self.months < 0 else ""), abs(self.months)
        return f"{sign}P{months // 12}Y{months % 12}M"


@dataclass(frozen=True)
class Range:
    start_included: bool
    start: Any
    end: Any
    end_included: bool

    def contains(self, value: Any) -> bool | None:
        low = compare(value, self.start) if self.start is not None else 1
        high = compare(value, self.end) if self.end is not None else -1
        if low is None or high is None:
            return None
        return (low > 0 or (low == 0 and self.start_included)) and (high < 0 or (high == 0 and self.end_included))


def kind(value: Any) -> str | None:
    """The FEEL type a value belongs to, for the 'same type' rules of =, < and arithmetic."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, decimal.Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dt.datetime):
        return "date and time"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, dt.time):
        return "time"
    if isinstance(value, dt.timedelta):
        return "days and time duration"
    if isinstance(value, YearsMonths):
        return "years and months duration"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "context"
    if isinstance(value, Range):
        return "range"
    return "other"


def _comparable(left: Any, right: Any) -> bool:
    if kind(left) != kind(right) or kind(left) in (None, "boolean", "list", "context", "range", "other"):
        return False
    if isinstance(left, dt.datetime | dt.time):
        return (left.tzinfo is None) == (right.tzinfo is None)  # naive and aware never compare
    return True


def compare(left: Any, right: Any) -> int | None:
    """-1, 0 or 1; None (null) when FEEL does not order the two values."""
    if not _comparable(left, right):
        return None
    return (left > right) - (left < right)


def equal(left: Any, right: Any) -> bool | None:
    if left is None or right is None:
        return left is None and right is None
    if kind(left) != kind(right):
        return None
    if isinstance(left, list):
        if len(left) != len(right):
            return False
        results = [equal(a, b) for a, b in zip(left, right, strict=True)]
        return None if None in results else all(results)
    if isinstance(left, dict):
        if left.keys() != right.keys():
            return False
        results = [equal(left[k], right[k]) for k in left]
        return None if None in results else all(results)
    if isinstance(left, dt.datetime | dt.time) and (left.tzinfo is None) != (right.tzinfo is None):
        return None
    return left == right


def logical_and(left: Any, right: Any) -> bool | None:
    if left is False or right is False:
        return False
    return True if left is True and right is True else None


def logical_or(left: Any, right: Any) -> bool | None:
    if left is True or right is True:
        return True
    return False if left is False and right is False else None


def arithmetic(op: str, left: Any, right: Any) -> Any:
    try:
        return _arithmetic(op, left, right)
    except (ArithmeticError, ValueError, OverflowError, TypeError):
        return None


def _arithmetic(op: str, left: Any, right: Any) -> Any:
    kl, kr = kind(left), kind(right)
    if kl is None or kr is None:
        return None
    if kl == kr == "number":
        if op == "/" and right == 0:
            return None
        if op == "**":
            return NUMBERS.power(left, right)
        return {"+": NUMBERS.add, "-": NUMBERS.subtract, "*": NUMBERS.multiply, "/": NUMBERS.divide}[op](left, right)
    if op == "+" and kl == kr == "string":
        return left + right
    if op in "+-" and kl == kr and isinstance(left, dt.timedelta):
        return left + right if op == "+" else left - right
    if op in "+-" and kl == kr == "years and months duration":
        return YearsMonths(left.months + right.months if op == "+" else left.months - right.months)
    if op == "-" and kl == kr and kl in ("date", "date and time"):
        return None if kl == "date and time" and (left.tzinfo is None) != (right.tzinfo is None) else left - right
    if kl in ("date", "date and time") and op in "+-":
        if isinstance(right, dt.timedelta):
            moved = left + right if op == "+" else left - right
            return moved
        if isinstance(right, YearsMonths):
            return _add_months(left, right.months if op == "+" else -right.months)
    if op == "+" and kr in ("date", "date and time") and kl in ("days and time duration", "years and months duration"):
        return _arithmetic("+", right, left)
    if op in "*/" and kl in ("days and time duration", "years and months duration") and kr == "number":
        if op == "/" and right == 0:
            return None
        factor = right if op == "*" else 1 / right
        if isinstance(left, dt.timedelta):
            return dt.timedelta(seconds=float(NUMBERS.multiply(decimal.Decimal(left.total_seconds()), factor)))
        return YearsMonths(int(NUMBERS.multiply(decimal.Decimal(left.months), factor)))
    return None


def _add_months(value: dt.date, months: int) -> dt.date:
    total = value.year * 12 + value.month - 1 + months
    year, month = divmod(total, 12)
    day = value.day
    while True:
        try:
            return value.replace(year=year, month=month + 1, day=day)
        except ValueError:
            day -= 1  # 31 January + 1 month is the last day of February


# ---------------------------------------------------------------- conversions

_DURATION = re.compile(r"^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def parse_duration(text: str) -> dt.timedelta | YearsMonths | None:
    match = _DURATION.match(text.strip())
    if not match or text.strip() in ("P", "-P") or text.strip().endswith("T"):
        return None
    neg, years, months, days, hours, minutes, seconds = match.groups()
    sign = -1 if neg else 1
    if years or months:
        if days or hours or minutes or seconds:
            return None  # a mixed duration has no FEEL type
        return YearsMonths(sign * (int(years or 0) * 12 + int(months or 0)))
    return sign * dt.timedelta(days=int(days or 0), hours=int(hours or 0), minutes=int(minutes or 0),
                               seconds=float(seconds or 0))


def parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()) if re.fullmatch(r"-?\d{4,}-\d\d-\d\d", text.strip()) else None
    except ValueError:
        return None


def parse_date_and_time(text: str) -> dt.datetime | None:
    text = text.strip()
    if "T" not in text:
        day = parse_date(text)
        return dt.datetime(day.year, day.month, day.day) if day else None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00").split("@")[0])
    except ValueError:
        return None


def parse_time(text: str) -> dt.time | None:
    try:
        return dt.time.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def temporal(text: str) -> Any:
    """An @"..." literal: the type follows from the text's shape."""
    if text.lstrip("-").startswith("P"):
        return parse_duration(text)
    if "T" in text:
        return parse_date_and_time(text)
    if ":" in text:
        return parse_time(text)
    return parse_date(text)


def duration_iso(value: dt.timedelta) -> str:
    seconds = value.total_seconds()
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    time = "".join(f"{int(v)}{u}" for v, u in ((hours, "H"), (minutes, "M")) if v)
    if secs:
        time += f"{secs:g}S"
    body = (f"{int(days)}D" if days else "") + (f"T{time}" if time else "")
    return f"{sign}P{body or 'T0S'}"


def from_python(value: Any) -> Any:
    """Task data (JSON-ish Python) as FEEL values: numbers become Decimal, the rest stays."""
    if isinstance(value, bool) or value is None or isinstance(value, str | decimal.Decimal):
        return value
    if isinstance(value, int):
        return decimal.Decimal(value)
    if isinstance(value, float):
        return decimal.Decimal(repr(value))
    if isinstance(value, list | tuple):
        return [from_python(v) for v in value]
    if isinstance(value, dict):
        return {str(k): from_python(v) for k, v in value.items()}
    return value


def to_python(value: Any) -> Any:
    """A FEEL value as task data can hold it (JSON): whole numbers int, temporal values as ISO text."""
    if isinstance(value, decimal.Decimal):
        if value == value.to_integral_value():
            return int(value)
        return float(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso(value)
    if isinstance(value, YearsMonths):
        return value.iso()
    if isinstance(value, list):
        return [to_python(v) for v in value]
    if isinstance(value, dict):
        return {k: to_python(v) for k, v in value.items()}
    if isinstance(value, Range):
        return None  # a range is a test, not a result to keep
    return value


def coerce(value: Any, type_ref: str | None) -> Any:
    """An input as its column's typeRef says: ISO text in task data becomes a date, a duration, ..."""
    if not isinstance(value, str) or not type_ref:
        return value
    name = type_ref.split(":")[-1].strip().lower()
    if name == "date":
        return parse_date(value) or value
    if name in ("datetime", "date and time"):
        return parse_date_and_time(value) or value
    if name == "time":
        return parse_time(value) or value
    if name in ("duration", "daytimeduration", "days and time duration", "yearmonthduration",
                "years and months duration"):
        parsed = parse_duration(value)
        return parsed if parsed is not None else value
    return value
