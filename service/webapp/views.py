"""The caseworker's and team leader's pages: thin adapters over the domain services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, render_template, request
from werkzeug.wrappers import Response

from service import clock, web
from service.access import service as access
from service.access.models import ROLE_NAMES, User
from service.aktindsigt import service as aktindsigt
from service.cases import markers
from service.cases import service as cases
from service.cases.cpr import mask
from service.cases.models import Case
from service.committee import service as committee_service
from service.committee.models import COMMITTEES
from service.deadlines import service as deadlines
from service.dokumenter import filtyper
from service.dokumenter import service as dokumenter
from service.engine import instances
from service.errors import Conflict, DomainError, FieldError, ValidationFailed
from service.idempotency import adapters as once
from service.inbox import context as task_context
from service.inbox import service as inbox
from service.inbox.models import DONE, OPEN, HumanTask
from service.indsatsvifte import kontrakter
from service.indsatsvifte import service as indsatsvifte
from service.maalopfoelgning import service as maalopfoelgning
from service.maalopfoelgning.models import VURDERINGER
from service.notifications import status as inbox_news
from service.process_models import service as process_models
from service.web import uow
from service.webapp import forms, intake, lists, notat_form, signin, timeline
from service.webapp.format import duration_hours, time_left, when

blp = Blueprint("webapp", __name__, template_folder="templates", static_folder="static",
                static_url_path="/assets")


@blp.app_template_filter("tid")
def _when(moment: datetime | None) -> str:
    return when(moment)


blp.add_app_template_filter(mask, "cpr_maske")
blp.add_app_template_global(once.new_form_key, "idempotency_key")  # a form's hidden key, new at each rendering
blp.add_app_template_filter(duration_hours, "varighed")


@blp.context_processor
def _layout() -> dict[str, Any]:
    user: User | None = g.get("user")
    if user is None or g.get("database_lost"):  # the 503 page is shown as to a visitor: it reads nothing
        return {}
    casework = access.may_do_casework(user)
    # The badge, and what the page polls against (static/nyt.js): what is newer than this is news.
    inbox_status = inbox_news.of(uow(), user) if casework else None
    return {"user": user, "role_name": ROLE_NAMES.get(user.role, user.role), "csrf_token": g.csrf_token,
            "casework": casework, "home": signin.home(user), "inbox_status": inbox_status,
            "inbox_count": inbox_status.opgaver if inbox_status else 0, "marker_labels": markers.LABELS,
            "poll_seconds": current_app.extensions["sagsflow"]["settings"].poll_seconds}


@blp.errorhandler(DomainError)
def _domain_error(error: DomainError) -> tuple[str, int]:
    return render_template("fejl.html", error=error), error.status


# --- log-in -------------------------------------------------------------------------------------------


@blp.get("/log-ind")
def login_form() -> Any:
    found = web.cookie_session()
    if found is not None:
        return redirect(signin.safe_next(request.args.get("naeste"), found[0]))
    return signin.login_page(naeste=signin.safe_or_none(request.args.get("naeste")),
                             logged_out="logget_ud" in request.args)


@blp.post("/log-ind")
def login() -> Any:
    try:
        return signin.sign_in(request.form.get("username", ""), request.form.get("password", ""),
                              request.form.get("naeste"))
    except DomainError as err:
        return signin.login_page(err.status, error=str(err), naeste=signin.safe_or_none(request.form.get("naeste")),
                                 username=request.form.get("username", ""))


@blp.post("/log-ud")
@signin.page
def logout() -> Response:
    return signin.sign_out()


# --- the inbox ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxItem:
    task: HumanTask
    case: Case
    due: datetime | None
    escalation: bool
    workable: bool = True  # the viewer may open, take and do it (the case page also lists colleagues' tasks)
    markers: tuple[str, ...] = ()  # overgreb, akut, ny_underretning (service/cases/markers.py)

    @property
    def overdue(self) -> bool:
        return self.escalation or (self.due is not None and self.due <= clock.now())

    @property
    def left(self) -> str:
        if self.escalation:
            return "Frist overskredet – afventer din beslutning"
        return time_left(self.due, clock.now()) if self.due else "Ingen frist"


def _items(user: User, pairs: list[tuple[HumanTask, Case]], *, case_id: str | None = None) -> list[InboxItem]:
    """Overdue first, then by deadline; those without one last."""
    due = deadlines.task_deadlines(uow(), team_id=user.team_id, case_id=case_id) if user.team_id else {}
    items = [InboxItem(t, c, due[t.id].due_at if t.id in due else None, t.form_key == deadlines.ESCALATION_FORM,
                       _workable(user, t)) for t, c in pairs]
    return sorted(items, key=lambda i: (not i.escalation, i.due is None, i.due or i.task.created_at))


def _workable(user: User, task: HumanTask) -> bool:
    if not access.may_take_task(user, team_id=task.team_id, role=task.role):
        return False
    return task.claimed_by in (None, user.id) or user.role == "teamleder"  # who may release a colleague's task


def committee_work(unit: Any, user: User) -> list[str]:
    """What waits for the team's committees: a line per committee with cases waiting or a meeting planned."""
    planned = committee_service.planned_meetings(unit, user)
    lines = [f"{COMMITTEES[m.meeting.committee]}s møde {m.meeting.meeting_date:%d.%m.%Y} er planlagt med "
             f"{len(m.agenda)} {'sag' if len(m.agenda) == 1 else 'sager'} – afhold det" for m in planned]
    for key, title in COMMITTEES.items():
        waiting = len(committee_service.waiting_cases(unit, user, key))
        if waiting:
            lines.append(f"{waiting} {'sag venter' if waiting == 1 else 'sager venter'} på {title} – planlæg et møde")
    return lines


