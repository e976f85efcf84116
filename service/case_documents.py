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
from service.errors import FieldError
from service.inbox.models import HumanTask
from service.indsatsvifte import kontrakter
from service.letters import service as letters
from service.maalopfoelgning import service as maalopfoelgning
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

# Keyed by the form: every task with the form writes what it holds, whichever process and BPMN id it has.
FORM_HANDLERS: dict[str, Handler] = {
    maalopfoelgning.FOLLOW_UP_FORM: maalopfoelgning.record,  # one row per goal of barnets plan
}


# Checked before the form itself, for what the caseworker cannot fix in the form.
PRECHECKS: dict[str, Callable[..., None]] = {
    "ivaerksaettelse": kontrakter.require_catalogue,
}


def before_complete(uow: UnitOfWork, *, task: HumanTask, form: dict[str, Any]) -> None:
    check = PRECHECKS.get(task.bpmn_id)
    if check is not None:
        check(uow, form=form)


def shape_form(uow: UnitOfWork, *, task: HumanTask, case: Case, form: dict[str, Any]) -> dict[str, Any]:
    """The task's form as the case needs it (the follow-up lists the plan's goals); shown and checked alike."""
    return maalopfoelgning.tailor(uow, form_key=task.form_key, case=case, form=form)


def check_with_case(uow: UnitOfWork, *, task: HumanTask, case: Case, data: dict[str, Any]) -> list[FieldError]:
    """What the form's schema cannot say because it needs the case: one assessment per goal of the plan."""
    if task.form_key == maalopfoelgning.FOLLOW_UP_FORM:
        return maalopfoelgning.check(uow, case=case, data=data)
    return []


def from_parties(uow: UnitOfWork, *, task: HumanTask, case: Case, data: dict[str, Any]) -> dict[str, Any]:
    """The task's data with what the case's parties say: the visitation's consent check reads the young person's
    own consent (from 15) from the parties when it is registered there, over the form's answer."""
    if task.form_key == "visitation_indstilling":
        consent = parter.young_consent(uow, case)
        if consent is not None:
            return {**data, "samtykke_ung": consent}
    return data


def on_complete(uow: UnitOfWork, *, actor: User, task: HumanTask, case: Case, data: dict[str, Any]) -> None:
    for handler in (HANDLERS.get(task.bpmn_id), FORM_HANDLERS.get(task.form_key)):
        if handler is not None:
            handler(uow, actor=actor, case=case, task_id=task.id, data=data)
