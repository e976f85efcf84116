"""Pages for retention and aktindsigt: /arkiv (what is due for archiving, what was archived) for team leaders and
heads of department, and the case page's aktindsigt form (the PDF comes back as a download; the CPR is posted)."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, render_template, request

from service.aktindsigt import service as aktindsigt
from service.arkiv import service as arkiv
from service.errors import ValidationFailed
from service.web import uow
from service.webapp import signin
from service.webapp.views import _case_page, blp


@blp.get("/arkiv")
@signin.page
def archive_page() -> str:
    months = current_app.extensions["sagsflow"]["settings"].archive_after_months
    return render_template("arkiv.html", overview=arkiv.overview(uow(), g.user, months=months))


@blp.post("/sager/<case_id>/aktindsigt")
@signin.page
def aktindsigt_bundle(case_id: str) -> Any:
    unit = uow()
    try:
        bundle = aktindsigt.produce(unit, g.user, case_id, {"part_cpr": request.form.get("part_cpr"),
                                                           "part_navn": request.form.get("part_navn")})
    except ValidationFailed as err:
        unit.rollback()
        return _case_page(case_id, aktindsigt_errors=err.errors), 422
    unit.commit()
    response = Response(bundle.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{bundle.filename}"'
    return response
