"""Journal notes (notatpligt, seed 003): written on the case, changed by their author within 24 hours, after
that only supplemented by a correction note that refers to them. Every version lands in the case's journal.

Services never commit (service/uow.py); nothing here logs, since a note is case content.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from service import clock
from service.access.models import User
from service.cases.models import Case
from service.cases.service import readable_case, visible_case
from service.deadlines.calendar import COPENHAGEN
from service.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from service.forms.dates import long_day
from service.inbox.models import HumanTask
from service.journal import service as journal
from service.notater.models import TYPES, Notat
from service.uow import UnitOfWork

CHANGE_WINDOW = timedelta(hours=24)
MAX_TEXT = 20000
TEXT_TOO_SHORT = "Skriv notatet (mindst 3 tegn)."
TEXT_TOO_LONG = f"Notatet må højst være {MAX_TEXT} tegn; del det op."
TYPE_CHOICES = "Vælg samtale, hjemmebesøg, telefon, netværksmøde eller andet."


class ChangeWindowClosed(Conflict):
    """The note is older than 24 hours: it stands as written, and a correction note supplements it."""


def changeable_until(notat: Notat) -> datetime:
    return notat.created_at + CHANGE_WINDOW


def may_change(notat: Notat, user: User) -> bool:
    """What the case page offers: the author's own note, while the 24 hours last."""
    return notat.created_by == user.id and clock.now() < changeable_until(notat)


def _problems(uow: UnitOfWork, case: Case, data: dict[str, Any]) -> list[FieldError]:
    problems = []
    if "type" in data and data["type"] not in TYPES:
        problems.append(FieldError("type", TYPE_CHOICES))
    if "dato" in data:
        if not isinstance(data["dato"], date):
            problems.append(FieldError("dato", "Angiv datoen for hændelsen."))
        elif data["dato"] > clock.today():
            problems.append(FieldError("dato", f"Datoen for hændelsen må ikke ligge efter i dag "
                                               f"({long_day(clock.today())})."))
    if "tekst" in data:
        text = (data["tekst"] or "").strip()
        if len(text) < 3:
            problems.append(FieldError("tekst", TEXT_TOO_SHORT))
        elif len(text) > MAX_TEXT:
            problems.append(FieldError("tekst", TEXT_TOO_LONG))
    if data.get("task_id") is not None:
        task = uow.session.get(HumanTask, data["task_id"])
        if task is None or task.case_id != case.id:
            problems.append(FieldError("opgave_id", "Opgaven hører ikke til sagen."))
    return problems


def _check(uow: UnitOfWork, case: Case, data: dict[str, Any], message: str) -> None:
    problems = _problems(uow, case, data)
    if problems:
        raise ValidationFailed(message, problems)


def _journal_data(notat: Notat) -> dict[str, Any]:
    return {"notat_id": notat.id, "type": notat.type, "dato": notat.dato.isoformat(), "tekst": notat.tekst,
            "opgave_id": notat.task_id, **({"retter": notat.retter_id} if notat.retter_id else {})}


def _new(uow: UnitOfWork, actor: User, case: Case, data: dict[str, Any], *, retter: Notat | None = None) -> Notat:
    notat = Notat(id=str(uuid.uuid4()), case_id=case.id, type=data["type"], dato=data["dato"],
                  tekst=data["tekst"].strip(), task_id=data.get("task_id"),
                  retter_id=retter.id if retter else None, created_by=actor.id, created_at=clock.now())
    uow.session.add(notat)
    if retter is None:
        title = f"Notat: {notat.type_navn} {notat.dato:%d.%m.%Y}"
        action = "notat_skrevet"
    else:
        title = f"Rettelse til notat: {retter.type_navn} {retter.dato:%d.%m.%Y}"
        action = "notat_rettelse"
    journal.record(uow, case_id=case.id, actor_id=actor.id, action=action, title=title,
                   data=_journal_data(notat), task_id=notat.task_id)
    uow.session.flush()
    _ = notat.author, notat.task  # what the answer shows, read now (before the commit)
    return notat