@blp.post("/opgaver/<task_id>/tag")
@signin.page
def claim(task_id: str) -> Response:
    """Taking a task opens it; when it cannot be taken, back to the same row of the same list."""

    def change(unit: Any) -> Any:
        try:
            inbox.claim(unit, g.user, task_id)
        except Conflict as err:
            return lists.back_to_row(signin.safe_next(request.form.get("tilbage")), task_id, str(err), "fejl")
        return once.redirect_answer(f"/opgaver/{task_id}", "Du har taget opgaven.")

    return once.page_change(change)


@blp.post("/opgaver/<task_id>/frigiv")
@signin.page
def release(task_id: str) -> Response:
    unit = uow()
    try:
        inbox.release(unit, g.user, task_id)
        unit.commit()
        message, kind = "Opgaven er frigivet til teamet.", "ok"
    except Conflict as err:
        unit.rollback()
        message, kind = str(err), "fejl"
    return lists.back_to_row(signin.safe_next(request.form.get("tilbage")), task_id, message, kind)


@blp.post("/notifikationer/<int:notification_id>/laest")
@signin.page
def mark_notice_read(notification_id: int) -> Response:
    unit = uow()
    deadlines.mark_read(unit, g.user, notification_id)
    unit.commit()
    return redirect("/indbakke")


# --- a task and its form --------------------------------------------------------------------------------


def _task_page(task_id: str, *, values: dict | None = None, errors: list[FieldError] | None = None,
               status: int = 200) -> tuple[str, int]:
    unit = uow()
    view = inbox.get_task(unit, g.user, task_id)
    context = task_context.for_task(unit, g.user, view.task, view.case) if view.task.status == "aaben" else None
    unit.commit()
    by_field = forms.errors_by_field(errors or [])
    choices = _catalogue_choices(unit, view.form) or _document_choices(unit, view.form, view.case.id)
    if errors is None and choices and "indsats_kode" in choices and not kontrakter.catalogue_ready(unit):
        errors = [FieldError("indsats_kode", kontrakter.EMPTY_CATALOGUE)]  # said before the work, not after
    if view.task.form_key == deadlines.ESCALATION_FORM:
        choices = {"ny_raadgiver": [(u.username, u.full_name) for u in access.caseworkers(unit, view.case.team_id)]}
    fields = forms.fields_for(view.form, view.task.draft if values is None else values, by_field, choices=choices)
    shown = forms.shown_paths(fields)
    general = [m for name, msgs in by_field.items() if name not in shown for m in msgs]
    item = next(iter(_items(g.user, [(view.task, view.case)], case_id=view.case.id)))
    grundlag = [(g.title, forms.readable(g.schema, g.data)) for g in context.grundlag] if context else []
    return render_template("opgave.html", view=view, fields=fields, errors=errors or [], general=general,
                           item=item, claimed_by=_names({view.task.claimed_by}), context=context, grundlag=grundlag,
                           kanaler=intake.KANAL_LABELS, underrettere=intake.UNDERRETTER_LABELS), status


def _catalogue_choices(unit: Any, form: dict[str, Any]) -> dict[str, list[tuple[str, str]]] | None:
    """Measures and providers are picked from the indsatsvifte, not typed as codes."""
    fields = form.get("properties", {})
    found = {}
    if "indsats_kode" in fields:
        found["indsats_kode"] = [(i.kode, i.navn) for i in indsatsvifte.list_indsatser(unit)]
    if "leverandoer_kode" in fields:
        found["leverandoer_kode"] = [(p.kode, p.navn) for p in indsatsvifte.list_leverandoerer(unit)]
    return found or None


