"""Receiving underretninger: new case, joining the open case, CPR handling, journalled reads."""

from __future__ import annotations

from tests.support import complete, open_bpmn_ids, open_task, receive, walk_to_running_measure
from tests.support import tasks as open_tasks


def test_underretning_opens_a_case_with_masked_cpr_in_lists(api):
    case = receive(api)
    listed = api.get("/api/cases").get_json()["sager"]
    assert [c["id"] for c in listed] == [case["case_id"]]
    assert listed[0]["cpr_maskeret"] == "010120-xxxx"
    assert "0101204321" not in api.get("/api/cases").get_data(as_text=True)
    tasks = api.get("/api/tasks").get_data(as_text=True)
    assert "4321" not in tasks


def test_second_underretning_joins_the_open_case(api):
    first = receive(api)
    second = receive(api, cpr="0101204321", underretter_type="anonym", kanal="telefon")
    assert second["joined"] is True and second["case_id"] == first["case_id"]
    detail = api.get(f"/api/cases/{first['case_id']}").get_json()
    assert len(detail["underretninger"]) == 2
    assert "vurdering_ny_underretning" in open_bpmn_ids(api, first["case_id"])  # its own 24-hour assessment


def test_each_joined_underretning_gets_its_own_24_hour_deadline_and_escalation(api, app, frozen_clock):
    from datetime import datetime, timedelta

    from service.deadlines.firing import fire_due
    from service.demo_payloads import form
    cid = receive(api)["case_id"]
    complete(api, cid, "vurdering_24t")
    frozen_clock.advance(hours=30)
    receive(api, underretter_type="borger")
    frozen_clock.advance(hours=2)
    receive(api, underretter_type="anonym")
    deadlines = [d for d in api.get(f"/api/cases/{cid}/frister").get_json() if d["frist"] == "vurdering_24t"]
    assert sorted(datetime.fromisoformat(d["forfald"]) for d in deadlines) == [
        frozen_clock.now() + timedelta(hours=22), frozen_clock.now() + timedelta(hours=24)]
    complete(api, cid, "vurdering_ny_underretning", form("vurdering_ny_underretning"))
    frozen_clock.advance(hours=25)
    fire_due(app.extensions["sagsflow"]["session_factory"])
    open_now = [t["bpmn_id"] for t in open_tasks(api, "teamleder1") if t["case_id"] == cid]
    assert open_now.count("eskalering_vurdering_ny_underretning") == 1  # only the one not assessed in time
    assert open_now.count("vurdering_ny_underretning") == 1
    bad = api.post(f"/api/tasks/{open_task(api, cid, 'vurdering_ny_underretning')['id']}/complete",
                   json={"data": {"akut": True, "begrundelse": "Barnet er i fare."}})
    assert bad.status_code == 422 and [e["field"] for e in bad.get_json()["errors"]] == ["tiltag"]


def test_underretning_during_a_running_measure_starts_a_genvurdering(api):
    cid = receive(api)["case_id"]
    walk_to_running_measure(api, cid)
    assert "genvurdering" not in open_bpmn_ids(api, cid)
    receive(api, underretter_type="borger")
    assert {"genvurdering", "vurdering_ny_underretning", "opfoelgning"} <= open_bpmn_ids(api, cid)


def test_klage_during_a_running_measure_goes_to_the_team_leader(api):
    cid = receive(api)["case_id"]
    walk_to_running_measure(api, cid)
    response = api.post(f"/api/cases/{cid}/klager", json={"modtaget": "2026-03-02", "beskrivelse": "Uenig."})
    assert response.status_code == 201 and response.get_json()["genvurdering_oprettet"] is True
    complete(api, cid, "klage_genvurdering", user="teamleder1")
    assert "opfoelgning" in open_bpmn_ids(api, cid)


def test_invalid_cpr_and_missing_fields_are_422_with_danish_messages(api):
    from service.demo_payloads import UNDERRETNING
    bad = api.post("/api/underretninger", json={**UNDERRETNING, "cpr": "321320-1234"})
    assert bad.status_code == 422
    assert bad.get_json()["errors"] == [{"field": "cpr", "message": bad.get_json()["errors"][0]["message"]}]
    assert "fødselsdato" in bad.get_json()["errors"][0]["message"]
    missing = api.post("/api/underretninger", json={"cpr": "0101204321"})
    fields = {e["field"] for e in missing.get_json()["errors"]}
    assert missing.status_code == 422 and {"barnets_navn", "kanal", "beskrivelse", "underretter_type"} <= fields
    assert api.get("/api/cases").get_json()["sager"] == []


def test_every_read_of_a_case_is_journalled(api):
    cid = receive(api)["case_id"]
    api.get(f"/api/cases/{cid}", "teamleder1")
    detail = api.get(f"/api/cases/{cid}").get_json()
    reads = [e for e in detail["journal"] if e["handling"] == "laest"]
    assert len(reads) == 2 and reads[0]["bruger_id"] != reads[1]["bruger_id"]


def test_requests_without_login_are_401(api):
    assert api.get("/api/tasks", user=None).status_code == 401
    assert api.post("/api/underretninger", user=None, json={}).status_code == 401


def test_concurrent_intakes_get_distinct_case_numbers(api, app):
    import threading

    from service.demo_payloads import UNDERRETNING
    token = api.token("raadgiver1")
    barrier = threading.Barrier(4)
    results: list[tuple[int, str]] = []

    def intake(n: int) -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/underretninger", headers={"Authorization": f"Bearer {token}"},
                               json={**UNDERRETNING, "cpr": f"0{n + 1}0120-4{n:03d}", "barnets_navn": f"Barn {n}"})
        results.append((response.status_code, (response.get_json() or {}).get("sagsnummer")))

    threads = [threading.Thread(target=intake, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(status for status, _ in results) == [201] * 4
    assert len({number for _, number in results}) == 4
