"""What both lists search and filter on the case: phase, markers, name or case number, and the CPR number."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_
from sqlalchemy.sql.elements import ColumnElement

from service import paging
from service.access.models import User
from service.cases import markers
from service.cases.models import Case
from service.journal import service as journal
from service.uow import UnitOfWork


def conditions(query: Any) -> list[ColumnElement[bool]]:
    """`query` has fase, markering, cpr (normalised, from a request body only) and q (name or number)."""
    found = []
    if query.fase:
        found.append(Case.phase == query.fase)
    if query.markering:
        found.append(markers.condition(query.markering))
    if query.cpr:
        found.append(Case.cpr == query.cpr)
    if query.q:
        found.append(or_(paging.contains(Case.child_name, query.q), paging.contains(Case.sagsnummer, query.q)))
    return found


def journal_cpr_search(uow: UnitOfWork, user: User, case_ids: set[str]) -> None:
    """A CPR search reads the cases it found: each gets a line in its journal (never the number itself)."""
    for case_id in sorted(case_ids):
        journal.record(uow, case_id=case_id, actor_id=user.id, action="laest", title="Søgt på CPR-nummer")
