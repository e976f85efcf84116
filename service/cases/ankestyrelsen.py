"""Ankestyrelsen's ruling on a complaint the municipality forwarded (BL §§ 144–150): recorded on the case.

The ruling's letter is a document on the case (added under Dokumenter); the form names it by id, and it must be one
of this case's documents, so a ruling can never point at another child's file. The process (klage.bpmn) reads the
outcome: a hjemvisning sends the decision back through the visitation.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from service.access.models import User
from service.cases.models import Case
from service.dokumenter.models import Dokument
from service.errors import FieldError, ValidationFailed
from service.journal import service as journal
from service.uow import UnitOfWork

ACTION = "ankestyrelsens_afgoerelse"
UDFALD = {  # the form's values → what the journal says
    "stadfaestet": "Ankestyrelsen har stadfæstet afgørelsen",
    "aendret": "Ankestyrelsen har ændret afgørelsen",
    "hjemvist": "Ankestyrelsen har hjemvist sagen til fornyet behandling",
    "afvist": "Ankestyrelsen har afvist klagen",
}
NOT_ON_CASE = "Dokumentet findes ikke på sagen. Vælg et af sagens dokumenter."


def record_ruling(uow: UnitOfWork, *, actor: User, case: Case, task_id: str, data: dict[str, Any]) -> None:
    """Journals the ruling with its date and document; refuses a document that is not this case's."""
    document = None
    if data.get("dokument_id"):
        document = uow.session.get(Dokument, data["dokument_id"])
        if document is None or document.case_id != case.id:  # the same answer: no leak of other cases' files
            raise ValidationFailed("Formularen er ikke udfyldt korrekt.", [FieldError("dokument_id", NOT_ON_CASE)])
    decided = date.fromisoformat(data["afgoerelsesdato"])
    title = f"{UDFALD[data['udfald']]} ({decided:%d.%m.%Y})"
    if document is not None:
        title += f", se «{document.filnavn}»"
    journal.record(uow, case_id=case.id, actor_id=actor.id, action=ACTION, title=title[:300], task_id=task_id,
                   data={"udfald": data["udfald"], "afgoerelsesdato": data["afgoerelsesdato"],
                         "dokument_id": document.id if document else None})
