"""The administrators' API: only admins get in; users and teams created, changed and deactivated, each logged."""

from __future__ import annotations

import pytest

from tests.support import ApiClient

USERS = "/api/admin/brugere"
NEW = {"brugernavn": "karin", "navn": "Karin Kristensen", "email": "kk@kommune.dk", "rolle": "raadgiver"}


def _team_id(api: ApiClient, name: str = "Team Nord") -> int:
    return next(t["id"] for t in api.get("/api/admin/teams", "admin1").get_json() if t["navn"] == name)


def _errors(response) -> dict[str, str]:  # noqa: ANN001
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    return {e["field"]: e["message"] for e in response.get_json()["errors"]}


@pytest.mark.parametrize("username", ["raadgiver1", "teamleder1", "procesejer1", "afdelingsleder1"])
def test_every_role_but_admin_is_refused_before_the_body_is_read(api, username):
    for method, path in (("GET", USERS), ("POST", USERS), ("PATCH", f"{USERS}/1"), ("POST", f"{USERS}/1/deaktiver"),
                         ("POST", f"{USERS}/1/aktiver"), ("POST", f"{USERS}/1/nulstil-adgangskode"),
                         ("GET", "/api/admin/teams"), ("POST", "/api/admin/teams"), ("GET", "/api/admin/aendringer")):
        response = api.call(method, path, username, json={"brugernavn": "!"})
        assert response.status_code == 403, (method, path)
        assert response.get_json()["title"] == "Ingen adgang"
    assert api.get(USERS, None).status_code == 401


def test_admin_creates_a_user_who_can_log_in_with_the_one_time_password(api):
    created = api.post(USERS, "admin1", json={**NEW, "team_id": _team_id(api)})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()["bruger"]
    assert body["team"]["navn"] == "Team Nord" and body["aktiv"] is True and body["rolle"] == "raadgiver"
    password = created.get_json()["midlertidig_adgangskode"]
    assert len(password) >= 12
    token = api.client.post("/api/auth/token", json={"username": "karin", "password": password})
    assert token.status_code == 201
    me = api.client.get("/api/me", headers={"Authorization": f"Bearer {token.get_json()['token']}"}).get_json()
    assert me["full_name"] == "Karin Kristensen"
    log = api.get("/api/admin/aendringer", "admin1").get_json()
    assert log[0]["handling"] == "bruger_oprettet" and log[0]["udfoert_af"] == "admin1"
    assert password not in str(log)


def test_each_bad_field_gets_its_own_danish_message(api):
    errors = _errors(api.post(USERS, "admin1", json={"brugernavn": "Rikke Rådgiver", "navn": " ",
                                                   "email": "ikke-en-mail", "rolle": "chef", "adgangskode": "kort"}))
    assert errors["brugernavn"].startswith("Brugernavnet skal være 2–80 tegn")
    assert errors["navn"] == "Skriv brugerens fulde navn (højst 200 tegn)."
    assert errors["email"] == "E-mailadressen er ikke gyldig (fx navn@kommune.dk)."
    assert errors["rolle"].startswith("Vælg en af rollerne: Rådgiver, Teamleder")
    assert errors["adgangskode"] == "Adgangskoden skal være mindst 12 tegn."
    assert _errors(api.post(USERS, "admin1", json={**NEW, "brugernavn": "RAADGIVER1", "team_id": _team_id(api)})) == {
        "brugernavn": "Brugernavnet «raadgiver1» er allerede i brug."}
    assert _errors(api.post(USERS, "admin1", json=NEW)) == {
        "team_id": "En rådgiver skal høre til et team. Vælg teamet."}
    assert _errors(api.post(USERS, "admin1", json={**NEW, "team_id": 9999})) == {"team_id": "Teamet findes ikke."}
    assert _errors(api.post(USERS, "admin1", json={**NEW, "rolle": "procesejer", "team_id": _team_id(api)})) == {
        "team_id": "Kun rådgivere og teamledere hører til et team."}
    assert _errors(api.post(USERS, "admin1", json={"navn": 5})) == {
        "brugernavn": "Feltet skal udfyldes.", "navn": "Skal være tekst.", "rolle": "Feltet skal udfyldes."}
    assert api.get("/api/admin/aendringer", "admin1").get_json() == []  # nothing was created


