"""Deactivating or moving a caseworker: logged out everywhere, and the tasks she had taken go back to her team."""

from __future__ import annotations

from tests.support import ApiClient, open_task, receive, tasks

USERS = "/api/admin/brugere"


def _id(api: ApiClient, username: str) -> int:
    return next(u["id"] for u in api.get(f"{USERS}?q={username}", "admin1").get_json() if u["brugernavn"] == username)


def _claimed_task(api: ApiClient) -> tuple[str, str]:
    case_id = receive(api)["case_id"]
    task_id = open_task(api, case_id, "vurdering_24t")["id"]
    assert api.post(f"/api/tasks/{task_id}/claim", "raadgiver1").status_code == 200
    return case_id, task_id


def _team_task(api: ApiClient, task_id: str, user: str = "teamleder1") -> dict:
    return next(t for t in tasks(api, user, "scope=team") if t["id"] == task_id)


def test_deactivation_ends_sessions_and_tokens_and_frees_her_tasks_for_the_team_leader(api):
    case_id, task_id = _claimed_task(api)
    assert all(t["id"] != task_id for t in tasks(api, "teamleder1", "scope=team")
               if t["taget_af"] is None)
    browser = api.app.test_client()
    assert browser.post("/api/auth/login", json={"username": "raadgiver1", "password": "demo"}).status_code == 200
    token = api.token("raadgiver1")

    response = api.post(f"{USERS}/{_id(api, 'raadgiver1')}/deaktiver", "admin1")

    assert response.status_code == 200 and response.get_json()["aktiv"] is False
    assert browser.get("/api/me").status_code == 401
    assert api.client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert api.client.post("/api/auth/token", json={"username": "raadgiver1", "password": "demo"}).status_code == 401
    assert _team_task(api, task_id)["taget_af"] is None  # free in the team leader's inbox, to hand out
    notices = api.get("/api/notifikationer", "teamleder1").get_json()
    assert any(n["case_id"] == case_id and "frigivet, da Rikke Rådgiver er deaktiveret" in n["tekst"] for n in notices)
    journal = api.get(f"/api/cases/{case_id}", "teamleder1").get_json()["journal"]
    freed = next(e for e in journal if e["handling"] == "opgave_frigivet")
    assert freed["tekst"] == "Opgaven «24-timers vurdering» frigivet: Rikke Rådgiver er deaktiveret"
    assert freed["bruger_id"] == _id(api, "admin1") and freed["data"]["af"] == "admin1"
    log = api.get("/api/admin/aendringer", "admin1").get_json()[0]
    assert log["handling"] == "bruger_deaktiveret" and log["aendringer"] == {"frigivne_opgaver": [task_id]}
    assert log["beskrivelse"] == "raadgiver1 deaktiveret og logget ud overalt; 1 opgave(r) frigivet"


def test_a_reactivated_user_logs_in_again_but_old_tokens_stay_dead(api):
    token = api.token("raadgiver2")
    user_id = _id(api, "raadgiver2")
    api.post(f"{USERS}/{user_id}/deaktiver", "admin1")
    assert api.post(f"{USERS}/{user_id}/aktiver", "admin1").get_json()["aktiv"] is True
    assert api.client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert api.client.post("/api/auth/token", json={"username": "raadgiver2", "password": "demo"}).status_code == 201
    assert [e["handling"] for e in api.get(f"/api/admin/aendringer?bruger_id={user_id}", "admin1").get_json()] == [
        "bruger_aktiveret", "bruger_deaktiveret"]


def test_moving_a_caseworker_frees_her_tasks_in_the_old_team_and_gives_her_the_new_teams_work(api):
    case_id, task_id = _claimed_task(api)
    syd = next(t["id"] for t in api.get("/api/admin/teams", "admin1").get_json() if t["navn"] == "Team Syd")
    moved = api.call("PATCH", f"{USERS}/{_id(api, 'raadgiver1')}", "admin1", json={"team_id": syd})
    assert moved.status_code == 200 and moved.get_json()["team"]["navn"] == "Team Syd"
    assert _team_task(api, task_id)["taget_af"] is None
    assert tasks(api, "raadgiver1") == []  # Team Nord's work is no longer hers
    assert api.get(f"/api/cases/{case_id}", "raadgiver1").status_code == 404
    syd_case = receive(api, "raadgiver_syd", cpr="020219-4322", barnets_navn="Bo Hansen")["case_id"]
    assert api.get(f"/api/cases/{syd_case}", "raadgiver1").status_code == 200
    entry = api.get("/api/admin/aendringer", "admin1").get_json()[0]
    assert entry["handling"] == "bruger_flyttet" and entry["beskrivelse"] == "raadgiver1: team Team Nord → Team Syd"
    notices = api.get("/api/notifikationer", "teamleder1").get_json()
    assert any("frigivet, da Rikke Rådgiver er flyttet til Team Syd" in n["tekst"] for n in notices)


def test_a_team_leader_made_caseworker_keeps_caseworker_tasks_but_frees_team_leader_ones(api):
    case_id = receive(api)["case_id"]
    task_id = open_task(api, case_id, "vurdering_24t", "teamleder1")["id"]
    assert api.post(f"/api/tasks/{task_id}/claim", "teamleder1").status_code == 200
    api.call("PATCH", f"{USERS}/{_id(api, 'teamleder1')}", "admin1", json={"rolle": "raadgiver"})
    task = next(t for t in tasks(api, "teamleder1") if t["id"] == task_id)
    assert task["taget_af"] == _id(api, "teamleder1")  # a caseworker's task: still hers