def write(uow: UnitOfWork, actor: User, case_id: str, data: dict[str, Any]) -> Notat:
    """A new note on a case the actor works (her team's; a read-only role gets 403)."""
    case = visible_case(uow, actor, case_id)
    _check(uow, case, {"type": None, "dato": None, "tekst": None, **data}, "Notatet kan ikke gemmes.")
    return _new(uow, actor, case, data)


def _note_on(uow: UnitOfWork, case: Case, notat_id: str) -> Notat:
    notat = uow.session.get(Notat, notat_id)
    if notat is None or notat.case_id != case.id:
        raise NotFound("Notatet findes ikke på sagen.")
    return notat


def change(uow: UnitOfWork, actor: User, case_id: str, notat_id: str, data: dict[str, Any]) -> Notat:
    """The author changes her note within 24 hours of writing it; the journal keeps what it said before."""
    case = visible_case(uow, actor, case_id)
    notat = _note_on(uow, case, notat_id)
    if clock.now() >= changeable_until(notat):
        raise ChangeWindowClosed(
            f"Notatet blev skrevet {notat.created_at.astimezone(COPENHAGEN):%d.%m.%Y kl. %H.%M} og kan kun ændres i "
            f"24 timer. Skriv i stedet en rettelse, der henviser til notatet "
            f"(POST /api/cases/{case.id}/notater/{notat.id}/rettelser).")
    if notat.created_by != actor.id:
        raise Forbidden("Kun den, der skrev notatet, kan ændre det. Skriv i stedet en rettelse, der henviser til "
                        "notatet.")
    _check(uow, case, data, "Notatet kan ikke ændres.")
    wanted = {key: data[key] for key in ("type", "dato", "task_id") if key in data}
    if "tekst" in data:
        wanted["tekst"] = data["tekst"].strip()
    if all(getattr(notat, key) == value for key, value in wanted.items()):
        return notat  # the same note saved again: nothing changed, nothing to journal
    before = _journal_data(notat)
    for key, value in wanted.items():
        setattr(notat, key, value)
    notat.changed_at = clock.now()
    journal.record(uow, case_id=case.id, actor_id=actor.id, action="notat_aendret",
                   title=f"Notat ændret: {notat.type_navn} {notat.dato:%d.%m.%Y}",
                   data={**_journal_data(notat), "foer": before}, task_id=notat.task_id)
    uow.session.flush()
    _ = notat.author, notat.task
    return notat


def correct(uow: UnitOfWork, actor: User, case_id: str, notat_id: str, data: dict[str, Any]) -> Notat:
    """A correction note that refers to the note it corrects; type, date and task default to that note's."""
    case = visible_case(uow, actor, case_id)
    original = _note_on(uow, case, notat_id)
    full = {"type": original.type, "dato": original.dato, "task_id": original.task_id, "tekst": None, **data}
    _check(uow, case, full, "Rettelsen kan ikke gemmes.")
    return _new(uow, actor, case, full, retter=original)


def for_case(uow: UnitOfWork, case_id: str) -> list[Notat]:
    """The case's notes, latest event first (for a caller that has already checked access and journalled)."""
    return list(uow.session.scalars(select(Notat).where(Notat.case_id == case_id)
                                    .order_by(Notat.dato.desc(), Notat.created_at.desc(), Notat.id)))


def read_all(uow: UnitOfWork, user: User, case_id: str) -> list[Notat]:
    case = readable_case(uow, user, case_id)
    journal.record(uow, case_id=case.id, actor_id=user.id, action="laest", title="Sagens notater er læst")
    return for_case(uow, case.id)


def read_one(uow: UnitOfWork, user: User, case_id: str, notat_id: str, *, to_write: bool = False) -> Notat:
    """One note, its read journalled; `to_write` for the page that changes or corrects it (the case's own team)."""
    case = (visible_case if to_write else readable_case)(uow, user, case_id)
    notat = _note_on(uow, case, notat_id)
    journal.record(uow, case_id=case.id, actor_id=user.id, action="laest",
                   title=f"Notat læst: {notat.type_navn} {notat.dato:%d.%m.%Y}", data={"notat_id": notat.id})
    return notat