def _document_choices(unit: Any, form: dict[str, Any], case_id: str) -> dict[str, list[tuple[str, str]]] | None:
    """A form naming a document (Ankestyrelsen's ruling) picks one of the case's own, not a typed id."""
    if "dokument_id" not in form.get("properties", {}):
        return None
    return {"dokument_id": [(d.id, f"{d.filnavn} (tilføjet {when(d.created_at)})")
                            for d in dokumenter.of_case(unit, case_id)]}


def _names(ids: set[int | None]) -> dict[int, str]:
    return {i: u.full_name for i, u in access.users_by_id(uow(), {i for i in ids if i}).items()}


@blp.get("/opgaver/<task_id>")
@signin.page
def task_page(task_id: str) -> tuple[str, int]:
    return _task_page(task_id)


@blp.post("/opgaver/<task_id>")
@signin.page
def task_submit(task_id: str) -> Any:
    """Done once per rendered form: sent again (a double click, the browser's resend), it leads to the first result."""

    def change(unit: Any) -> Any:
        data = forms.to_data(inbox.task_form(unit, g.user, task_id), request.form)
        if request.form.get("handling") == "kladde":
            inbox.save_draft(unit, g.user, task_id, data)
            return once.redirect_answer(f"/opgaver/{task_id}", "Kladden er gemt. Opgaven er ikke udført endnu.")
        try:
            task, case = inbox.complete(unit, g.user, task_id, data)
        except ValidationFailed as err:
            unit.rollback()
            return _task_page(task_id, values=data, errors=err.errors, status=422)
        except Conflict as err:  # done by a colleague meanwhile, or taken by one
            unit.rollback()
            flash(str(err), "fejl")
            return redirect(f"/opgaver/{task_id}")
        next_tasks = [t.name for t in inbox.open_tasks_for_case(unit, case.id)]
        return once.redirect_answer("/indbakke", f"«{task.name}» er udført for {case.child_name} (sag "
                                    f"{case.sagsnummer})." + (f" Næste: {', '.join(next_tasks)}." if next_tasks
                                                              else " Sagen har ingen åbne opgaver nu."))

    return once.page_change(change)


@blp.post("/opgaver/<task_id>/kladde")
@signin.page
def task_autosave(task_id: str) -> Any:
    """The form's script saves what is typed as the draft, so a long form survives a break (204, no page)."""
    unit = uow()
    inbox.save_draft(unit, g.user, task_id, forms.to_data(inbox.task_form(unit, g.user, task_id), request.form))
    unit.commit()
    return "", 204


# --- a case ---------------------------------------------------------------------------------------------


def _markers(tasks: list[HumanTask], overdue: set[str]) -> dict[str, str]:
    """BPMN element id → done / active / overdue; what is open now wins over what was done before."""
    markers = {t.bpmn_id: "done" for t in tasks if t.status == DONE}
    markers |= {t.bpmn_id: "active" for t in tasks if t.status == OPEN}
    markers |= {bpmn_id: "overdue" for bpmn_id in overdue if bpmn_id in markers}
    return markers


