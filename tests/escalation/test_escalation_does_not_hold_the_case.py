"""A breach inside a called process (the screening in triage, the complaint's re-assessment in klage) gives the
team leader a task in the case process, not in the called one: the case goes on as soon as the late task is done,
whether or not the team leader has handled the breach yet (found by bench/simulate_year.py: a late screening held
the BFU until the team leader acknowledged the breach)."""

from __future__ import annotations

from service.deadlines.firing import fire_due
from tests.support import complete, move_to, open_bpmn_ids, open_task, receive, walk_to_running_measure


def test_a_late_screening_goes_on_to_the_bfu_while_the_team_leader_handles_the_breach(api, app, frozen_clock):
    cid = receive(api)["case_id"]
    complete(api, cid, "vurdering_24t")
    move_to(frozen_clock, "2026-04-06")  # past the screening's 4 weeks
    fire_due(app.extensions["sagsflow"]["session_factory"])
    assert "eskalering_faglig_vurdering" in open_bpmn_ids(api, cid)
    complete(api, cid, "faglig_vurdering")
    assert {"bfu_beslutning", "eskalering_faglig_vurdering"} <= open_bpmn_ids(api, cid)
    escalation = open_task(api, cid, "eskalering_faglig_vurdering", user="teamleder1")
    offered = api.get(f"/api/tasks/{escalation['id']}", "teamleder1").get_json()["formular_skema"]
    assert offered["properties"]["handling"]["enum"] == ["kvitter"]  # the late work is done
    complete(api, cid, "eskalering_faglig_vurdering", {"handling": "kvitter"}, user="teamleder1")
    assert "eskalering_faglig_vurdering" not in open_bpmn_ids(api, cid)


def test_a_late_reassessment_of_a_complaint_is_forwarded_while_the_breach_is_open(api, app, frozen_clock):
    cid = receive(api)["case_id"]
    walk_to_running_measure(api, cid)
    today = frozen_clock.now().date().isoformat()
    assert api.post(f"/api/cases/{cid}/klager", json={"modtaget": today, "beskrivelse": "Uenig."}).status_code == 201
    frozen_clock.advance(weeks=5)
    fire_due(app.extensions["sagsflow"]["session_factory"])
    complete(api, cid, "klage_genvurdering", user="teamleder1")  # fastholdt, late
    assert {"videresend_ankestyrelsen", "eskalering_klage_genvurdering"} <= open_bpmn_ids(api, cid)
