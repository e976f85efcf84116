"""Complaints: within 4 weeks of a refusal or during a measure, re-assessed, upheld or sent to Ankestyrelsen."""

from __future__ import annotations

from datetime import UTC, datetime

from service.deadlines.firing import fire_due
from service.demo_payloads import form
from tests.support import complete, move_to, open_bpmn_ids, receive, walk_to_running_measure
from tests.visitation.helpers import indstilling, task_for, walk_to_indstilling


def _refusal() -> dict:
    return form("afgoerelse", udfald="afslag", foranstaltning=None, formaal=None, forventet_varighed_maaneder=None)


def _refused(api, frozen_clock) -> str:  # noqa: ANN001
    cid = receive(api)["case_id"]
    walk_to_indstilling(api, cid, refusal_investigated=True)
    complete(api, cid, "indstilling", indstilling(udfald="afslag"))
    move_to(frozen_clock, "2026-05-10")
    complete(api, cid, "afgoerelse", _refusal(), user="teamleder1")
    return cid


def _complain(api, frozen_clock, cid: str, received: str = "2026-05-20") -> bool:  # noqa: ANN001
    move_to(frozen_clock, received)  # the complaint comes in that day
    response = api.post(f"/api/cases/{cid}/klager", json={"modtaget": received, "beskrivelse": "Uenig i afslaget."})
    assert response.status_code == 201
    return response.get_json()["genvurdering_oprettet"]


def _journal_texts(api, cid: str) -> list[str]:  # noqa: ANN001
    return [e["tekst"] for e in api.get(f"/api/cases/{cid}", "teamleder1").get_json()["journal"]]


def test_complaint_against_a_refusal_not_upheld_is_sent_to_ankestyrelsen(api, frozen_clock):
    cid = _refused(api, frozen_clock)
    assert _complain(api, frozen_clock, cid) is True
    task = task_for(api, cid, "klage_genvurdering")
    assert task["delproces"] == "Klage over afgørelse"
    deadlines = {d["frist"] for d in api.get(f"/api/cases/{cid}/frister").get_json()}
    assert "klage_genvurdering" in deadlines
    complete(api, cid, "klage_genvurdering", user="teamleder1")  # fastholdt
    assert open_bpmn_ids(api, cid) == {"videresend_ankestyrelsen"}
    complete(api, cid, "videresend_ankestyrelsen", user="teamleder1")
    assert open_bpmn_ids(api, cid) == {"ankestyrelsens_afgoerelse"}  # the case waits for Ankestyrelsen's ruling
    complete(api, cid, "ankestyrelsens_afgoerelse", user="teamleder1")  # stadfæstet
    assert open_bpmn_ids(api, cid) == {"afslutning"}
    assert "Klage over afgørelse er afsluttet: Ankestyrelsen har afgjort klagen" in _journal_texts(api, cid)


def test_upheld_complaint_against_a_refusal_means_a_new_visitation(api, frozen_clock):
    cid = _refused(api, frozen_clock)
    assert _complain(api, frozen_clock, cid) is True
    complete(api, cid, "klage_genvurdering", form("klage_genvurdering", resultat="medhold",
                                                  videresendt_ankestyrelsen=False), user="teamleder1")
    assert open_bpmn_ids(api, cid) == {"indstilling"}
    assert "Klage over afgørelse er afsluttet: Klageren får medhold" in _journal_texts(api, cid)


def test_after_the_four_weeks_no_reassessment_starts_and_the_case_can_close(api, app, frozen_clock):
    cid = _refused(api, frozen_clock)
    frozen_clock.set(datetime(2026, 6, 8, 12, 0, tzinfo=UTC))  # 4 weeks from 10 May have passed
    fire_due(app.extensions["sagsflow"]["session_factory"])
    assert open_bpmn_ids(api, cid) == {"afslutning"}
    assert _complain(api, frozen_clock, cid, "2026-06-08") is False
    assert "klage_genvurdering" not in open_bpmn_ids(api, cid)


def test_complaint_during_a_running_measure(api, frozen_clock):
    cid = receive(api)["case_id"]
    walk_to_running_measure(api, cid)
    assert _complain(api, frozen_clock, cid, "2026-03-02") is True
    assert task_for(api, cid, "klage_genvurdering")["besked"] is None  # within 4 weeks of the decision
    complete(api, cid, "klage_genvurdering", user="teamleder1")
    complete(api, cid, "videresend_ankestyrelsen", user="teamleder1")
    assert open_bpmn_ids(api, cid) >= {"opfoelgning"}  # the measure goes on meanwhile


def test_a_late_complaint_about_a_granted_measure_is_heard_with_a_warning(api, frozen_clock):
    on_time, late = (receive(api, cpr=cpr)["case_id"] for cpr in ("030315-1234", "120518-2468"))
    for cid in (on_time, late):
        walk_to_running_measure(api, cid)  # decided 2 March 2026: the klagefrist runs to 30 March
    assert _complain(api, frozen_clock, on_time, "2026-03-30") is True
    assert task_for(api, on_time, "klage_genvurdering")["besked"] is None  # the last day is still in time
    assert _complain(api, frozen_clock, late, "2026-03-31") is True
    message = task_for(api, late, "klage_genvurdering")["besked"]
    assert message.startswith("Klagen er modtaget 31.03.2026, efter klagefristen 30.03.2026")
    assert "særlige grunde" in message
    assert "Klage modtaget efter klagefristen" in _journal_texts(api, late)
    assert "Klage modtaget efter klagefristen" not in _journal_texts(api, on_time)
