"""The team leader's page for a citizen's indsigt: who read and wrote in a child's cases. The CPR is posted,
never put in the address."""

from __future__ import annotations

from typing import Any

from flask import g, render_template, request

from service.errors import Forbidden, NotFound, ValidationFailed
from service.indsigt import service as indsigt
from service.web import uow
from service.webapp import signin
from service.webapp.timeline import KIND_LABELS
from service.webapp.views import blp


def _allowed() -> None:
    if not indsigt.may_give_indsigt(g.user):
        raise Forbidden("Kun teamledere og administratorer kan give indsigt i, hvem der har set et barns sag.")


@blp.get("/indsigt")
@signin.page
def indsigt_form() -> Any:
    _allowed()
    return render_template("indsigt.html", found=None, errors=[], labels=KIND_LABELS)


@blp.post("/indsigt")
@signin.page
def indsigt_lookup() -> Any:
    _allowed()
    unit = uow()
    try:
        found = indsigt.access_log(unit, g.user, request.form.get("cpr", ""))
    except (ValidationFailed, NotFound) as err:
        unit.rollback()
        return render_template("indsigt.html", found=None, errors=err.errors or [err],
                               labels=KIND_LABELS), err.status
    unit.commit()
    return render_template("indsigt.html", found=found, errors=[], labels=KIND_LABELS)
