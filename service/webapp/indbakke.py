"""The inbox page: the team leader's desk on top, then the tasks one page at a time, with saved views."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request
from werkzeug.wrappers import Response

from service.access import service as access
from service.access.models import User
from service.deadlines import service as deadlines
from service.errors import FieldError, ValidationFailed
from service.inbox import caseload, listing
from service.inbox.schemas import TaskListQuerySchema
from service.visninger import service as visninger
from service.web import uow
from service.webapp import lists, signin
from service.webapp.lists import Column, Listing
from service.webapp.views import InboxItem, _workable, blp, committee_work

FILTERS = ("scope", "rolle", "overskredet", "fase", "opgavetype", "markering", "sorter")
COLUMNS = (Column("frist", "Frist"), Column("opgave", "Opgave"), Column("barn", "Barn og sag"), Column("fase", "Fase"),
           Column(None, "Taget af"))
SCOPE_NAMES = {"team": "Mine og teamets ledige", "mine": "Kun mine", "ledige": "Kun ledige", "alle": "Hele teamets"}


def _item(user: User, row: listing.TaskRow) -> InboxItem:
    return InboxItem(row.task, row.case, row.due, row.escalation, _workable(user, row.task), tuple(row.markers))


def _page(query: dict[str, Any], given: dict[str, Any], errors: list[FieldError], number: int, *,
          cpr: str | None = None, status: int = 200) -> tuple[str, int]:
    user: User = g.user
    unit = uow()
    task_query = listing.TaskQuery(**query, cpr=cpr, limit=lists.PAGE_SIZE, offset=(number - 1) * lists.PAGE_SIZE)
    page = (listing.search_tasks if cpr else listing.list_tasks)(unit, user, task_query)
    if cpr:
        unit.commit()  # the CPR search is journalled on the cases it found
    listed = Listing("/indbakke", given, page, errors, cpr_search=bool(cpr))
    team, meetings, escalations = None, [], []
    if user.role == "teamleder" and user.team_id is not None:
        team = caseload.team_caseload(unit, user.team_id)
        meetings = committee_work(unit, user)
        escalations = [_item(user, r) for r in listing.list_tasks(unit, user, listing.TaskQuery(
            scope="alle", eskalationer=True, limit=20)).rows]
    kinds, phases = listing.choices(unit, user)
    claimers = {r.task.claimed_by for r in page.rows} - {None, user.id}
    return render_template(
        "indbakke.html", listed=listed, items=[_item(user, r) for r in page.rows], columns=COLUMNS,
        kinds=kinds, phases=phases, scopes=SCOPE_NAMES, filters=FILTERS, escalations=escalations, team=team,
        meetings=meetings, notices=deadlines.notifications_for(unit, user),
        views=visninger.visible(unit, user, "opgaver"), chosen_view=request.args.get("visning", type=int),
        names={i: u.full_name for i, u in access.users_by_id(unit, claimers).items()}), status


@blp.get("/indbakke")
@signin.page
def inbox_page() -> Any:
    user: User = g.user
    if not access.may_do_casework(user):
        return redirect(signin.home(user))  # a process owner has no inbox; the root address leads here
    chosen = request.args.get("visning", type=int)
    if chosen and len(request.args) == 1:  # a saved view: its filter becomes the address, so it pages and sorts
        view = visninger.get(uow(), user, chosen)
        return redirect(lists.address("/indbakke", {**view.filter, "visning": chosen}))
    query, given, errors, number = lists.read_args(TaskListQuerySchema)
    return _page(query, given, errors, number, status=422 if errors else 200)


@blp.post("/indbakke")
@signin.page
def inbox_search() -> Any:
    """The search field: a CPR number is searched here and now, any other text by an ordinary address."""
    found = lists.search_redirect("/indbakke", FILTERS)
    if isinstance(found, Response):
        return found
    cpr, errors = lists.cpr_or_error(found)
    given = {"scope": "alle"}  # a child looked up by CPR: every open task of the team on that child
    return _page(lists.loaded(TaskListQuerySchema, given), given, errors, 1, cpr=cpr, status=422 if errors else 200)


@blp.post("/visninger")
@signin.page
def save_view() -> Response:
    """«Gem visning»: the inbox's current filter under a name, for her alone or shared with her team."""
    filter_ = {k: v for k in FILTERS if (v := request.form.get(k, "")) != ""}
    loaded = TaskListQuerySchema().validate(filter_)
    if loaded:
        flash("Visningen kan ikke gemmes: filteret er ugyldigt.", "fejl")
        return redirect("/indbakke")
    unit = uow()
    try:
        view = visninger.save(unit, g.user, liste="opgaver", name=request.form.get("navn", ""), filter=filter_,
                              shared=request.form.get("delt") == "1")
    except ValidationFailed as err:
        unit.rollback()
        flash(f"{err} {' '.join(e.message for e in err.errors)}", "fejl")
        return redirect(lists.address("/indbakke", filter_))
    unit.commit()
    flash(f"Visningen «{view.name}» er gemt" + (" og delt med teamet." if view.shared else "."), "ok")
    return redirect(f"/indbakke?visning={view.id}")


@blp.post("/visninger/<int:visning_id>/slet")
@signin.page
def delete_view(visning_id: int) -> Response:
    unit = uow()
    visninger.delete(unit, g.user, visning_id)
    unit.commit()
    flash("Visningen er slettet.", "ok")
    return redirect("/indbakke")
