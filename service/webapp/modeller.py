"""The process owner's pages: deployed processes and their versions, a version's diagram, the browser modeler,
and deploying a file edited in Camunda Modeler."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, g, make_response, redirect, render_template, request
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from service.access import service as access
from service.deadlines import catalogue
from service.errors import FieldError, ValidationFailed
from service.process_models import analysis, changes, drafts, migration
from service.process_models import service as process_models
from service.process_models.views import upload_arguments
from service.web import uow
from service.webapp import signin
from service.webapp.format import duration_hours
from service.webapp.query import query_date
from service.webapp.views import blp


def _require_owner() -> None:
    access.require_model_owner(g.user)


@blp.get("/modeller")
@signin.page
def process_list() -> str:
    _require_owner()
    return render_template("modeller.html", processes=process_models.processes(uow()),
                           tables=process_models.tables(uow()))


def _process_page(process_id: str, *, errors: list[FieldError] | None = None, status: int = 200) -> tuple[str, int]:
    lines = process_models.versions_of(uow(), process_id)
    wanted = request.args.get("version", type=int)
    shown = next((line for line in lines if line.version.version == wanted), lines[0])
    period_errors: list[FieldError] = []
    fra, til = analysis.default_period(query_date("fra", "Fra", period_errors), query_date("til", "Til", period_errors))
    flow = []
    if not period_errors:
        try:
            flow = analysis.activity_flow(uow(), process_id=process_id, fra=fra, til=til)
        except ValidationFailed as failed:
            period_errors = failed.errors
    badges = {a.bpmn_id: f"{a.done} udført · median {duration_hours(a.median_hours)}" for a in flow if a.done}
    return render_template("model.html", lines=lines, shown=shown, latest=lines[0], errors=errors or [],
                           changes=process_models.changes_from_previous(uow(), shown.version), flow=flow,
                           fra=fra, til=til, period_errors=period_errors, badges=badges,
                           ), 422 if period_errors and status == 200 else status


@blp.get("/modeller/<process_id>")
@signin.page
def process_page(process_id: str) -> tuple[str, int]:
    _require_owner()
    return _process_page(process_id)


@blp.get("/modeller/<process_id>/rediger")
@signin.page
def modeler_page(process_id: str) -> Response:
    """The newest version (or `?version=N`) opened in the browser modeler; validating and deploying go through the
    API, so the browser and Camunda Modeler uploads meet the same checks."""
    _require_owner()
    lines = process_models.versions_of(uow(), process_id)
    wanted = request.args.get("version", type=int)
    base = next((line for line in lines if line.version.version == wanted), lines[0])
    deadlines = [{"id": r.id, "navn": r.navn, "laengde": catalogue.length_da(r.amount, r.unit)
                  + (" før" if r.before else "")}
                 for r in sorted(catalogue.current().rules.values(), key=lambda r: r.navn)]
    return _editor(render_template("model_rediger.html", base=base, latest=lines[0], deadlines=deadlines,
                                   draft=drafts.find(uow(), g.user, base.version.filename)))


@blp.get("/modeller/<process_id>/flyt")
@signin.page
def migration_page(process_id: str) -> str:
    """What moving the running cases of an older version to the newest would do: how many can move, why the
    others cannot, and what changes for them."""
    _require_owner()
    checked = migration.check(uow(), g.user, process_id=process_id, source_number=_source_number())
    found = changes.version_changes(checked.source.bpmn_xml, checked.source.files or {}, checked.target.bpmn_xml,
                                    checked.target.files or {})
    return render_template("model_flyt.html", checked=checked, changes=found)


@blp.post("/modeller/<process_id>/flyt")
@signin.page
def migrate_cases(process_id: str) -> Any:
    _require_owner()
    source = _source_number()
    done = migration.move_cases(current_app.extensions["sagsflow"]["session_factory"], g.user,
                                process_id=process_id, source_number=source)
    flash(f"{done.moved} {'sag er' if done.moved == 1 else 'sager er'} flyttet til version {done.target.version}."
          + (f" {sum(done.blocked.values())} kunne ikke flyttes." if done.blocked else "")
          + (f" {done.left} venter endnu: tryk «Flyt» igen." if done.left else ""), "ok")
    return redirect(f"/modeller/{process_id}/flyt?fra={source}" if done.left else f"/modeller/{process_id}")


def _source_number() -> int:
    number = request.values.get("fra", type=int)
    if number is None:
        raise ValidationFailed("Vælg en version.", [FieldError("fra", "Angiv den version, sagerne skal flyttes fra.")])
    return number


@blp.get("/modeller/tabeller/<filename>")
@signin.page
def table_page(filename: str) -> Response:
    """A DMN table in the browser's table editor, as the processes using it were last deployed with it."""
    _require_owner()
    return _editor(render_template("tabel_rediger.html", table=process_models.table(uow(), filename),
                                   draft=drafts.find(uow(), g.user, filename)))


@blp.get("/modeller/frister")
@signin.page
def deadline_catalogue() -> str:
    """The deadline catalogue in force, with the law's limits and where the models use each deadline."""
    _require_owner()
    loaded = catalogue.current()
    rows = [(rule, catalogue.length_da(rule.amount, rule.unit),
             catalogue.length_da(*catalogue.LEGAL_LIMITS[rule.id]) if rule.id in catalogue.LEGAL_LIMITS else None,
             catalogue.length_da(rule.warn_amount, rule.warn_unit) if rule.warn_amount else None)
            for rule in sorted(loaded.rules.values(), key=lambda r: (r.basis != "lov", r.navn))]
    return render_template("frister.html", rows=rows, calendar=loaded.calendar,
                           quality_targets=loaded.quality_targets, used=process_models.deadline_usage(uow()))


def _editor(page: str) -> Response:
    response = make_response(page)
    # bpmn-js and dmn-js draw some icons and cells with style attributes; scripts stay 'self' only.
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'")
    return response


@blp.post("/modeller/udrul")
@signin.page
def deploy_upload() -> Any:
    """A .bpmn or .dmn file from Camunda Modeler (or bpmn.io), deployed as in the API."""
    _require_owner()
    upload: FileStorage | None = request.files.get("fil")
    back = request.form.get("proces") or ""
    unit = uow()
    try:
        if upload is None or not upload.filename:
            raise ValidationFailed("Vælg en fil.", [FieldError("fil", "Vælg en .bpmn- eller .dmn-fil at udrulle.")])
        outcomes = process_models.deploy_upload(unit, **upload_arguments(upload), actor_id=g.user.id)
        unit.commit()
    except ValidationFailed as failed:
        unit.rollback()
        if back:
            return _process_page(back, errors=failed.errors, status=422)
        return render_template("modeller.html", processes=process_models.processes(unit),
                               tables=process_models.tables(unit), errors=failed.errors), 422
    for outcome in outcomes:
        version = outcome.version
        flash(f"{version.name}: version {version.version} er udrullet. Nye sager bruger den; kørende sager bliver på "
              "deres version." if outcome.created else
              f"{version.name}: uændret – version {version.version} bruges fortsat.", "ok")
    return redirect(f"/modeller/{outcomes[0].version.process_id}")
