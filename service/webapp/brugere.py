"""«Brugere og teams»: the administrator's pages over service/brugere (one service call per change)."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request

from service.access.models import ROLE_NAMES, ROLES, TEAM_ROLES
from service.brugere import changes, teams
from service.brugere import service as brugere
from service.brugere.changes import Actor
from service.errors import ValidationFailed
from service.web import uow
from service.webapp import forms, signin
from service.webapp.views import blp

ROLE_HELP = {"raadgiver": "Rådgiver – arbejder teamets sager og opgaver",
             "teamleder": "Teamleder – fordeler og træffer teamlederens afgørelser, ser teamets ledelsesinformation",
             "procesejer": "Procesejer – vedligeholder procesmodeller, tabeller og frister",
             "admin": "Administrator – opretter og ændrer brugere og teams",
             "afdelingsleder": "Afdelingsleder – læser alle teams' sager, frister og ledelsesinformation; ændrer intet"}
USER_FORM: dict[str, Any] = {
    "type": "object",
    "required": ["brugernavn", "navn", "rolle"],
    "properties": {
        "brugernavn": {"type": "string", "title": "Brugernavn",
                       "description": "Små bogstaver a–z, tal og . _ - @ (fx rikke.r). Bruges ved log-ind."},
        "navn": {"type": "string", "title": "Fulde navn"},
        "email": {"type": "string", "title": "E-mail", "description": "Advis og overskredne frister sendes hertil."},
        "rolle": {"type": "string", "title": "Rolle", "enum": list(ROLES)},
        "team_id": {"type": "string", "title": "Team", "description": "Skal vælges for rådgivere og teamledere; "
                    "andre roller hører ikke til et team. Tagne opgaver i et tidligere team frigives dér."},
    },
    "x-ui": {"widgets": {"rolle": "radio"}, "labels": {"rolle": ROLE_HELP}},
}
STATES = {"aktive": True, "deaktiverede": False, "alle": None}


def _actor() -> Actor:
    return Actor.admin(g.user)  # 403 page for anyone but an administrator


def _values() -> dict[str, Any]:
    """The posted user form as the service takes it: a team id, or None for «no team»."""
    values: dict[str, Any] = {name: request.form.get(name, "") for name in USER_FORM["properties"]}
    raw = values["team_id"].strip()
    values["team_id"] = int(raw) if raw.isdigit() else (raw or None)  # an unknown text: «Teamet findes ikke»
    if values["rolle"] not in TEAM_ROLES:
        values["team_id"] = None  # the form may still show a team; only caseworkers and team leaders have one
    return values


def _form(values: dict[str, Any], errors: list[Any]) -> list[forms.Field]:
    team_choices = [(str(row.team.id), row.team.navn) for row in teams.list_teams(uow(), include_inactive=False)]
    shown = {**values, "team_id": "" if values.get("team_id") is None else str(values["team_id"])}
    return forms.fields_for(USER_FORM, shown, forms.errors_by_field(errors), choices={"team_id": team_choices})


@blp.get("/brugere")
@signin.page
def users_page() -> str:
    _actor()
    state = request.args.get("status", "aktive")
    role, team_id = request.args.get("rolle") or None, request.args.get("team", type=int)
    found = brugere.list_users(uow(), search=request.args.get("q") or None, role=role, team_id=team_id,
                               active=STATES.get(state, True))
    return render_template("brugere.html", users=found, teams=teams.list_teams(uow()), roles=ROLE_NAMES,
                           log=changes.recent(uow(), limit=50), q=request.args.get("q", ""), role=role,
                           team_id=team_id, state=state, team_errors=[])


@blp.route("/brugere/ny", methods=["GET", "POST"])
@signin.page
def new_user() -> Any:
    actor = _actor()
    values, errors, status = {"rolle": "raadgiver"}, [], 200
    if request.method == "POST":
        values = _values()
        password = request.form.get("adgangskode") or None
        unit = uow()
        try:
            created = brugere.create_user(unit, actor, {**values, "adgangskode": password})
        except ValidationFailed as failed:
            errors, status = failed.errors, 422
        else:
            unit.commit()
            return render_template("adgangskode.html", user=created.user, password=created.one_time_password,
                                   created=True)
    return render_template("bruger.html", user=None, fields=_form(values, errors), errors=errors,
                           password_errors=[e.message for e in errors if e.field == "adgangskode"]), status


@blp.route("/brugere/<int:user_id>", methods=["GET", "POST"])
@signin.page
def edit_user(user_id: int) -> Any:
    actor = _actor()
    user = brugere.get_user(uow(), user_id)
    values = {"brugernavn": user.username, "navn": user.full_name, "email": user.email or "", "rolle": user.role,
              "team_id": user.team_id}
    errors, status = [], 200
    if request.method == "POST":
        values = _values()
        if values["rolle"] not in TEAM_ROLES and values["team_id"] is None:
            values.pop("team_id")  # no team chosen for a role without one: the service clears it
        unit = uow()
        try:
            brugere.edit_user(unit, actor, user_id, values)
        except ValidationFailed as failed:
            errors, status = failed.errors, 422
            unit.rollback()
        else:
            unit.commit()
            flash(f"Ændringerne til {user.full_name} er gemt.", "ok")
            return redirect(f"/brugere/{user_id}")
    return render_template("bruger.html", user=user, fields=_form(values, errors), errors=errors, password_errors=[],
                           log=changes.recent(uow(), user_id=user_id, limit=50)), status


@blp.route("/brugere/<int:user_id>/deaktiver", methods=["GET", "POST"])
@signin.page
def deactivate_user(user_id: int) -> Any:
    actor = _actor()
    user = brugere.get_user(uow(), user_id)
    if request.method == "GET":  # the confirmation: what deactivating does, before it is done
        return render_template("bruger_deaktiver.html", user=user, errors=[])
    unit = uow()
    try:
        brugere.deactivate_user(unit, actor, user_id)
    except ValidationFailed as failed:
        unit.rollback()
        return render_template("bruger_deaktiver.html", user=user, errors=failed.errors), 422
    unit.commit()
    flash(f"{user.full_name} er deaktiveret og logget ud overalt; tagne opgaver er frigivet til teamet.", "ok")
    return redirect(f"/brugere/{user_id}")


@blp.post("/brugere/<int:user_id>/aktiver")
@signin.page
def reactivate_user(user_id: int) -> Any:
    actor = _actor()
    unit = uow()
    try:
        user = brugere.reactivate_user(unit, actor, user_id)
    except ValidationFailed as failed:
        flash(" ".join([str(failed)] + [e.message for e in failed.errors]), "fejl")
        return redirect(f"/brugere/{user_id}")
    unit.commit()
    flash(f"{user.full_name} er aktiveret igen.", "ok")
    return redirect(f"/brugere/{user_id}")


@blp.post("/brugere/<int:user_id>/nulstil-adgangskode")
@signin.page
def reset_password(user_id: int) -> Any:
    actor = _actor()
    unit = uow()
    chosen = brugere.reset_password(unit, actor, user_id)
    unit.commit()
    # Shown on this answer only (never in a flash message: that travels in the session cookie).
    return render_template("adgangskode.html", user=brugere.get_user(unit, user_id), password=chosen, created=False)


@blp.post("/brugere/teams")
@signin.page
def new_team() -> Any:
    actor = _actor()
    unit = uow()
    try:
        team = teams.create_team(unit, actor, request.form.get("navn", ""))
    except ValidationFailed as failed:
        unit.rollback()
        return render_template("brugere.html", users=brugere.list_users(uow(), active=True),
                               teams=teams.list_teams(uow()), roles=ROLE_NAMES, log=changes.recent(uow(), limit=50),
                               q="", role=None, team_id=None, state="aktive", team_errors=failed.errors,
                               team_name=request.form.get("navn", "")), 422
    unit.commit()
    flash(f"Team «{team.navn}» er oprettet.", "ok")
    return redirect("/brugere#teams")


@blp.route("/brugere/teams/<int:team_id>", methods=["GET", "POST"])
@signin.page
def team_page(team_id: int) -> Any:
    actor = _actor()
    team = teams.get_team(uow(), team_id)
    errors, status = [], 200
    if request.method == "POST":
        action = request.form.get("handling", "omdoeb")
        unit = uow()
        try:
            if action == "nedlaeg":
                teams.deactivate_team(unit, actor, team_id)
            elif action == "genopret":
                teams.reactivate_team(unit, actor, team_id)
            else:
                teams.rename_team(unit, actor, team_id, request.form.get("navn", ""))
        except ValidationFailed as failed:
            unit.rollback()
            errors, status = failed.errors, 422
        else:
            unit.commit()
            flash(f"Team «{team.navn}» er {_TEAM_DONE.get(action, 'gemt')}.", "ok")
            return redirect(f"/brugere/teams/{team_id}")
    row = next(r for r in teams.list_teams(uow()) if r.team.id == team_id)
    return render_template("team.html", row=row, errors=errors, name=request.form.get("navn", team.navn),
                           roles=ROLE_NAMES, members=brugere.list_users(uow(), team_id=team_id, active=True),
                           log=changes.recent(uow(), team_id=team_id, limit=50)), status


_TEAM_DONE = {"nedlaeg": "nedlagt", "genopret": "genoprettet"}
