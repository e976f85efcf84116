"""Økonomi in the browser: on the case page each measure's expected cost against what is paid (and a payment
recorded by hand); under Ledelsesinformation the yearly review against the budget; for administrators the
finance system's file and the budgets. The services (service/oekonomi/) judge every field."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import g, render_template, request

from service.access import service as access
from service.brugere import teams
from service.errors import FieldError, Forbidden, NotFound, ValidationFailed
from service.idempotency import adapters as once
from service.indsatsvifte import service as catalogue
from service.oekonomi import aarsopfoelgning, betalingsimport, budget, budgetimport, sag
from service.oekonomi.beloeb import BeloebUgyldigt, kroner, parse_kroner
from service.oekonomi.beregning import PERIODER
from service.web import uow
from service.webapp import forms, signin
from service.webapp.views import _case_page, blp

blp.add_app_template_filter(kroner, "kr")


def _payment_form(case_figures: sag.Sagsoekonomi) -> dict[str, Any]:
    contracts = {r.kontrakt.id: f"{r.kontrakt.indsats.navn} hos {r.kontrakt.leverandoer.navn} (fra "
                                f"{r.kontrakt.startdato:%d.%m.%Y})" for r in case_figures.indsatser}
    return {"type": "object", "required": ["kontrakt_id", "betalingsdato", "beloeb"], "properties": {
        "kontrakt_id": {"type": "string", "title": "Indsats", "enum": list(contracts)},
        "betalingsdato": {"type": "string", "format": "date", "title": "Betalingsdato"},
        "beloeb": {"type": "string", "title": "Beløb (kr.)",
                   "description": "Fx 1.234,50; negativt for en kreditering."},
        "tekst": {"type": "string", "title": "Tekst", "description": "Fx fakturanummer eller periode. Kan udelades."},
    }, "x-ui": {"labels": {"kontrakt_id": contracts}, "widgets": {"betalingsdato": "date"}}}


def section(unit: Any, user: Any, case: Any, *, values: dict[str, Any] | None = None,
            errors: list[FieldError] | None = None) -> dict[str, Any]:
    """The case page's Økonomi: its read is the case page's own (journalled there)."""
    figures = sag.figures(unit, case)
    form = _payment_form(figures)
    return {"figures": figures, "perioder": PERIODER, "errors": errors or [],
            "may_write": access.may_see_case(user, case.team_id) and case.arkiveret_at is None,
            "fields": forms.fields_for(form, values or {}, forms.errors_by_field(errors or []))}


@blp.post("/sager/<case_id>/betalinger")
@signin.page
def payment_submit(case_id: str) -> Any:
    values = {k: request.form.get(k, "").strip() for k in ("kontrakt_id", "betalingsdato", "beloeb", "tekst")}
    errors = []
    try:
        oere = parse_kroner(values["beloeb"]) if values["beloeb"] else None
        if oere is None:
            errors.append(FieldError("beloeb", "Angiv beløbet."))
    except BeloebUgyldigt as err:
        errors.append(FieldError("beloeb", str(err)))
    try:
        day: Any = date.fromisoformat(values["betalingsdato"])
    except ValueError:
        errors.append(FieldError("betalingsdato", "Angiv en dato."))
    if errors:
        return _case_page(case_id, economy_values=values, economy_errors=errors), 422

    def change(unit: Any) -> Any:
        try:
            sag.register_payment(unit, g.user, case_id, {"kontrakt_id": values["kontrakt_id"], "betalingsdato": day,
                                                         "beloeb_oere": oere, "tekst": values["tekst"] or None})
        except ValidationFailed as err:
            unit.rollback()
            named = [FieldError("beloeb" if e.field == "beloeb_oere" else e.field, e.message) for e in err.errors]
            return _case_page(case_id, economy_values=values, economy_errors=named), 422
        return once.redirect_answer(f"/sager/{case_id}#oekonomi-titel",
                                    f"Betalingen på {kroner(oere)} er registreret.")

    return once.page_change(change)


# --- the yearly review (Ledelsesinformation › Økonomi) ------------------------------------------------------

def _year() -> tuple[int, list[FieldError]]:
    raw = request.args.get("aar") or request.form.get("aar")
    if not raw:
        return sag.today().year, []
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw), []
    return sag.today().year, [FieldError("aar", "«År» skal være et årstal mellem 2000 og 2100.")]


def _review_page(errors: list[FieldError], status: int = 200, values: dict[str, str] | None = None) -> Any:
    aar, year_errors = _year()
    errors = [*year_errors, *errors]
    team_id = request.args.get("team", type=int)
    review = aarsopfoelgning.review(uow(), g.user, aar=aar, team_id=team_id)
    all_teams = access.reads_all_teams(g.user)
    return render_template("oekonomi.html", review=review, aar=aar, errors=errors, values=values or {},
                           all_teams=all_teams, team_id=team_id,
                           teams=[row.team for row in teams.list_teams(uow())] if all_teams else [],
                           indsatser=catalogue.list_indsatser(uow()) if g.user.role == "teamleder" else [],
                           years=range(sag.today().year + 1, sag.today().year - 5, -1)), 422 if errors else status


@blp.get("/ledelsesinformation/oekonomi")
@signin.page
def review_page() -> Any:
    return _review_page([])


def _budget_change(aar: int, team_id: int, values: dict[str, str], back: str) -> Any:
    errors: list[FieldError] = []
    try:
        oere = parse_kroner(values.get("beloeb", ""))
    except BeloebUgyldigt as err:
        errors.append(FieldError("beloeb", str(err)))
    indsats_id = int(values["indsats_id"]) if values.get("indsats_id", "").isdigit() else None
    if indsats_id is None:
        errors.append(FieldError("indsats_id", "Vælg en indsats."))
    if errors:
        raise ValidationFailed(budget.REFUSED, errors)

    def change(unit: Any) -> Any:
        row = budget.put(unit, g.user, aar=aar, team_id=team_id, indsats_id=indsats_id, beloeb_oere=oere)
        return once.redirect_answer(back, f"Budgettet for {aar} er sat til {kroner(row.beloeb_oere)}.")

    return once.page_change(change)


@blp.post("/ledelsesinformation/oekonomi/budget")
@signin.page
def review_budget() -> Any:
    """A team leader sets his own team's budget for a measure type."""
    aar, errors = _year()
    values = {k: request.form.get(k, "").strip() for k in ("indsats_id", "beloeb")}
    if errors:
        return _review_page(errors, values=values)
    try:
        return _budget_change(aar, g.user.team_id or 0, values, f"/ledelsesinformation/oekonomi?aar={aar}")
    except ValidationFailed as failed:
        return _review_page(failed.errors, values=values)


