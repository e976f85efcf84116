"""Paging, sorting and search arguments shared by the lists of the API (tasks, cases)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from service import paging
from service.cases import cpr as cprs
from service.cases.markers import MARKERS
from service.errors import FieldError, ValidationFailed

CPR_IN_URL = ("Søg på CPR-nummer med POST til listens /soeg (fx POST /api/tasks/soeg med {\"q\": ...}), "
              "så nummeret aldrig står i en adresse.")


def _no_cpr(value: str) -> None:
    if cprs.contains_cpr(value):
        raise ValidationError(CPR_IN_URL)


class ListArgsSchema(Schema):
    """Arguments of a list in the query string: never a CPR number (a URL lands in logs and histories)."""

    q = fields.String(validate=[validate.Length(max=100), _no_cpr],
                      metadata={"description": "Del af barnets navn eller sagsnummeret (ikke CPR: brug POST …/soeg)"})
    markering = fields.String(validate=validate.OneOf(MARKERS))
    fase = fields.String(validate=validate.Length(max=200))
    overskredet = fields.Boolean(load_default=False, metadata={"description": "Kun dem med overskredet frist"})
    limit = fields.Integer(load_default=paging.DEFAULT_LIMIT, validate=validate.Range(
        min=1, max=paging.MAX_LIMIT, error="Skal være mellem {min} og {max}."))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, error="Må ikke være negativ."))


class SearchArgsSchema(ListArgsSchema):
    """The same arguments in a request body, where `q` may be a whole CPR number (matched, never echoed)."""

    q = fields.String(validate=validate.Length(max=100),
                      metadata={"description": "Barnets navn, sagsnummer eller hele CPR-nummeret (10 cifre)"})


def search_terms(args: dict[str, Any]) -> dict[str, str | None]:
    """`q` from a body as a name/number search or a normalised CPR number; a malformed CPR is a field error."""
    q = (args.get("q") or "").strip()
    try:
        cpr = cprs.as_search(q)
    except cprs.InvalidCpr as err:
        raise ValidationFailed("Søgningen kan ikke udføres.", [FieldError("q", str(err))]) from err
    return {"q": None if cpr else (q or None), "cpr": cpr}


class PageSchema(Schema):
    i_alt = fields.Integer(metadata={"description": "Antal i alt, der matcher (alle sider)"})
    limit = fields.Integer()
    offset = fields.Integer()
    naeste = fields.Integer(allow_none=True, metadata={"description": "offset for næste side; null på sidste side"})


def page_body(page: paging.Page, key: str, items: list[Any]) -> dict[str, Any]:
    return {key: items, "i_alt": page.total, "limit": page.limit, "offset": page.offset, "naeste": page.next_offset}