def test_editing_role_moves_and_clears_the_team_and_the_last_admin_stays(api):
    user = api.post(USERS, "admin1", json={**NEW, "team_id": _team_id(api), "adgangskode": "en lang adgangskode"})
    user_id = user.get_json()["bruger"]["id"]
    assert user.get_json()["midlertidig_adgangskode"] is None
    changed = api.call("PATCH", f"{USERS}/{user_id}", "admin1", json={"rolle": "afdelingsleder", "email": None})
    assert changed.status_code == 200
    assert changed.get_json()["team"] is None and changed.get_json()["email"] is None
    admin_id = next(u["id"] for u in api.get(f"{USERS}?rolle=admin", "admin1").get_json())
    assert _errors(api.call("PATCH", f"{USERS}/{admin_id}", "admin1", json={"rolle": "procesejer"}))["rolle"] == (
        "Det er den sidste aktive administrator. Opret eller aktivér en anden først.")
    assert _errors(api.post(f"{USERS}/{admin_id}/deaktiver", "admin1"))["aktiv"].startswith("Det er den sidste")
    entry = api.get(f"/api/admin/aendringer?bruger_id={user_id}", "admin1").get_json()[0]
    assert entry["handling"] == "bruger_rettet"
    assert entry["aendringer"]["rolle"] == ["raadgiver", "afdelingsleder"]
    assert "rolle rådgiver → afdelingsleder" in entry["beskrivelse"]


def test_list_filters_by_text_role_team_and_activity(api):
    nord = _team_id(api)
    assert {u["brugernavn"] for u in api.get(f"{USERS}?team_id={nord}&rolle=teamleder", "admin1").get_json()} == {
        "teamleder1", "teamleder2"}
    assert [u["brugernavn"] for u in api.get(f"{USERS}?q=sofie", "admin1").get_json()] == ["raadgiver_syd"]
    api.post(f"{USERS}/{_user_id(api, 'raadgiver2')}/deaktiver", "admin1")
    assert [u["brugernavn"] for u in api.get(f"{USERS}?aktiv=false", "admin1").get_json()] == ["raadgiver2"]


def _user_id(api: ApiClient, username: str) -> int:
    return next(u["id"] for u in api.get(f"{USERS}?q={username}", "admin1").get_json() if u["brugernavn"] == username)


def test_password_reset_returns_a_one_time_password_or_sets_the_given_one_and_ends_tokens(api):
    user_id = _user_id(api, "raadgiver2")
    old_token = api.token("raadgiver2")
    reset = api.post(f"{USERS}/{user_id}/nulstil-adgangskode", "admin1", json={})
    assert reset.status_code == 200
    chosen = reset.get_json()["midlertidig_adgangskode"]
    assert api.client.get("/api/me", headers={"Authorization": f"Bearer {old_token}"}).status_code == 401
    assert api.client.post("/api/auth/token", json={"username": "raadgiver2", "password": "demo"}).status_code == 401
    assert api.client.post("/api/auth/token", json={"username": "raadgiver2", "password": chosen}).status_code == 201
    assert _errors(api.post(f"{USERS}/{user_id}/nulstil-adgangskode", "admin1", json={"adgangskode": "x" * 11})) == {
        "adgangskode": "Adgangskoden skal være mindst 12 tegn."}
    given = api.post(f"{USERS}/{user_id}/nulstil-adgangskode", "admin1", json={"adgangskode": "korrekt hest batteri"})
    assert given.get_json() == {"midlertidig_adgangskode": None}
    assert api.client.post("/api/auth/token", json={"username": "raadgiver2",
                                                    "password": "korrekt hest batteri"}).status_code == 201
    log = api.get(f"/api/admin/aendringer?bruger_id={user_id}", "admin1").get_json()
    assert [e["handling"] for e in log] == ["adgangskode_nulstillet", "adgangskode_nulstillet"]
    assert chosen not in str(log) and "korrekt hest" not in str(log)


def test_teams_are_created_renamed_and_laid_down_only_when_empty(api):
    created = api.post("/api/admin/teams", "admin1", json={"navn": "  Team   Vest "})
    assert created.status_code == 201 and created.get_json()["navn"] == "Team Vest"
    team_id = created.get_json()["id"]
    assert _errors(api.post("/api/admin/teams", "admin1", json={"navn": "team nord"})) == {
        "navn": "Der findes allerede et team ved navn «team nord»."}
    assert _errors(api.call("PATCH", f"/api/admin/teams/{team_id}", "admin1", json={"navn": ""})) == {
        "navn": "Skriv teamets navn (højst 120 tegn)."}
    renamed = api.call("PATCH", f"/api/admin/teams/{team_id}", "admin1", json={"navn": "Team Øst"})
    assert renamed.get_json()["navn"] == "Team Øst"
    nord = _team_id(api)
    assert _errors(api.post(f"/api/admin/teams/{nord}/deaktiver", "admin1"))["aktiv"] == (
        "Teamet har 4 aktive brugere. Flyt eller deaktivér dem først.")
    laid_down = api.post(f"/api/admin/teams/{team_id}/deaktiver", "admin1")
    assert laid_down.get_json()["aktiv"] is False
    assert _errors(api.post(USERS, "admin1", json={**NEW, "team_id": team_id})) == {
        "team_id": "Teamet «Team Øst» er nedlagt. Vælg et andet team."}
    assert [e["handling"] for e in api.get(f"/api/admin/aendringer?team_id={team_id}", "admin1").get_json()] == [
        "team_nedlagt", "team_omdoebt", "team_oprettet"]
    assert api.post("/api/admin/teams/9999/deaktiver", "admin1").status_code == 404
