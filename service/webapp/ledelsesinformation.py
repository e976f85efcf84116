"""Ledelsesinformation in the browser: deadline compliance and practice against the targets, and the monthly
ledelsestilsyn of one random case per caseworker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import flash, g, redirect, render_template, request

from service.access import service as access
from service.brugere import teams
from service.errors import FieldError, ValidationFailed
from service.ledelsesinformation import definitions, drilldown, eksport, kvartal, opdeling, tilsyn
from service.ledelsesinformation import service as mi
from service.web import uow
from service.webapp import signin, trend_svg
from service.webapp.format import lateness
from service.webapp.query import query_date
from service.webapp.views import blp


def _month(raw: str | None, errors: list[FieldError]) -> date:
    try:
        return datetime.strptime(raw, "%Y-%m").date() if raw else mi.this_month()
    except ValueError:
        errors.append(FieldError("maaned", "«Måned» skal være en måned (ÅÅÅÅ-MM)."))
        return mi.this_month()


@dataclass(frozen=True)
class Trend:
    kpi: str
    navn: str
    chart: trend_svg.Chart
    months: list[tuple[date, opdeling.Cell]]
    choices: list[tuple[str, str]]


def _trend(kpi: str, til: date, team_id: int | None) -> Trend:
    """The 12 months up to the period's end for one KPI (an unknown one falls back to the first)."""
    months = opdeling.breakdown(uow(), g.user, efter="maaned", fra=eksport.trend_start(til), til=til, team_id=team_id)
    row = next((r for r in months.noegletal if r.definition.id == kpi), months.noegletal[0])
    cells = [(date.fromisoformat(f"{c.noegle}-01"), c) for c in row.celler]
    return Trend(row.definition.id, row.definition.navn,
                 trend_svg.layout(row.definition.id, row.definition.navn, row.definition.maal, cells), cells,
                 [(r.definition.id, r.definition.navn) for r in months.noegletal])


def _page(errors: list[FieldError], status: int = 200, month: date | None = None) -> tuple[str, int]:
    fra, til = mi.default_period(query_date("fra", "Fra", errors), query_date("til", "Til", errors))
    month = month or _month(request.args.get("maaned"), errors)
    team_id = request.args.get("team", type=int)
    all_teams = access.reads_all_teams(g.user)
    # A head of department compares the teams side by side; a team leader her caseworkers.
    efter = request.args.get("efter") or ("team" if all_teams else "raadgiver")
    report, quality, split, trend, status = None, [], None, None, 422 if errors else status
    flows, money = [], []
    if not errors:
        try:
            report = mi.deadline_compliance(uow(), g.user, fra=fra, til=til, team_id=team_id)
            quality = mi.quality_measures(uow(), g.user, fra=fra, til=til, team_id=team_id)
            split = opdeling.breakdown(uow(), g.user, efter=efter, fra=fra, til=til, team_id=team_id)
            trend = _trend(request.args.get("trend") or eksport.DEFAULT_TREND, til, team_id)
            flows = eksport.table(uow(), g.user, tabel="sagstal", fra=fra, til=til, team_id=team_id)
            money = eksport.table(uow(), g.user, tabel="indsatser", fra=fra, til=til, team_id=team_id)
        except ValidationFailed as failed:
            errors, status = failed.errors, 422
    # The monthly review is the team leader's own work; a head of department reads the figures only.
    samples = [] if all_teams else tilsyn.samples(uow(), g.user, month)
    return render_template("ledelsesinformation.html", report=report, quality=quality, split=split, efter=efter,
                           trend=trend, flows=flows, money=money, quarters=kvartal.recent_quarters(),
                           money_note=kvartal.MONEY_NOT_RECORDED, celle=eksport.danish,
                           dimensions=opdeling.DIMENSIONS, fra=fra, til=til,
                           errors=errors, month=month, month_name=tilsyn.month_name(month), samples=samples,
                           verdicts=tilsyn.VERDICTS, all_teams=all_teams, team_id=team_id,
                           teams=[row.team for row in teams.list_teams(uow())] if all_teams else []), status


@blp.get("/ledelsesinformation")
@signin.page
def compliance() -> Any:
    return _page([])


@blp.get("/ledelsesinformation/definitioner")
@signin.page
def kpi_definitions() -> Any:
    return render_template("ledelsesinformation_definitioner.html", definitions=definitions.definitions())


@blp.get("/ledelsesinformation/sager")
@signin.page
def drill_down() -> Any:
    """The cases behind a number on the page; each listed case is a read, journalled on the case."""
    errors: list[FieldError] = []
    fra, til = mi.default_period(query_date("fra", "Fra", errors), query_date("til", "Til", errors))
    if errors:
        raise ValidationFailed("Perioden er ugyldig.", errors)
    args = request.args
    unit = uow()
    found = drilldown.drilldown(unit, g.user, kpi=args.get("noegletal", ""), fra=fra, til=til,
                                team_id=args.get("team", type=int), efter=args.get("efter") or None,
                                noegle=args.get("noegle") or None, udfald=args.get("udfald") or None)
    column = opdeling.column_name(unit, found.efter, found.noegle) if found.efter and found.noegle else None
    unit.commit()
    return render_template("ledelsesinformation_sager.html", d=found, lateness=lateness, column=column,
                           dimensions=opdeling.DIMENSIONS)


@blp.post("/ledelsesinformation/tilsyn")
@signin.page
def draw_sample() -> Any:
    errors: list[FieldError] = []
    month = _month(request.form.get("maaned"), errors)
    if errors:
        return _page(errors)
    unit = uow()
    drawn = tilsyn.draw(unit, g.user, month)
    unit.commit()
    flash(f"{len(drawn)} sager er udtrukket til ledelsestilsyn for {tilsyn.month_name(month)}.", "ok")
    return redirect(f"/ledelsesinformation?maaned={month:%Y-%m}#tilsyn")


@blp.post("/ledelsesinformation/tilsyn/<int:sample_id>")
@signin.page
def review_sample(sample_id: int) -> Any:
    unit = uow()
    try:
        row = tilsyn.review(unit, g.user, sample_id, verdict=request.form.get("maerke", ""),
                            note=request.form.get("bemaerkning", ""))
    except ValidationFailed as failed:
        return _page(failed.errors, 422, month=_month(request.form.get("maaned"), []))
    unit.commit()
    flash("Gennemgangen er registreret og journaliseret på sagen.", "ok")
    return redirect(f"/ledelsesinformation?maaned={row.maaned:%Y-%m}#tilsyn")
