"""What a completed user task writes on its case besides the engine step, in the same transaction.

Keyed by the task's BPMN id, so a task moved into a called process keeps its documents. A handler that
refuses the data raises ValidationFailed before the engine moves, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from service.access.models import User
from service.cases import ankestyrelsen, markers
from service.cases.models import Case
from service.inbox.models import HumanTask
from service.indsatsvifte import kontrakter
from service.letters import service as letters
from service.parter import service as parter
from service.uow import UnitOfWork

Handler = Callable[..., Any]

HANDLERS: dict[str, Handler] = {
    "ivaerksaettelse": kontrakter.create_at_ivaerksaettelse,
    "partshoering": letters.hearing_letter,
    "partshoering_efter_klage": letters.hearing_letter,  # before a new decision after a complaint upheld
    "afgoerelse": letters.decision_letter,
    "bfu_beslutning": letters.investigation_letter,  # the decision to investigate (BL § 20), before the BFU
    "ankestyrelsens_afgoerelse": ankestyrelsen.record_ruling,  # with its document, checked to be the case's
    **{assessment: markers.record_assessment for assessment in markers.ASSESSMENTS},  # the akut marker
}


# Checked before the form itself, for what the caseworker cannot fix in the form.
PRECHECKS: dict[str, Callable[..., None]] = {
    "ivaerksaettelse": kontrakter.require_catalogue,
}


def before_complete(uow: UnitOfWork, *, task: HumanTask, form: dict[str, Any]) -> None:
    check = PRECHECKS.get(task.bpmn_id)
    if check is not None:
        check(uow, form=form)


def from_parties(uow: UnitOfWork, *, task: HumanTask, case: Case, data: dict[str, Any]) -> dict[str, Any]:
    """The task's data with what the case's parties say: the visitation's consent check reads the young person's
    own consent (from 15) from the parties when it is registered there, over the form's answer."""
    if task.form_key == "visitation_indstilling":
        consent = parter.young_consent(uow, case)
        if consent is not None:
            return {**data, "samtykke_ung": consent}
    return data


def on_complete(uow: UnitOfWork, *, actor: User, task: HumanTask, case: Case, data: dict[str, Any]) -> None:
    handler = HANDLERS.get(task.bpmn_id)
    if handler is not None:
        handler(uow, actor=actor, case=case, task_id=task.id, data=data)
