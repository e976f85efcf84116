"""A deadline's outcome follows the business times, not which of completion and firing commits first.

For every task with a breach timer in the models: done after the deadline, the case gets one breach in the
journal, one notice and (where the model escalates) one team-leader task offering only «Kvittér», whether the
completion or the firing reached the database first; done before it, nothing, however late the firing runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from service import clock
from service.config import ROOT
from service.deadlines.firing import fire_due
from service.deadlines.models import FIRED, OPEN, Notification, Timer
from service.deadlines.service import ESCALATION_FORM
from service.demo_payloads import form
from service.inbox.models import HumanTask
from service.journal.models import JournalEntry
from service.uow import UnitOfWork
from tests.escalation.test_each_deadline import (
    CPR_FOR,
    _to_barnets_plan,
    _to_faglig_vurdering,
    _to_klage,
    _to_kvittering,
    _to_partshoering_svar,
    _to_tidlig_evaluering,
    _to_tilbagemelding,
    _to_ungeplan,
    _to_ungestoette,
)
from tests.support import complete, receive, walk_to_running_measure, walk_to_running_placement
from tests.visitation.helpers import indstilling

_BOUNDARY = re.compile(r'<bpmn:boundaryEvent id="([^"]+)"[^>]*attachedToRef="([^"]+)"[^>]*>(.*?)</bpmn:boundaryEvent>',
                       re.S)


@dataclass(frozen=True)
class BreachTimer:
    model: str
    timer: str  # the boundary event's id
    task: str  # the activity it is attached to: a task, or a subprocess of several
    escalates: bool  # the breach path has a task for the team leader (else the breach is only noted)


def _breach_timers() -> list[BreachTimer]:
    """Every boundary timer in workflows/*.bpmn whose expression is frist(...): a breach of a deadline."""
    found = []
    for path in sorted((ROOT / "workflows").glob("*.bpmn")):
        xml = path.read_text(encoding="utf-8")
        for timer, task, body in _BOUNDARY.findall(xml):
            if not re.search(r"<bpmn:timeDate[^>]*>\s*frist\(", body):
                continue
            outgoing = re.search(r"<bpmn:outgoing>([^<]+)</bpmn:outgoing>", body).group(1)
            target = re.search(rf'id="{outgoing}" sourceRef="{timer}" targetRef="([^"]+)"', xml).group(1)
            escalates = not re.search(rf'<bpmn:endEvent id="{target}"', xml)
            found.append(BreachTimer(path.name, timer, task, escalates))
    return found


BREACH_TIMERS = _breach_timers()


def _to_bfu(api, cid):  # noqa: ANN001, ANN202
    complete(api, cid, "vurdering_24t")
    complete(api, cid, "faglig_vurdering")  # the deadline opens with the decision to investigate, still to be made


def _to_vurdering_ny_underretning(api, cid, cpr):  # noqa: ANN001, ANN202
    walk_to_running_measure(api, cid)
    receive(api, cpr=cpr, underretter_type="borger")  # the same child: joins the running case


def _to_partshoering_svar_efter_klage(api, cid):  # noqa: ANN001, ANN202
    walk_to_running_measure(api, cid)
    today = clock.today()  # what is recorded as received or sent may not lie after today
    response = api.post(f"/api/cases/{cid}/klager", json={"modtaget": today.isoformat(), "beskrivelse": "Uenig."})
    assert response.status_code == 201, response.get_json()
    complete(api, cid, "klage_genvurdering", form("klage_genvurdering", resultat="medhold",
                                                  videresendt_ankestyrelsen=False, begrundelse="Medhold."),
             user="teamleder1")
    complete(api, cid, "indstilling", indstilling(udfald="afslag"))
    complete(api, cid, "partshoering_efter_klage", form("partshoering", hoeringsbrev_sendt=today.isoformat(),
                                                        svarfrist=(today + timedelta(days=14)).isoformat()))


# The guarded task → how a fresh case gets there. A new breach timer in a model fails
# test_every_breach_timer_is_driven until it has a walk here.
WALKS = {
    "vurdering_24t": lambda api, cid: None,
    "kvittering": _to_kvittering,
    "tilbagemelding_underretter": _to_tilbagemelding,
    "faglig_vurdering": _to_faglig_vurdering,
    "tidlig_indsats_evaluering": _to_tidlig_evaluering,
    "bfu_forloeb": _to_bfu,
    "partshoering_svar": _to_partshoering_svar,
    "barnets_plan": _to_barnets_plan,
    "klage_genvurdering": _to_klage,
    "ungeplan": _to_ungeplan,
    "ungestoette_afgoerelse": _to_ungestoette,
    "opfoelgning": walk_to_running_measure,
    "vurdering_ny_underretning": _to_vurdering_ny_underretning,
    "partshoering_svar_efter_klage": _to_partshoering_svar_efter_klage,
    "tilsynsbesoeg": walk_to_running_placement,
    "foraeldrehandleplan": walk_to_running_placement,
}
CPR = {"ungeplan": CPR_FOR["ungeplan"], "ungestoette_afgoerelse": CPR_FOR["ungestoette_afgoerelse"]}
ANSWERS = {"partshoering_svar_efter_klage": form("partshoering_svar")}
# A deadline on a subprocess is met by its last task (tests.support.complete makes the § 20 decision first).
LAST_TASK = {"bfu_forloeb": "bfu"}


def test_every_breach_timer_is_driven():
    assert len(BREACH_TIMERS) >= 10  # the parse found the models' deadlines
    assert {b.task for b in BREACH_TIMERS} == set(WALKS)


def _new_case(api, breach: BreachTimer, child: int) -> str:  # noqa: ANN001
    born = CPR.get(breach.task, "010120-4321")[:7]  # the age-based deadlines need a child of the right age
    cpr = f"{born}{4400 + child}"
    cid = receive(api, cpr=cpr)["case_id"]  # a child of its own: a new case
    walk = WALKS[breach.task]
    walk(api, cid, cpr) if walk is _to_vurdering_ny_underretning else walk(api, cid)
    return cid


def _due(factory, cid: str, breach: BreachTimer) -> datetime:  # noqa: ANN001
    with UnitOfWork(factory) as uow:
        return uow.session.scalar(select(Timer.due_at).where(
            Timer.case_id == cid, Timer.bpmn_id == breach.timer, Timer.status == OPEN))


def _complete(api, cid: str, breach: BreachTimer) -> None:  # noqa: ANN001
    complete(api, cid, LAST_TASK.get(breach.task, breach.task), ANSWERS.get(breach.task), user="teamleder1")


def _outcome(api, factory, cid: str, breach: BreachTimer) -> dict[str, Any]:  # noqa: ANN001
    """What the case shows of this deadline: breaches, notices, the team leader's tasks and what they offer."""
    with UnitOfWork(factory) as uow:
        timers = list(uow.session.scalars(select(Timer).where(
            Timer.case_id == cid, Timer.guards == breach.task)))
        notices = sorted(uow.session.scalars(select(Notification.kind).where(
            Notification.timer_id.in_([t.id for t in timers]))))
        breach_names = {t.name for t in timers if t.kind == "frist"}
        escalations = list(uow.session.execute(select(HumanTask.id, HumanTask.status).where(
            HumanTask.case_id == cid, HumanTask.form_key == ESCALATION_FORM, HumanTask.name.in_(breach_names))))
        deadlines = {(t.deadline_id, t.due_at.isoformat()) for t in timers if t.kind == "frist"}
        journal = sum((e.data["frist"], e.data["forfald"]) in deadlines for e in uow.session.scalars(
            select(JournalEntry).where(JournalEntry.case_id == cid, JournalEntry.action == "frist_overskredet")))
        breaches = sum(t.kind == "frist" and t.status == FIRED for t in timers)
        done = uow.session.scalar(select(func.count()).select_from(HumanTask).where(
            HumanTask.case_id == cid, HumanTask.bpmn_id == LAST_TASK.get(breach.task, breach.task),
            HumanTask.status == "udfoert"))
    offered = [api.get(f"/api/tasks/{t.id}", "teamleder1").get_json()["formular_skema"]["properties"]["handling"]
               ["enum"] for t in escalations if t.status == OPEN]
    return {"breaches": breaches, "notices": notices,
            "journal": journal, "escalations": len(escalations), "offered": offered, "done": done}


@pytest.mark.parametrize("breach", BREACH_TIMERS, ids=[b.timer for b in BREACH_TIMERS])
def test_the_outcome_follows_the_business_times_not_the_commit_order(api, app, frozen_clock, breach):
    factory = app.extensions["sagsflow"]["session_factory"]
    start = frozen_clock.now()
    outcomes = {}
    orders = ("done_late_then_fired", "fired_then_done_late", "done_in_time_then_fired_late")
    for child, order in enumerate(orders):
        frozen_clock.set(start)
        cid = _new_case(api, breach, child)
        due = _due(factory, cid, breach)
        sent_before = _outcome(api, factory, cid, breach)["notices"]  # e.g. a warning due as the task began
        if order == "done_late_then_fired":
            frozen_clock.set(due + timedelta(hours=1))
            _complete(api, cid, breach)
            fire_due(factory)
        elif order == "fired_then_done_late":
            frozen_clock.set(due + timedelta(hours=1))
            fire_due(factory)
            _complete(api, cid, breach)
        else:
            frozen_clock.set(due - timedelta(minutes=1))
            _complete(api, cid, breach)
            frozen_clock.set(due + timedelta(days=30))
            fire_due(factory)
        outcomes[order] = _outcome(api, factory, cid, breach)
        for kind in sent_before:
            outcomes[order]["notices"].remove(kind)  # what the order added is compared

    late = {"breaches": 1, "notices": ["frist_overskredet"], "journal": 1,
            "escalations": int(breach.escalates), "offered": [["kvitter"]] * int(breach.escalates), "done": 1}
    assert outcomes["done_late_then_fired"] == late
    assert outcomes["fired_then_done_late"] == late
    assert outcomes["done_in_time_then_fired_late"] == {
        "breaches": 0, "notices": [], "journal": 0, "escalations": 0, "offered": [], "done": 1}


def test_a_kvittering_is_all_the_team_leader_can_do_once_the_late_task_is_done(api, app, frozen_clock):
    factory = app.extensions["sagsflow"]["session_factory"]
    cid = receive(api)["case_id"]
    frozen_clock.advance(hours=25)
    fire_due(factory)
    escalation = next(t for t in api.get("/api/tasks?scope=alle&limit=200", "teamleder1").get_json()["opgaver"]
                      if t["case_id"] == cid and t["bpmn_id"] == "eskalering_vurdering_24t")
    offered = api.get(f"/api/tasks/{escalation['id']}", "teamleder1").get_json()["formular_skema"]
    assert offered["properties"]["handling"]["enum"] == ["omfordel", "ny_dato", "kvitter"]  # the task is still open
    complete(api, cid, "vurdering_24t")
    url = f"/api/tasks/{escalation['id']}/complete"
    refused = api.post(url, "teamleder1", json={"data": {"handling": "ny_dato", "ny_dato": "2026-03-05",
                                                         "begrundelse": "Aftalt med familien."}})
    assert refused.status_code == 422
    errors = {e["field"]: e["message"] for e in refused.get_json()["errors"]}
    assert errors["handling"] == "«Handling» har en ugyldig værdi. Vælg en af: kvitter."
    assert api.post(url, "teamleder1", json={"data": {"handling": "kvitter"}}).status_code == 200
