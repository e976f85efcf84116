"""The case page's parties: the list (CPR masked; *Vis CPR-nummer* journalled), the form to register one, ending one,
and the young person's own consent. The service (service/parter) judges every field."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import g, request

from service.errors import FieldError, ValidationFailed
from service.idempotency import adapters as once
from service.parter import service as parter
from service.parter.models import ROLLER, SAMTYKKER
from service.web import uow
from service.webapp import forms, signin
from service.webapp.views import _case_page, blp

CUSTODY_LABELS = {"faelles": "Fælles (mor og far)", "mor": "Mor", "far": "Far", "vaerge": "Værge",
                  "": "Ikke registreret"}

FORM: dict[str, Any] = {
    "type": "object",
    "required": ["rolle", "navn", "adresse"],
    "properties": {
        "rolle": {"type": "string", "title": "Rolle", "enum": list(ROLLER)},
        "foraeldremyndighed": {"type": "boolean", "title": "Har forældremyndigheden",
                               "description": "Fjern fluebenet for en forælder uden forældremyndighed (barnets anden "
                                              "forælder). En værge har den altid."},
        "navn": {"type": "string", "title": "Navn"},
        "cpr": {"type": "string", "title": "CPR-nummer", "description": "DDMMÅÅ-XXXX. Kan udelades, fx for en "
                                                                         "forælder i udlandet."},
        "adresse": {"type": "string", "title": "Adresse", "description": "Brevene sendes hertil."},
        "telefon": {"type": "string", "title": "Telefon"},
        "email": {"type": "string", "title": "E-mail"},
    },
    "x-ui": {"widgets": {"rolle": "radio"}, "labels": {"rolle": ROLLER}},
}

CONSENT_FORM: dict[str, Any] = {
    "type": "object",
    "required": ["ung_samtykke", "samtykke_dato"],
    "properties": {
        "ung_samtykke": {"type": "string", "title": "Den unges eget samtykke", "enum": list(SAMTYKKER)},
        "samtykke_dato": {"type": "string", "format": "date", "title": "Dato for samtykket", "x-senest": "i dag"},
    },
    "x-ui": {"widgets": {"ung_samtykke": "radio"}, "labels": {"ung_samtykke": SAMTYKKER}},
}


def section(unit: Any, case: Any, *, values: dict[str, Any] | None = None, errors: list[FieldError] | None = None,
            consent_errors: list[FieldError] | None = None) -> dict[str, Any]:
    shown = parter.of_case(unit, case)
    return {"parter": shown, "custody": CUSTODY_LABELS[shown.foraeldremyndighed], "roller": ROLLER,
            "fields": forms.fields_for(FORM, values or {"foraeldremyndighed": True},
                                       forms.errors_by_field(errors or [])),
            "errors": errors or [], "consent_errors": consent_errors or [],
            "consent_fields": forms.fields_for(CONSENT_FORM, {}, forms.errors_by_field(consent_errors or [])),
            "may_consent": shown.barn.alder >= parter.SAMTYKKE_FRA_ALDER, "samtykker": SAMTYKKER}


@blp.post("/sager/<case_id>/parter")
@signin.page
def party_submit(case_id: str) -> Any:
    data = forms.to_data(FORM, request.form)
    payload = {**data, "foraeldremyndighed": bool(data.get("foraeldremyndighed")), "rolle": data.get("rolle"),
               "navn": data.get("navn", ""), "adresse": data.get("adresse", "")}

    def change(unit: Any) -> Any:
        try:
            part = parter.add(unit, g.user, case_id, payload)
        except ValidationFailed as err:
            unit.rollback()
            return _case_page(case_id, party_values=data, party_errors=err.errors), 422
        return once.redirect_answer(f"/sager/{case_id}#parter-titel", f"{part.navn} er registreret som part.")

    return once.page_change(change)


@blp.post("/sager/<case_id>/parter/<part_id>/cpr")
@signin.page
def party_cpr(case_id: str, part_id: str) -> str:
    unit = uow()
    cpr = parter.reveal_cpr(unit, g.user, case_id, part_id)
    unit.commit()
    return _case_page(case_id, party_cpr=(part_id, cpr))


@blp.post("/sager/<case_id>/parter/<part_id>/ophoer")
@signin.page
def party_end(case_id: str, part_id: str) -> Any:
    def change(unit: Any) -> Any:
        part = parter.change(unit, g.user, case_id, part_id, {"ophoert": True})
        return once.redirect_answer(f"/sager/{case_id}#parter-titel", f"{part.navn} er ikke længere part.")

    return once.page_change(change)


@blp.post("/sager/<case_id>/parter/samtykke")
@signin.page
def consent_submit(case_id: str) -> Any:
    data = forms.to_data(CONSENT_FORM, request.form)
    try:
        dato: Any = date.fromisoformat(data.get("samtykke_dato", ""))
    except ValueError:
        return _case_page(case_id, consent_errors=[FieldError("samtykke_dato", "Angiv en dato.")]), 422

    def change(unit: Any) -> Any:
        try:
            parter.register_consent(unit, g.user, case_id, {"samtykke": data.get("ung_samtykke"), "dato": dato})
        except ValidationFailed as err:
            unit.rollback()
            named = {"samtykke": "ung_samtykke", "dato": "samtykke_dato"}
            return _case_page(case_id, consent_errors=[FieldError(named.get(e.field, e.field), e.message)
                                                       for e in err.errors]), 422
        return once.redirect_answer(f"/sager/{case_id}#parter-titel", "Den unges samtykke er registreret.")

    return once.page_change(change)
