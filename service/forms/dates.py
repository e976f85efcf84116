"""Form dates that record what happened (held, sent, received) may not lie after today.

A date field marked `"x-senest": "i dag"` in its JSON Schema is checked against the clock's Danish date;
dates that plan something (a start date, a deadline, the next meeting) carry no mark and may lie ahead.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from jsonschema.exceptions import ValidationError

from service import clock

KEYWORD = "x-senest"
TODAY = "i dag"
_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
           "november", "december")


def long_day(value: date) -> str:
    """'3. december 2026'."""
    return f"{value.day}. {_MONTHS[value.month - 1]} {value.year}"


def too_late_message(label: str) -> str:
    return f"«{label}» må ikke ligge efter i dag ({long_day(clock.today())})."


def not_after_today(validator: Any, value: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
    """The jsonschema keyword: today is read when the data is checked, not when the form was deployed."""
    if value != TODAY or not isinstance(instance, str):
        return
    try:
        given = date.fromisoformat(instance)
    except ValueError:
        return  # "format": "date" answers for a date that is not one
    if given > clock.today():
        yield ValidationError(f"{instance} er efter i dag")


def misuse(schema: Any, path: str = "") -> list[str]:
    """Where a form uses the keyword wrongly: only "i dag", and only on a date field (checked at deploy)."""
    if isinstance(schema, list):
        return [problem for sub in schema for problem in misuse(sub, path)]
    if not isinstance(schema, dict):
        return []
    found = []
    if KEYWORD in schema and (schema[KEYWORD] != TODAY or schema.get("format") != "date"):
        found.append(f"«{KEYWORD}» ved «{path or '(formular)'}» kan kun være \"{TODAY}\" på et datofelt "
                     f"(\"format\": \"date\")")
    for key, sub in schema.items():
        if key == "properties" and isinstance(sub, dict):
            found += [p for name, prop in sub.items() for p in misuse(prop, f"{path}.{name}" if path else name)]
        elif isinstance(sub, dict | list):
            found += misuse(sub, path)
    return found
