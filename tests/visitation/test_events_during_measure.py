"""Every complaint and every new underretning during a running measure is handled, not only the first."""

from __future__ import annotations

from collections import Counter
from typing import Any

from service.demo_payloads import form
from tests.support import complete, move_to, receive, walk_to_running_measure
from tests.support import tasks as open_tasks


def _complain(api, frozen_clock, cid: str, received: str) -> bool:  # noqa: ANN001
    move_to(frozen_clock, received)  # the complaint comes in that day
    response = api.post(f"/api/cases/{cid}/klager", json={"modtaget": received, "beskrivelse": "Uenig i indsatsen."})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["genvurdering_oprettet"]


def _tasks(api, cid: str) -> list[dict[str, Any]]:  # noqa: ANN001
    return [t for t in open_tasks(api, "teamleder1") if t["case_id"] == cid]


def _open(api, cid: str) -> Counter[str]:  # noqa: ANN001
    """The case's open tasks by BPMN id, counted: the same task may be open more than once. A late complaint moves
    the clock past the case's other deadlines; their escalations are not these tests' subject."""
    return Counter(t["bpmn_id"] for t in _tasks(api, cid) if not t["bpmn_id"].startswith("eskalering_"))


def _journal(api, cid: str) -> list[dict[str, Any]]:  # noqa: ANN001
    return api.get(f"/api/cases/{cid}", "teamleder1").get_json()["journal"]


def _finish_complaint(api, cid: str) -> None:  # noqa: ANN001
    complete(api, cid, "klage_genvurdering", user="teamleder1")  # fastholdt
    complete(api, cid, "videresend_ankestyrelsen", user="teamleder1")
    complete(api, cid, "ankestyrelsens_afgoerelse", user="teamleder1")  # stadfæstet


def _finish_underretning(api, cid: str) -> None:  # noqa: ANN001
    complete(api, cid, "genvurdering")
    complete(api, cid, "vurdering_ny_underretning")


def _close(api, cid: str) -> dict[str, Any]:  # noqa: ANN001
    for step in ("registrering", "kvittering", "tilbagemelding_underretter", "afslutning"):
        complete(api, cid, step)
    return api.get(f"/api/cases/{cid}", "teamleder1").get_json()


def test_two_complaints_and_two_underretninger_during_a_measure_each_get_a_reassessment(api, frozen_clock):
    cid = receive(api)["case_id"]
    walk_to_running_measure(api, cid)  # decided 2 March 2026: the klagefrist runs to 30 March
    before = _open(api, cid)
    assert before["opfoelgning"] == 1

    assert _complain(api, frozen_clock, cid, "2026-03-04") is True
    # late: heard, with the warning on its own re-assessment
    assert _complain(api, frozen_clock, cid, "2026-03-31") is True
    messages = sorted(t["besked"] or "" for t in _tasks(api, cid) if t["bpmn_id"] == "klage_genvurdering")
    assert messages[0] == "" and messages[1].startswith("Klagen er modtaget 31.03.2026, efter klagefristen 30.03.2026")
    receive(api, underretter_type="borger")
    receive(api, underretter_type="anonym", kanal="telefon")
    assert _open(api, cid) == before + Counter(klage_genvurdering=2, genvurdering=2, vurdering_ny_underretning=2)
    journal = _journal(api, cid)
    complaints = [e for e in journal if e["handling"] == "klage_modtaget"]
    assert [(e["tekst"], e["data"]["genvurdering_oprettet"]) for e in complaints] == [
        ("Klage modtaget", True), ("Klage modtaget efter klagefristen", True)]
    assert sum(e["handling"] == "ny_underretning_vurderes" for e in journal) == 2

    for _ in range(2):
        _finish_complaint(api, cid)
        _finish_underretning(api, cid)
    assert _open(api, cid) == before  # the measure goes on

    complete(api, cid, "opfoelgning", form("opfoelgning", udfald="afslut"))
    _close(api, cid)
    for escalation in [t["bpmn_id"] for t in _tasks(api, cid) if t["bpmn_id"].startswith("eskalering_")]:
        complete(api, cid, escalation, {"handling": "kvitter"}, user="teamleder1")
    case = api.get(f"/api/cases/{cid}", "teamleder1").get_json()
    assert case["status"] == "afsluttet" and case["aktiviteter"] == []


def test_complaints_and_underretninger_are_heard_in_the_next_follow_up_round_while_earlier_ones_are_open(
        api, frozen_clock):
    cid = receive(api)["case_id"]
    walk_to_running_measure(api, cid)
    before = _open(api, cid)
    assert _complain(api, frozen_clock, cid, "2026-03-03") is True
    receive(api, underretter_type="borger")
    complete(api, cid, "opfoelgning")  # fortsæt: the next round does not wait for the open re-assessments
    assert _open(api, cid)["opfoelgning"] == 1
    assert _complain(api, frozen_clock, cid, "2026-03-04") is True
    receive(api, underretter_type="anonym", kanal="telefon")
    assert _open(api, cid) == before + Counter(klage_genvurdering=2, genvurdering=2, vurdering_ny_underretning=2)
    for _ in range(2):
        _finish_complaint(api, cid)
        _finish_underretning(api, cid)
    assert _open(api, cid) == before


def test_a_measure_ends_only_when_its_open_complaints_and_reassessments_are_finished(api, frozen_clock):
    cid = receive(api)["case_id"]
    walk_to_running_measure(api, cid)
    assert _complain(api, frozen_clock, cid, "2026-03-03") is True
    receive(api, underretter_type="borger")
    complete(api, cid, "opfoelgning", form("opfoelgning", udfald="afslut"))
    assert "afslutning" not in _open(api, cid)  # the measure is still ending
    assert _complain(api, frozen_clock, cid, "2026-03-04") is True  # so a complaint meanwhile is still heard
    for _ in range(2):
        _finish_complaint(api, cid)
    _finish_underretning(api, cid)
    assert _open(api, cid)["afslutning"] == 1
    # no measure any more: journalled, nothing to re-assess
    assert _complain(api, frozen_clock, cid, "2026-03-05") is False
    case = _close(api, cid)
    assert case["status"] == "afsluttet" and case["aktiviteter"] == []
