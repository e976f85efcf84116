"""Committee meetings in the browser: cases waiting for a committee, one meeting deciding a whole agenda."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, g, redirect, render_template, request

from service.committee import service as committees
from service.committee.models import COMMITTEES, ON_AGENDA
from service.errors import FieldError, ValidationFailed
from service.idempotency import adapters as once
from service.web import uow
from service.webapp import signin
from service.webapp.views import blp


def _overview(errors: list[FieldError] | None = None, status: int = 200) -> tuple[str, int]:
    unit = uow()
    waiting = {key: committees.waiting_cases(unit, g.user, key) for key in COMMITTEES}
    return render_template("udvalg.html", committees=COMMITTEES, waiting=waiting,
                           meetings=committees.planned_meetings(unit, g.user), errors=errors or []), status


@blp.get("/udvalg")
@signin.page
def overview() -> Any:
    return _overview()


@blp.post("/udvalg/<committee>/moeder")
@signin.page
def plan(committee: str) -> Any:
    unit = uow()
    try:
        meeting_date = date.fromisoformat(request.form.get("moededato", ""))
    except ValueError:
        return _overview([FieldError("moededato", "Angiv mødets dato.")], 422)
    view = committees.plan_meeting(unit, g.user, committee=committee, meeting_date=meeting_date)
    unit.commit()
    flash(f"Mødet er planlagt med {len(view.agenda)} sager på dagsordenen.", "ok")
    return redirect(f"/udvalg/moeder/{view.meeting.id}")


def _meeting_page(meeting_id: int, *, values: dict | None = None, errors: list[FieldError] | None = None,
                  status: int = 200) -> tuple[str, int]:
    view = committees.get_meeting(uow(), g.user, meeting_id)
    return render_template("udvalgsmoede.html", view=view, title=COMMITTEES[view.meeting.committee],
                           values=values or {}, errors=errors or [], on_agenda=ON_AGENDA), status


@blp.get("/udvalg/moeder/<int:meeting_id>")
@signin.page
def meeting(meeting_id: int) -> Any:
    return _meeting_page(meeting_id)


@blp.post("/udvalg/moeder/<int:meeting_id>")
@signin.page
def hold(meeting_id: int) -> Any:
    """Held once per rendered form: sent again, it leads to the first result, not to «already held»."""

    def change(unit: Any) -> Any:
        view = committees.get_meeting(unit, g.user, meeting_id)
        decisions = [{"case_id": case.id, "udfald": request.form.get(f"udfald-{case.id}", ""),
                      "begrundelse": request.form.get(f"begrundelse-{case.id}", "").strip()}
                     for referral, case in view.agenda if referral.status == ON_AGENDA]
        try:
            committees.hold_meeting(unit, g.user, meeting_id, decisions)
        except ValidationFailed as failed:
            unit.rollback()
            return _meeting_page(meeting_id, values=request.form.to_dict(), errors=failed.errors, status=422)
        return once.redirect_answer("/udvalg", "Mødet er afholdt. Hver sag fortsætter til den skriftlige afgørelse.")

    return once.page_change(change)
