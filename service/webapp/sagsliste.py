"""The case list page: the team's cases with next deadline, caseworker and markers, one page at a time."""

from __future__ import annotations

from typing import Any

from flask import g, render_template, request
from werkzeug.wrappers import Response

from service import clock
from service.access import service as access
from service.access.models import User
from service.cases import listing
from service.cases.schemas import CaseListQuerySchema
from service.errors import FieldError
from service.web import uow
from service.webapp import lists, signin
from service.webapp.format import time_left
from service.webapp.lists import Column, Listing
from service.webapp.views import blp

FILTERS = ("mine", "alle", "arkiverede", "overskredet", "markering", "sorter")
COLUMNS = (Column("frist", "Næste frist"), Column("barn", "Barn"), Column("sag", "Sag"), Column("fase", "Fase"),
           Column("raadgiver", "Rådgiver"))


def _page(query: dict[str, Any], given: dict[str, Any], errors: list[FieldError], number: int, *,
          cpr: str | None = None, status: int = 200) -> tuple[str, int]:
    user: User = g.user
    unit = uow()
    case_query = listing.CaseQuery(**query, cpr=cpr, limit=lists.PAGE_SIZE, offset=(number - 1) * lists.PAGE_SIZE)
    page = (listing.search_cases if cpr else listing.list_cases)(unit, user, case_query)
    if cpr:
        unit.commit()  # the CPR search is journalled on the cases it found
    now = clock.now()
    owners = {r.owner_id for r in page.rows} - {None}
    return render_template(
        "sager.html", listed=Listing("/sager", given, page, errors, cpr_search=bool(cpr)), columns=COLUMNS,
        filters=FILTERS, rows=[(r, time_left(r.due, now) if r.due else "") for r in page.rows],
        names={i: u.full_name for i, u in access.users_by_id(unit, owners).items()}), status


@blp.get("/sager")
@signin.page
def case_list() -> tuple[str, int]:
    """The team's cases, the most pressing deadline first."""
    query, given, errors, number = lists.read_args(CaseListQuerySchema)
    return _page(query, given, errors, number, status=422 if errors else 200)


@blp.post("/sager")
@signin.page
def case_search() -> Any:
    found = lists.search_redirect("/sager", FILTERS)
    if isinstance(found, Response):
        return found
    cpr, errors = lists.cpr_or_error(found)
    given = {"alle": True}  # a child looked up by CPR: her closed cases too
    if request.form.get("arkiverede"):  # or her archived ones, for those who may read them
        given["arkiverede"] = True
    return _page(lists.loaded(CaseListQuerySchema, given), given, errors, 1, cpr=cpr, status=422 if errors else 200)
