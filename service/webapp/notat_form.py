"""The case page's notes: the note form (described like a task form) and the section's notes with their corrections.

The service (service/notater) stays the judge of every field; this module renders and converts only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from service import clock
from service.access import service as access
from service.access.models import User
from service.cases.models import Case
from service.errors import FieldError
from service.inbox import service as inbox
from service.notater import service as notater
from service.notater.models import TYPES, Notat
from service.uow import UnitOfWork
from service.webapp import forms

FORM: dict[str, Any] = {
    "type": "object",
    "required": ["type", "dato", "tekst"],
    "properties": {
        "type": {"type": "string", "title": "Type", "enum": list(TYPES)},
        "dato": {"type": "string", "format": "date", "title": "Dato for hændelsen", "x-senest": "i dag",
                 "description": "Hvornår samtalen, besøget, opkaldet eller mødet fandt sted."},
        "opgave_id": {"type": "string", "title": "Hører til opgave",
                      "description": "Valgfrit: den opgave på sagen, notatet hører til."},
        "tekst": {"type": "string", "title": "Notat",
                  "description": "Skriv, hvad der blev sagt og aftalt. Notatet kan rettes i 24 timer; derefter kun "
                                 "suppleres med en rettelse."},
    },
    "x-ui": {"widgets": {"type": "radio", "tekst": "textarea"}, "labels": {"type": TYPES}},
}

# A correction: its text first; type, date and task are the corrected note's unless changed.
CORRECTION_FORM: dict[str, Any] = {
    **FORM, "required": ["tekst", "type", "dato"],
    "properties": {**FORM["properties"], "tekst": {
        "type": "string", "title": "Rettelse",
        "description": "Skriv, hvad der rettes eller tilføjes. Det oprindelige notat står uændret."}},
    "x-ui": {**FORM["x-ui"], "order": ["tekst", "type", "dato", "opgave_id"]},
}


def task_choices(unit: UnitOfWork, case_id: str) -> list[tuple[str, str]]:
    """The case's tasks to tie a note to: open ones first, then those done, newest first."""
    tasks = sorted(inbox.tasks_for_case(unit, case_id), key=lambda t: (t.status != "aaben", -t.created_at.timestamp()))
    return [(t.id, t.name + ("" if t.status == "aaben" else " (udført)" if t.status == "udfoert" else " (annulleret)"))
            for t in tasks]


def to_payload(data: dict[str, Any]) -> dict[str, Any]:
    """Posted fields → the service's data; a date that is not one stays text, and the service says so."""
    payload: dict[str, Any] = {"type": data.get("type"), "tekst": data.get("tekst"),
                               "task_id": data.get("opgave_id") or None}
    try:
        payload["dato"] = date.fromisoformat(data.get("dato", ""))
    except ValueError:
        payload["dato"] = data.get("dato")
    return payload


def fields(unit: UnitOfWork, case_id: str, values: dict[str, Any] | None = None,
           errors: list[FieldError] | None = None, *, form: dict[str, Any] = FORM) -> list[forms.Field]:
    return forms.fields_for(form, values or {}, forms.errors_by_field(errors or []),
                            choices={"opgave_id": task_choices(unit, case_id)})


def values_of(notat: Notat) -> dict[str, Any]:
    return {"type": notat.type, "dato": notat.dato.isoformat(), "tekst": notat.tekst, "opgave_id": notat.task_id}


@dataclass
class Shown:
    notat: Notat
    changeable: bool  # the viewer wrote it, and the 24 hours have not passed
    rettelser: list[Shown] = field(default_factory=list)


@dataclass
class Section:
    notes: list[Shown]
    may_write: bool
    fields: list[forms.Field]
    errors: list[FieldError]


def section(unit: UnitOfWork, user: User, case: Case, *, values: dict[str, Any] | None = None,
            errors: list[FieldError] | None = None) -> Section:
    """The notes with their corrections under them (oldest first; a correction of a correction under the note it
    all began with); the form for the case's own team."""
    rows = notater.for_case(unit, case.id)
    archived = case.arkiveret_at is not None  # read-only: no form, no change
    shown = {n.id: Shown(n, not archived and notater.may_change(n, user)) for n in rows}

    def first(n: Notat) -> Notat:
        while n.retter_id in shown:
            n = shown[n.retter_id].notat
        return n

    for n in sorted(rows, key=lambda n: n.created_at):
        if n.retter_id is not None:
            shown[first(n).id].rettelser.append(shown[n.id])
    may_write = access.may_see_case(user, case.team_id) and not archived
    return Section([shown[n.id] for n in rows if n.retter_id is None], may_write,
                   fields(unit, case.id, values or {"dato": clock.today().isoformat()}, errors) if may_write else [],
                   errors or [])


def case_of(unit: UnitOfWork, notat: Notat) -> Case:
    """The note's case, as the access check already loaded it (no query)."""
    return unit.session.get(Case, notat.case_id)
