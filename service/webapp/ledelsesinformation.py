"""Ledelsesinformation in the browser: the team's deadline compliance against the municipality's targets."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import g, render_template, request

from service.errors import FieldError, ValidationFailed
from service.ledelsesinformation import service as mi
from service.ledelsesinformation.views import default_period
from service.web import uow
from service.webapp import signin
from service.webapp.views import blp


def _date(name: str, label: str, errors: list[FieldError]) -> date | None:
    raw = request.args.get(name, "")
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        errors.append(FieldError(name, f"«{label}» skal være en dato."))
        return None


@blp.get("/ledelsesinformation")
@signin.page
def compliance() -> Any:
    errors: list[FieldError] = []
    fra, til = _date("fra", "Fra", errors), _date("til", "Til", errors)
    fra, til = default_period(fra, til)
    report, quality, status = None, [], 200
    if errors:
        status = 422
    else:
        try:
            report = mi.deadline_compliance(uow(), g.user, fra=fra, til=til)
            quality = mi.quality_measures(uow(), g.user, fra=fra, til=til)
        except ValidationFailed as failed:
            errors, status = failed.errors, 422
    return render_template("ledelsesinformation.html", report=report, quality=quality, fra=fra, til=til,
                           errors=errors), status