# --- the administrator's page: the finance system's file and the budgets ----------------------------------

def _admin_page(*, errors: list[FieldError] | None = None, message: str | None = None, status: int = 200,
                kind: str = "") -> Any:
    if g.user.role != "admin":
        raise Forbidden("Kun administratorer kan indlæse betalinger og budgetter.")
    return render_template("oekonomi_admin.html", errors=errors or [], message=message, kind=kind,
                           columns=list(betalingsimport.HEADER_OF.values()),
                           budget_columns=list(budgetimport.HEADER_OF.values())), status


@blp.get("/oekonomi")
@signin.page
def admin_page() -> Any:
    return _admin_page()


@blp.post("/oekonomi/<kind>")
@signin.page
def admin_import(kind: str) -> Any:
    if kind not in ("betalinger", "budget"):
        raise NotFound("Siden findes ikke.")
    upload = request.files.get("fil")
    if upload is None or not upload.filename:
        return _admin_page(errors=[FieldError("fil", "Vælg en CSV-fil.")], status=422, kind=kind)
    raw = upload.stream.read(20 * 1024 * 1024 + 1)
    if len(raw) > 20 * 1024 * 1024:
        return _admin_page(errors=[FieldError("fil", "Filen er større end 20 MB.")], status=422, kind=kind)
    unit = uow()
    try:
        if kind == "betalinger":
            message = betalingsimport.import_payments(unit, g.user, filename=upload.filename, raw=raw).lines()[0]
        else:
            message = f"{budgetimport.import_budgets(unit, g.user, raw)} budgetter er sat."
    except ValidationFailed as failed:
        unit.rollback()
        return _admin_page(errors=[FieldError("fil", failed.message), *failed.errors], status=422, kind=kind)
    unit.commit()
    return _admin_page(message=message, kind=kind)
