"""What a list row marks about its case: overgreb, akut and a new underretning, as SQL expressions.

«Ny underretning» means an underretning that joined the case after it was opened and that no completed task on
the case has followed yet: it is news until someone has worked the case (normally its 24-hour assessment).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from service.access.models import User
from service.cases.models import Case, Underretning
from service.inbox.models import DONE, HumanTask
from service.uow import UnitOfWork

MARKERS = ("overgreb", "akut", "ny_underretning")
LABELS = {"overgreb": "Overgreb", "akut": "Akut", "ny_underretning": "Ny underretning"}
ASSESSMENTS = ("vurdering_24t", "vurdering_ny_underretning")


def overgreb() -> ColumnElement[bool]:
    return exists(select(Underretning.id).where(Underretning.case_id == Case.id, Underretning.overgreb.is_(True)))


def ny_underretning() -> ColumnElement[bool]:
    done = aliased(HumanTask)
    last_done = (select(func.max(done.completed_at)).where(done.case_id == Case.id, done.status == DONE)
                 .scalar_subquery())
    return exists(select(Underretning.id).where(
        Underretning.case_id == Case.id, Underretning.registered_at > Case.opened_at,
        Underretning.registered_at > func.coalesce(last_done, Case.opened_at)))


def columns() -> list[ColumnElement[bool]]:
    return [overgreb().label("overgreb"), Case.akut.label("akut"), ny_underretning().label("ny_underretning")]


def condition(marker: str) -> ColumnElement[bool]:
    return {"overgreb": overgreb, "akut": lambda: Case.akut.is_(True), "ny_underretning": ny_underretning}[marker]()


def of_row(row: Any) -> list[str]:
    return [m for m in MARKERS if getattr(row, m)]


def record_assessment(uow: UnitOfWork, *, actor: User, case: Case, task_id: str, data: dict[str, Any]) -> None:
    """The latest 24-hour assessment decides the akut marker (a later one may lift it)."""
    case.akut = bool(data.get("akut"))
