"""Reading the pages' query parameters, with a Danish field message for what cannot be read."""

from __future__ import annotations

from datetime import date

from flask import request

from service.errors import FieldError


def query_date(name: str, label: str, errors: list[FieldError]) -> date | None:
    """`?name=2026-01-31` as a date; None when absent; a field message in `errors` when it is not a date."""
    raw = request.args.get(name, "")
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        errors.append(FieldError(name, f"«{label}» skal være en dato."))
        return None
