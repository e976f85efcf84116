"""«Mine indstillinger»: the signed-in user's own choices (how notices come by e-mail)."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request

from service.errors import ValidationFailed
from service.notifications import preferences
from service.notifications.email import FREQUENCIES
from service.web import uow
from service.webapp import forms, signin
from service.webapp.views import blp

SETTINGS_FORM: dict[str, Any] = {
    "type": "object",
    "required": ["email_frekvens"],
    "properties": {
        "email_frekvens": {"type": "string", "title": "Beskeder på e-mail", "enum": list(FREQUENCIES),
                           "description": "Advis, overskredne frister og omfordelinger står altid i indbakken. "
                           "En e-mail nævner kun sagsnummeret, aldrig CPR-nummer eller barnets navn."},
    },
    "x-ui": {"widgets": {"email_frekvens": "radio"}, "labels": {"email_frekvens": FREQUENCIES}},
}


@blp.route("/mine-indstillinger", methods=["GET", "POST"])
@signin.page
def my_settings() -> Any:
    values = {"email_frekvens": g.user.email_frekvens}
    errors, status = [], 200
    if request.method == "POST":
        values = {"email_frekvens": request.form.get("email_frekvens", "")}
        unit = uow()
        try:
            preferences.set_frequency(unit, g.user, values["email_frekvens"])
        except ValidationFailed as failed:
            errors, status = failed.errors, 422
            unit.rollback()
        else:
            unit.commit()
            flash("Dine indstillinger er gemt.", "ok")
            return redirect("/mine-indstillinger")
    fields = forms.fields_for(SETTINGS_FORM, values, forms.errors_by_field(errors))
    return render_template("mine_indstillinger.html", fields=fields, errors=errors), status