def _case_page(case_id: str, *, cpr: str | None = None, note_values: dict[str, Any] | None = None,
               note_errors: list[FieldError] | None = None, document_errors: list[FieldError] | None = None,
               aktindsigt_errors: list[FieldError] | None = None,
               party_values: dict[str, Any] | None = None, party_errors: list[FieldError] | None = None,
               consent_errors: list[FieldError] | None = None, party_cpr: tuple[str, str] | None = None,
               economy_values: dict[str, Any] | None = None, economy_errors: list[FieldError] | None = None) -> str:
    from service.webapp import oekonomi as oekonomi_page
    from service.webapp import parter as parter_page  # it adds its routes to this blueprint
    unit = uow()
    view = cases.get_case(unit, g.user, case_id)
    unit.commit()
    notes = notat_form.section(unit, g.user, view.case, values=note_values, errors=note_errors)
    parties = parter_page.section(unit, view.case, values=party_values, errors=party_errors,
                                  consent_errors=consent_errors)
    economy = oekonomi_page.section(unit, g.user, view.case, values=economy_values, errors=economy_errors)
    now = clock.now()
    open_deadlines = deadlines.pending_deadlines(unit, team_id=view.case.team_id, case_id=case_id)
    process = next(iter(instances.for_case(unit, case_id)), None)
    version = process_models.get(unit, process.process_version_id) if process else None
    history = inbox.tasks_for_case(unit, case_id)
    breached = {t.guards_task_id for t in open_deadlines if t.guards_task_id and t.due_at <= now}
    markers = _markers(history, {t.bpmn_id for t in history if t.scope_id in breached and t.status == OPEN}
                       | {t.bpmn_id for t in history if t.form_key == deadlines.ESCALATION_FORM and t.status == OPEN})
    documents = dokumenter.of_case(unit, case_id)
    names = _names({e.actor_id for e in view.journal} | {t.claimed_by for t in view.open_tasks}
                   | {d.created_by for d in documents})
    titles = {t.bpmn_id: t.name for t in history}
    activities = [(label, [titles[i] for i, m in markers.items() if m == kind])
                  for kind, label in (("overdue", "Frist overskredet"), ("active", "Aktiv nu"), ("done", "Udført"))]
    with_reads = request.args.get("laesninger") == "1"
    return render_template(
        "sag.html", view=view, cpr=cpr, masked=mask(view.case.cpr), version=version, markers=markers,
        items=_items(g.user, [(t, view.case) for t in view.open_tasks], case_id=case_id), names=names,
        with_reads=with_reads, notes=notes, parties=parties, party_cpr=party_cpr, economy=economy,
        documents=documents, document_errors=document_errors or [],
        may_add_documents=access.may_see_case(g.user, view.case.team_id) and view.case.arkiveret_at is None,
        may_give_aktindsigt=aktindsigt.may_give(g.user, view.case), aktindsigt_errors=aktindsigt_errors or [],
        filtyper=filtyper, size=dokumenter.megabytes,
        max_upload=dokumenter.megabytes(current_app.extensions["sagsflow"]["settings"].document_max_bytes),
        deadlines=[(t, time_left(t.due_at, now), t.due_at <= now) for t in open_deadlines],
        events=timeline.events(view.journal, version=version, names=names, with_reads=with_reads,
                               files={d.id: d.filnavn for d in documents}),
        goals=maalopfoelgning.history(unit, case_id), vurderinger=VURDERINGER,
        labels=intake.LABELS, activities=[(label, names_) for label, names_ in activities if names_])


@blp.get("/sager/<case_id>")
@signin.page
def case_page(case_id: str) -> str:
    return _case_page(case_id)


@blp.post("/sager/<case_id>/cpr")
@signin.page
def reveal_cpr(case_id: str) -> str:
    unit = uow()
    cpr = cases.reveal_cpr(unit, g.user, case_id)
    unit.commit()
    return _case_page(case_id, cpr=cpr)


# --- registering an underretning ------------------------------------------------------------------------


@blp.get("/underretninger/ny")
@signin.page
def intake_form() -> str:
    return render_template("underretning.html", fields=forms.fields_for(intake.FORM), errors=[])


@blp.post("/underretninger/ny")
@signin.page
def intake_submit() -> Any:
    data = forms.to_data(intake.FORM, request.form)
    payload, errors = intake.to_payload(data)
    if errors:
        return _intake_errors(data, errors)

    def change(unit: Any) -> Any:
        try:
            received = cases.receive_underretning(unit, g.user, payload)
        except ValidationFailed as err:
            return _intake_errors(data, err.errors)
        if not received.visible_to(g.user):
            return once.redirect_answer("/indbakke", "Underretningen er modtaget og sendt til det team, der behandler "
                                                     "barnets sag.")
        return once.redirect_answer(f"/sager/{received.case.id}",
                                    f"Underretningen er registreret på sag {received.case.sagsnummer}"
                                    + (" (barnets åbne sag)." if received.joined else " (ny sag)."))

    # A concurrent intake for the same new child is run again on its committed case (web.committed_with_retry).
    return once.page_change(change, attempts=4)


def _intake_errors(data: dict[str, Any], errors: list[FieldError]) -> tuple[str, int]:
    errors = [FieldError(intake.field_of(e.field), e.message) for e in errors]
    fields = forms.fields_for(intake.FORM, data, forms.errors_by_field(errors))
    return render_template("underretning.html", fields=fields, errors=errors), 422


from service.webapp import (  # noqa: E402, F401 - their pages live on this blueprint too
    arkiv,
    brugere,
    committees,
    indbakke,
    indsigt,
    indstillinger,
    ledelsesinformation,
    modeller,
    notater,
    oekonomi,
    parter,
    sagsdokumenter,
    sagsliste,
)
