"""Pages for a case's journal notes: write one on the case page, change one's own within 24 hours, correct one."""

from __future__ import annotations

from typing import Any

from flask import g, render_template, request

from service.errors import Conflict, Forbidden, ValidationFailed
from service.idempotency import adapters as once
from service.notater import service as notater
from service.web import uow
from service.webapp import forms, notat_form, signin
from service.webapp.format import day, when
from service.webapp.views import _case_page, blp

blp.add_app_template_filter(day, "dag")


@blp.app_template_filter("kan_rettes_til")
def _changeable_until(created_at: Any) -> str:
    return when(created_at + notater.CHANGE_WINDOW)


def _posted(form: dict[str, Any]) -> dict[str, Any]:
    return forms.to_data(form, request.form)


@blp.post("/sager/<case_id>/notater")
@signin.page
def note_submit(case_id: str) -> Any:
    """Written once per rendered form: a double click leads to the first result."""
    data = _posted(notat_form.FORM)

    def change(unit: Any) -> Any:
        try:
            notat = notater.write(unit, g.user, case_id, notat_form.to_payload(data))
        except ValidationFailed as err:
            unit.rollback()
            return _case_page(case_id, note_values=data, note_errors=err.errors), 422
        return once.redirect_answer(f"/sager/{case_id}#notat-{notat.id}", "Notatet er gemt og journaliseret.")

    return once.page_change(change)


def _note_page(case_id: str, notat_id: str, *, correcting: bool, values: dict[str, Any] | None = None,
               errors: list | None = None, status: int = 200) -> tuple[str, int]:
    unit = uow()
    notat = notater.read_one(unit, g.user, case_id, notat_id, to_write=True)
    unit.commit()
    may_change = notater.may_change(notat, g.user)
    form = notat_form.CORRECTION_FORM if correcting else notat_form.FORM
    if values is None:
        values = {k: v for k, v in notat_form.values_of(notat).items() if not (correcting and k == "tekst")}
    fields = notat_form.fields(unit, case_id, values, errors, form=form) if correcting or may_change else []
    return render_template("notat.html", notat=notat, case=notat_form.case_of(unit, notat), correcting=correcting,
                           fields=fields, errors=errors or [], may_change=may_change), status


@blp.get("/sager/<case_id>/notater/<notat_id>/ret")
@signin.page
def note_edit(case_id: str, notat_id: str) -> tuple[str, int]:
    return _note_page(case_id, notat_id, correcting=False)


@blp.post("/sager/<case_id>/notater/<notat_id>/ret")
@signin.page
def note_change(case_id: str, notat_id: str) -> Any:
    data = _posted(notat_form.FORM)

    def change(unit: Any) -> Any:
        try:
            notater.change(unit, g.user, case_id, notat_id, notat_form.to_payload(data))
        except ValidationFailed as err:
            unit.rollback()
            return _note_page(case_id, notat_id, correcting=False, values=data, errors=err.errors, status=422)
        except (Conflict, Forbidden) as err:  # the 24 hours have passed, or a colleague's note: the page says so
            unit.rollback()
            return _note_page(case_id, notat_id, correcting=False, status=err.status)
        return once.redirect_answer(f"/sager/{case_id}#notat-{notat_id}", "Notatet er ændret og journaliseret.")

    return once.page_change(change)


@blp.get("/sager/<case_id>/notater/<notat_id>/rettelse")
@signin.page
def correction_form(case_id: str, notat_id: str) -> tuple[str, int]:
    return _note_page(case_id, notat_id, correcting=True)


@blp.post("/sager/<case_id>/notater/<notat_id>/rettelse")
@signin.page
def correction_submit(case_id: str, notat_id: str) -> Any:
    data = _posted(notat_form.CORRECTION_FORM)

    def change(unit: Any) -> Any:
        try:
            rettelse = notater.correct(unit, g.user, case_id, notat_id, notat_form.to_payload(data))
        except ValidationFailed as err:
            unit.rollback()
            return _note_page(case_id, notat_id, correcting=True, values=data, errors=err.errors, status=422)
        return once.redirect_answer(f"/sager/{case_id}#notat-{rettelse.id}",
                                    "Rettelsen er gemt og journaliseret.")

    return once.page_change(change)
