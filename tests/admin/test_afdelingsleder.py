"""The head of department (afdelingsleder): reads every team's cases, deadlines and management information, each
read journalled, and changes nothing."""

from __future__ import annotations

import re

from service.deadlines.firing import fire_due
from service.demo_payloads import form
from tests.support import ApiClient, open_task, receive

PERIOD = "fra=2026-03-01&til=2026-03-31"


def _two_teams(api: ApiClient) -> tuple[str, str]:
    nord = receive(api, cpr="010120-4321", barnets_navn="Alma Nord")["case_id"]
    syd = receive(api, "raadgiver_syd", cpr="020219-4322", barnets_navn="Bo Syd")["case_id"]
    return nord, syd


def test_reads_every_teams_cases_and_each_read_is_journalled(api):
    nord, syd = _two_teams(api)
    me = api.get("/api/me", "afdelingsleder1").get_json()
    assert {c["id"] for c in api.get("/api/cases", "afdelingsleder1").get_json()["sager"]} == {nord, syd}
    for case_id in (nord, syd):
        case = api.get(f"/api/cases/{case_id}", "afdelingsleder1")
        assert case.status_code == 200
        reads = [e for e in case.get_json()["journal"] if e["handling"] == "laest"]
        assert reads[-1]["bruger_id"] == me["id"]
        assert api.get(f"/api/cases/{case_id}/frister", "afdelingsleder1").status_code == 200
    assert {d["case_id"] for d in api.get("/api/frister", "afdelingsleder1").get_json()} == {nord, syd}
    assert {d["case_id"] for d in api.get("/api/frister", "teamleder1").get_json()} == {nord}
    assert api.get(f"/api/cases/{syd}", "raadgiver1").status_code == 404  # caseworkers stay within their team


def test_management_information_across_all_teams_or_one(api, app, frozen_clock):
    _two_teams(api)
    frozen_clock.advance(hours=25)
    fire_due(app.extensions["sagsflow"]["session_factory"])
    teams = {t["navn"]: t["id"] for t in api.get("/api/admin/teams", "admin1").get_json()}

    def breached(user: str, extra: str = "") -> int:
        response = api.get(f"/api/ledelsesinformation/frister?{PERIOD}{extra}", user)
        assert response.status_code == 200, response.get_json()
        return next(r for r in response.get_json()["frister"] if r["frist"] == "vurdering_24t")["overskredet"]

    assert breached("afdelingsleder1") == 2
    assert breached("afdelingsleder1", f"&team_id={teams['Team Syd']}") == 1
    assert breached("teamleder1") == 1
    assert api.get(f"/api/ledelsesinformation/kvalitet?{PERIOD}", "afdelingsleder1").status_code == 200
    refused = api.get(f"/api/ledelsesinformation/frister?{PERIOD}&team_id={teams['Team Syd']}", "teamleder1")
    assert refused.status_code == 403
    assert refused.get_json()["detail"] == "En teamleder ser kun sit eget teams ledelsesinformation."
    assert api.get(f"/api/ledelsesinformation/frister?{PERIOD}", "procesejer1").status_code == 403


def test_changes_nothing(api):
    nord, _ = _two_teams(api)
    task_id = open_task(api, nord, "vurdering_24t")["id"]
    from service.demo_payloads import UNDERRETNING
    assert api.post("/api/underretninger", "afdelingsleder1", json=UNDERRETNING).status_code == 403
    assert api.get("/api/tasks", "afdelingsleder1").get_json()["i_alt"] == 0
    for action, body in (("claim", None), ("release", None), ("draft", {"data": {}}),
                         ("complete", {"data": form("vurdering_24t")})):
        response = api.call("PUT" if action == "draft" else "POST", f"/api/tasks/{task_id}/{action}",
                            "afdelingsleder1", json=body)
        assert response.status_code == 403, (action, response.get_json())
        assert response.get_json()["detail"] == "Din rolle kan læse sagerne, men ikke tage eller udføre opgaver."
    klage = api.post(f"/api/cases/{nord}/klager", "afdelingsleder1",
                     json={"modtaget": "2026-03-02", "beskrivelse": "Klage over afgørelsen"})
    assert klage.status_code == 403
    assert klage.get_json()["detail"] == "Din rolle kan læse sagen, men ikke ændre den."
    assert api.post("/api/ledelsestilsyn", "afdelingsleder1", json={}).status_code == 403
    assert open_task(api, nord, "vurdering_24t")["taget_af"] is None


def test_pages_for_the_head_of_department(api, app):
    nord, syd = _two_teams(api)
    client = app.test_client()
    assert client.post("/log-ind", data={"username": "afdelingsleder1", "password": "demo"}).headers["Location"] == (
        "/ledelsesinformation")
    page = client.get("/ledelsesinformation").get_data(as_text=True)
    assert '<option value="">Alle teams</option>' in page and "Ledelsestilsyn" not in page
    assert "Indbakke" not in page and "Registrér underretning" not in page
    assert client.get("/indbakke").headers["Location"] == "/ledelsesinformation"
    team_syd = re.search(r'<option value="(\d+)" >Team Syd</option>', page).group(1)
    assert client.get(f"/ledelsesinformation?team={team_syd}").status_code == 200
    cases = client.get("/sager").get_data(as_text=True)
    assert "Alma Nord" in cases and "Bo Syd" in cases
    case_page = client.get(f"/sager/{syd}")
    assert case_page.status_code == 200
    assert "Bo Syd" in case_page.get_data(as_text=True) and "Tag opgaven" not in case_page.get_data(as_text=True)
    assert api.get(f"/api/cases/{nord}", "teamleder1").status_code == 200
