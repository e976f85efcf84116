"""Danish display of times and deadlines (Europe/Copenhagen), for the templates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from service.deadlines.calendar import COPENHAGEN

_MONTHS = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec.")


def when(moment: datetime | None) -> str:
    """'2. mar. 2026 kl. 10.00' in Danish local time."""
    if moment is None:
        return ""
    local = moment.astimezone(COPENHAGEN)
    return f"{local.day}. {_MONTHS[local.month - 1]} {local.year} kl. {local:%H.%M}"


def day(value: str | date) -> str:
    """An ISO date from a form ('2026-05-15') as '15. maj 2026'; anything else unchanged."""
    try:
        parsed = value if isinstance(value, date) else date.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{parsed.day}. {_MONTHS[parsed.month - 1]} {parsed.year}"


def _span(delta: timedelta) -> str:
    """Hours up to two days (a 24-hour deadline is counted in hours), then days."""
    minutes = int(delta.total_seconds() // 60)
    hours, mins = divmod(minutes, 60)
    if hours >= 48:
        return f"{hours // 24} dage"
    if hours:
        unit = "time" if hours == 1 else "timer"
        return f"{hours} {unit} {mins} min" if mins else f"{hours} {unit}"
    return f"{max(mins, 1)} min"


def duration_hours(hours: float | None) -> str:
    """A typical time a task took: '45 min', '5 timer 30 min', '12 dage'."""
    return "" if hours is None else _span(timedelta(hours=hours))


def time_left(due: datetime, now: datetime) -> str:
    """'3 t 20 min tilbage' or 'overskredet med 2 dage'."""
    if due <= now:
        return f"overskredet med {_span(now - due)}"
    return f"{_span(due - now)} tilbage"


def lateness(seconds: int | None) -> str:
    """How late a deadline was met or missed: '2 timer for sent', '22 timer før fristen', 'på fristens sekund'."""
    if seconds is None:
        return ""
    if seconds == 0:
        return "på fristens sekund"
    span = _span(timedelta(seconds=abs(seconds)))
    return f"{span} for sent" if seconds > 0 else f"{span} før fristen"
