"""A placed child's first two years (BL §§ 46–47), by moving the one clock: supervision visits at least every
6 months (BL § 156 stk. 5) and the decision on support to the parents with a parent plan (BL §§ 76–78), each
with its warning and its escalation to the team leader; a measure that is no placement gets neither."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from service.deadlines.calendar import COPENHAGEN
from service.deadlines.firing import fire_due
from service.demo_payloads import form
from tests.support import (
    complete,
    move_to,
    open_bpmn_ids,
    open_task,
    receive,
    walk_to_running_measure,
    walk_to_running_placement,
)
from tests.support import tasks as open_tasks

PLACEMENT_TASKS = {"tilsynsbesoeg", "foraeldrehandleplan"}


@pytest.fixture
def fire(app):  # noqa: ANN001, ANN201
    return lambda: fire_due(app.extensions["sagsflow"]["session_factory"])


def _due(api, case_id: str, deadline: str) -> str | None:  # noqa: ANN001
    """The Danish date an open deadline of the case falls due, None when none is open."""
    for d in api.get(f"/api/cases/{case_id}/frister").get_json():
        if d["frist"] == deadline:
            return datetime.fromisoformat(d["forfald"]).astimezone(COPENHAGEN).date().isoformat()
    return None


def _journal(api, case_id: str, action: str, deadline: str) -> list[dict[str, Any]]:  # noqa: ANN001
    journal = api.get(f"/api/cases/{case_id}", "teamleder1").get_json()["journal"]
    return [e for e in journal if e["handling"] == action and (e.get("data") or {}).get("frist") == deadline]


def _escalations(api, case_id: str, deadline: str) -> list[dict[str, Any]]:  # noqa: ANN001
    return [t for t in open_tasks(api, "teamleder1") if t["case_id"] == case_id
            and t["bpmn_id"] == f"eskalering_{deadline}"]


def _placed_child(api) -> str:  # noqa: ANN001
    """A child placed with consent on 2 March 2026; the placement started 15 May 2026."""
    cid = receive(api, underretter_type="borger")["case_id"]  # no kvittering branch to keep the case open
    walk_to_running_placement(api, cid)
    return cid


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # both databases: test_deadline_order
def test_a_placed_child_gets_a_visit_at_least_every_six_months_and_a_missed_one_escalates_once(
        api, frozen_clock, fire):
    cid = _placed_child(api)
    assert {"opfoelgning", *PLACEMENT_TASKS} <= open_bpmn_ids(api, cid)
    visits_due = [_due(api, cid, "tilsynsbesoeg")]
    assert visits_due == ["2026-11-15"]  # 6 months from the start of the placement

    # 1st visit on time: its warning and deadline stop with it; the next counts from the visit.
    move_to(frozen_clock, "2026-11-10")
    complete(api, cid, "tilsynsbesoeg")
    visits_due.append(_due(api, cid, "tilsynsbesoeg"))
    move_to(frozen_clock, "2026-11-20")
    fire()
    assert _journal(api, cid, "advis", "tilsynsbesoeg") == []
    assert _journal(api, cid, "frist_overskredet", "tilsynsbesoeg") == []
    assert _escalations(api, cid, "tilsynsbesoeg") == []

    # 2nd visit missed: the caseworker is warned, then the team leader gets it, once however long it waits.
    move_to(frozen_clock, "2027-05-07")
    fire()
    assert len(_journal(api, cid, "advis", "tilsynsbesoeg")) == 1
    assert _escalations(api, cid, "tilsynsbesoeg") == []
    move_to(frozen_clock, "2027-05-11")
    fire()
    move_to(frozen_clock, "2027-05-20")
    fire()
    escalated = _escalations(api, cid, "tilsynsbesoeg")
    assert len(escalated) == 1 and escalated[0]["rolle"] == "teamleder"
    assert len(_journal(api, cid, "frist_overskredet", "tilsynsbesoeg")) == 1
    complete(api, cid, "tilsynsbesoeg", form("tilsynsbesoeg", samtale_med_barnet=False, samtale_uden_personale=None,
                                             samtale_undladt_begrundelse="Barnet var syg og sov."))
    complete(api, cid, "eskalering_tilsynsbesoeg", {"handling": "kvitter"}, user="teamleder1")
    visits_due.append(_due(api, cid, "tilsynsbesoeg"))

    move_to(frozen_clock, "2027-11-15")  # 3rd and 4th on time
    complete(api, cid, "tilsynsbesoeg")
    visits_due.append(_due(api, cid, "tilsynsbesoeg"))
    move_to(frozen_clock, "2028-05-12")
    complete(api, cid, "tilsynsbesoeg")
    assert visits_due == ["2026-11-15", "2027-05-10", "2027-11-20", "2028-05-15"]  # 4 due in the first 2 years
    assert _due(api, cid, "tilsynsbesoeg") == "2028-11-12"
    assert len(_journal(api, cid, "frist_overskredet", "tilsynsbesoeg")) == 1
    # Management information counts both against the target of 100 % (the parent plan was never made here).
    report = api.get("/api/ledelsesinformation/frister?fra=2026-05-15&til=2028-05-31", "teamleder1").get_json()
    rows = {r["frist"]: r for r in report["frister"]}
    assert (rows["tilsynsbesoeg"]["overholdt"], rows["tilsynsbesoeg"]["overskredet"]) == (3, 1)
    assert rows["tilsynsbesoeg"]["andel"] == 75.0 and rows["tilsynsbesoeg"]["maal"] == 100
    assert (rows["foraeldrehandleplan"]["overholdt"], rows["foraeldrehandleplan"]["overskredet"]) == (0, 1)

    # Ending the measure ends the placement: no visit left open, no deadline left to breach.
    complete(api, cid, "opfoelgning", form("opfoelgning", udfald="afslut"))
    assert "afslutning" in open_bpmn_ids(api, cid)
    assert not PLACEMENT_TASKS & open_bpmn_ids(api, cid)
    assert _due(api, cid, "tilsynsbesoeg") is None and _due(api, cid, "foraeldrehandleplan") is None
    move_to(frozen_clock, "2029-06-01")
    fire()
    assert len(_journal(api, cid, "frist_overskredet", "tilsynsbesoeg")) == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_parent_plan_is_due_three_months_after_the_placement_decision(api, frozen_clock, fire):
    cid = _placed_child(api)
    assert _due(api, cid, "foraeldrehandleplan") == "2026-06-02"  # decided 2 March; a local deadline
    move_to(frozen_clock, "2026-05-29")
    fire()
    assert len(_journal(api, cid, "advis", "foraeldrehandleplan")) == 1
    move_to(frozen_clock, "2026-06-03")
    fire()
    fire()
    escalated = _escalations(api, cid, "foraeldrehandleplan")
    assert len(escalated) == 1 and escalated[0]["rolle"] == "teamleder"
    complete(api, cid, "foraeldrehandleplan", form("foraeldrehandleplan", foraeldrene_takker_ja=False,
                                                   plan_dato=None, maal=None))
    assert "foraeldrehandleplan" not in open_bpmn_ids(api, cid) and _due(api, cid, "foraeldrehandleplan") is None
    late = open_task(api, cid, "eskalering_foraeldrehandleplan", "teamleder1")
    shown = api.get(f"/api/tasks/{late['id']}", "teamleder1").get_json()
    assert shown["formular_skema"]["properties"]["handling"]["enum"] == ["kvitter"]  # the plan is done now
    assert "tilsynsbesoeg" in open_bpmn_ids(api, cid)  # the visits go on


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_measure_that_is_no_placement_gets_no_visits_and_no_parent_plan(api, frozen_clock, fire):
    cid = receive(api, underretter_type="borger")["case_id"]
    walk_to_running_measure(api, cid)
    assert not PLACEMENT_TASKS & open_bpmn_ids(api, cid)
    assert _due(api, cid, "tilsynsbesoeg") is None and _due(api, cid, "foraeldrehandleplan") is None
    frozen_clock.set(datetime(2027, 1, 4, 9, tzinfo=COPENHAGEN))
    fire()
    assert not PLACEMENT_TASKS & open_bpmn_ids(api, cid)
    assert _escalations(api, cid, "tilsynsbesoeg") == [] and _escalations(api, cid, "foraeldrehandleplan") == []
    complete(api, cid, "opfoelgning", form("opfoelgning", udfald="afslut"))
    assert "afslutning" in open_bpmn_ids(api, cid)
