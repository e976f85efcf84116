"""What a task's decision needs, shown beside its form so the caseworker need not leave it (issue: daily work):
the underretning being assessed with the child's earlier ones, and for a decision the BFU's conclusions and the
plan's goals. Reads of the child's other cases are journalled on those cases, as every read of a case is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from service.access import service as access
from service.access.models import User
from service.cases.models import Case, Underretning
from service.engine.models import ProcessInstance, ProcessVersion
from service.inbox.models import HumanTask
from service.journal import service as journal
from service.process_models import service as process_models
from service.uow import UnitOfWork

# Tasks that act on an underretning: its text, who sent it and how, beside the form.
UNDERRETNING_FORMS = frozenset({"vurdering_24t", "vurdering_ny_underretning", "kvittering", "akut_foranstaltning",
                                "fremskudt_boernesamtale", "faglig_vurdering", "tilbagemelding_underretter",
                                "genvurdering", "afdaekning", "bfu_beslutning"})
# Tasks that prepare or make a decision: what it rests on (form key of the earlier task → the fields shown).
DECISION_FORMS = frozenset({"visitation_indstilling", "afgoerelse", "partshoering", "ungestoette_afgoerelse"})
GRUNDLAG = (("bfu", "Børnefaglig undersøgelse", ("konklusion", "holdning_til_stoette", "indstilling")),
            ("barnets_plan", "Barnets plan", ("formaal", "maal")))
EARLIER_SHOWN = 10  # the newest; the case page has them all


@dataclass(frozen=True)
class Grundlag:
    title: str
    schema: dict[str, Any]  # the form the data was entered in, for its titles and option labels
    data: dict[str, Any]


@dataclass(frozen=True)
class TaskContext:
    assessed: Underretning | None = None
    earlier: list[tuple[Underretning, Case]] = field(default_factory=list)  # the child's others, newest first
    grundlag: list[Grundlag] = field(default_factory=list)


def for_task(uow: UnitOfWork, user: User, task: HumanTask, case: Case) -> TaskContext:
    if task.form_key in UNDERRETNING_FORMS:
        return _underretninger(uow, user, task, case)
    if task.form_key in DECISION_FORMS:
        return TaskContext(grundlag=_grundlag(uow, task, case))
    return TaskContext()


def _underretninger(uow: UnitOfWork, user: User, task: HumanTask, case: Case) -> TaskContext:
    """The newest underretning the task could have been made for (received before it was), and the child's
    earlier ones in cases the user may read — her team's, closed ones too (need-to-know: never another team's)."""
    rows = uow.session.execute(
        select(Underretning, Case).join(Case, Case.id == Underretning.case_id)
        .where(Case.cpr == case.cpr).order_by(Underretning.modtaget.desc(), Underretning.id)).all()
    readable = [(u, c) for u, c in rows if c.id == case.id or access.may_read_case(user, c.team_id)]
    own = [u for u, c in readable if c.id == case.id]
    assessed = next((u for u in own if u.registered_at <= task.created_at), own[0] if own else None)
    earlier = [(u, c) for u, c in readable if u is not assessed][:EARLIER_SHOWN]
    for other_id in dict.fromkeys(c.id for _, c in earlier if c.id != case.id):
        journal.record(uow, case_id=other_id, actor_id=user.id, action="laest",
                       title=f"Underretninger læst fra opgaven «{task.name}» i sag {case.sagsnummer}")
    return TaskContext(assessed=assessed, earlier=earlier)


def _grundlag(uow: UnitOfWork, task: HumanTask, case: Case) -> list[Grundlag]:
    instance = uow.session.get(ProcessInstance, task.instance_id)
    version = uow.session.get(ProcessVersion, instance.process_version_id)
    found = []
    for form_key, title, keys in GRUNDLAG:
        data = journal.latest_form(uow, case.id, form_key)
        shown = {key: data[key] for key in keys if data.get(key) not in (None, "", [])}
        if shown:
            found.append(Grundlag(title, process_models.form_schema(version, form_key), shown))
    return found
