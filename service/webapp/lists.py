"""The inbox and the case list in the browser: one page at a time, sorted by a column, searched and filtered.

A CPR number never lands in an address: the search field posts its form; a CPR search is answered at once
(and journalled), any other search is redirected to an ordinary address that can be paged and bookmarked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import flash, redirect, request
from marshmallow import Schema, ValidationError
from werkzeug.wrappers import Response

from service import paging
from service.cases import cpr as cprs
from service.errors import FieldError, ValidationFailed

PAGE_SIZE = 25
LONGEST_IN_ADDRESS = 200  # the longest list argument (list_schemas.py: q 100, fase 200)
CPR_IN_URL = "Et CPR-nummer må ikke stå i adressen. Skriv det i søgefeltet i stedet."


def address(path: str, params: dict[str, Any]) -> str:
    kept = {k: v for k, v in params.items() if v not in (None, "", False)}
    return f"{path}?{urlencode(kept)}" if kept else path


@dataclass(frozen=True)
class Column:
    key: str | None  # the sort key; None: not sortable
    title: str


@dataclass(frozen=True)
class Listing:
    """What a list page needs besides its rows: the arguments, links for sorting and paging, and field errors."""

    path: str
    args: dict[str, Any]  # the filter as the address carries it (no paging)
    page: paging.Page
    errors: list[FieldError]
    cpr_search: bool = False

    def url(self, **changes: Any) -> str:
        return address(self.path, {**self.args, **changes})

    def sort_link(self, key: str) -> str:
        current = self.args.get("sorter", "frist")
        return self.url(sorter=f"-{key}" if current == key else key, side=None)

    def aria_sort(self, key: str) -> str | None:
        current = self.args.get("sorter", "frist")
        return "ascending" if current == key else "descending" if current == f"-{key}" else None

    @property
    def number(self) -> int:
        return self.page.offset // self.page.limit + 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.page.total // self.page.limit))

    def page_link(self, number: int) -> str:
        return self.url(side=number if number > 1 else None)


def loaded(schema: type[Schema], given: dict[str, Any]) -> dict[str, Any]:
    """Arguments read by the API's schema; the page sets its own paging."""
    return {k: v for k, v in schema().load(given).items() if k not in ("limit", "offset")}


def read_args(schema: type[Schema]) -> tuple[dict[str, Any], dict[str, Any], list[FieldError], int]:
    """The page's query string read by the API's own schema: (loaded, as given, field errors, page number)."""
    given = {k: v for k, v in request.args.items() if v != "" and k not in ("side", "visning", "limit", "offset")}
    try:
        number = max(int(request.args.get("side", "1")), 1)
    except ValueError:
        number = 1
    errors: list[FieldError] = []
    try:
        return loaded(schema, given), given, errors, number
    except ValidationError as err:
        errors = [FieldError(k, CPR_IN_URL if k == "q" and cprs.contains_cpr(given.get("q", ""))
                             else " ".join(map(str, v)) if isinstance(v, list) else str(v))
                  for k, v in err.messages.items()]
        given = {k: v for k, v in given.items() if k not in err.messages}
        return loaded(schema, given), given, errors, number


def search_redirect(path: str, fields: tuple[str, ...]) -> Response | str:
    """A posted search: a CPR number is returned for the caller to search at once; anything else is redirected."""
    q = request.form.get("q", "").strip()
    if cprs.contains_cpr(q):
        return q
    given = {**{k: request.form.get(k, "") for k in fields}, "q": q}
    if too_long := [k for k, v in given.items() if len(v) > LONGEST_IN_ADDRESS]:
        # no list argument is this long; the address would be larger than browsers and proxies accept
        raise ValidationFailed(f"Søgningen kan ikke udføres: højst {LONGEST_IN_ADDRESS} tegn i et felt.",
                               [FieldError(k, f"Højst {LONGEST_IN_ADDRESS} tegn.") for k in too_long])
    return redirect(address(path, given), code=303)


def cpr_or_error(q: str) -> tuple[str | None, list[FieldError]]:
    try:
        found = cprs.as_search(q)
    except cprs.InvalidCpr as err:
        return None, [FieldError("q", str(err))]
    if found is None:  # a CPR number inside other words: searched by nobody, echoed nowhere
        return None, [FieldError("q", "Skriv CPR-nummeret alene i søgefeltet (10 cifre).")]
    return found, []


def back_to_row(back: str, task_id: str, message: str, kind: str) -> Response:
    """Back to the same page and row, so the place and the keyboard focus are kept."""
    flash(message, kind)
    return redirect(f"{back}#opgave-{task_id}")
