"""«Brugere og teams» in the browser: only for administrators, errors at their fields, deactivation confirmed."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient


def _log_in(app: Flask, username: str = "admin1") -> tuple[FlaskClient, str, str]:
    """A logged-in browser, the CSRF token, and where the log-in led."""
    client = app.test_client()
    response = client.post("/log-ind", data={"username": username, "password": "demo"})
    assert response.status_code == 302
    landing = response.headers["Location"]
    page = client.get(landing).get_data(as_text=True)
    return client, re.search(r'name="csrf_token" value="([^"]+)"', page).group(1), landing


def _user_id(page: str, name: str) -> int:
    return int(re.search(rf'<a href="/brugere/(\d+)">{name}</a>', page).group(1))


def test_the_administrator_lands_on_users_and_teams_and_others_are_refused(app) -> None:  # noqa: ANN001
    client, _, landing = _log_in(app)
    assert landing == "/brugere"
    page = client.get("/brugere").get_data(as_text=True)
    assert 'aria-current="page">Brugere og teams</a>' in page
    assert "Rikke Rådgiver" in page and "Team Nord" in page
    for other in ("raadgiver1", "teamleder1", "procesejer1", "afdelingsleder1"):
        browser, token, _ = _log_in(app, other)
        refused = browser.get("/brugere")
        assert refused.status_code == 403
        assert "Kun administratorer kan ændre brugere og teams." in refused.get_data(as_text=True)
        assert browser.post("/brugere/ny", data={"csrf_token": token, "brugernavn": "x"}).status_code == 403
        assert "Brugere og teams" not in browser.get("/log-ind", follow_redirects=True).get_data(as_text=True)


def test_the_list_filters_by_text_role_and_status(app) -> None:  # noqa: ANN001
    client, _, _ = _log_in(app)
    page = client.get("/brugere?q=tina").get_data(as_text=True)
    assert "Tina Teamleder" in page and "Rikke Rådgiver" not in page
    page = client.get("/brugere?rolle=procesejer").get_data(as_text=True)
    assert "Per Procesejer" in page and "Tina Teamleder" not in page and "1 brugere" in page
    assert "Ingen brugere passer til filteret." in client.get("/brugere?status=deaktiverede").get_data(as_text=True)


def test_creating_a_user_shows_errors_at_the_fields_then_the_one_time_password(app) -> None:  # noqa: ANN001
    client, token, _ = _log_in(app)
    form = {"csrf_token": token, "brugernavn": "Ny Bruger", "navn": "", "email": "ingen", "rolle": "teamleder",
            "team_id": "", "adgangskode": "kort"}
    refused = client.post("/brugere/ny", data=form)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert re.search(r'id="f-brugernavn-fejl">Brugernavnet skal være 2–80 tegn', page)
    assert 'id="f-navn-fejl">Skriv brugerens fulde navn (højst 200 tegn).' in page
    assert 'id="f-email-fejl">E-mailadressen er ikke gyldig (fx navn@kommune.dk).' in page
    assert 'id="f-team_id-fejl">En teamleder skal høre til et team. Vælg teamet.' in page
    assert 'id="f-adgangskode-fejl">Adgangskoden skal være mindst 12 tegn.' in page
    assert 'value="Ny Bruger"' in page  # what was typed survives the error
    team_nord = re.search(r'<option value="(\d+)"[^>]*>Team Nord</option>', page).group(1)
    created = client.post("/brugere/ny", data={**form, "brugernavn": "ny.leder", "navn": "Nina Ny",
                                                "email": "nn@kommune.dk", "team_id": team_nord, "adgangskode": ""})
    assert created.status_code == 200
    password = re.search(r'<strong class="cpr">([^<]+)</strong>', created.get_data(as_text=True)).group(1)
    newcomer = app.test_client()
    assert newcomer.post("/log-ind", data={"username": "ny.leder", "password": password}).headers["Location"] == (
        "/indbakke")
    overview = client.get("/brugere").get_data(as_text=True)
    assert "ny.leder (Nina Ny) oprettet som teamleder i Team Nord" in overview and password not in overview


def test_deactivation_is_confirmed_first_and_logs_the_user_out(app) -> None:  # noqa: ANN001
    client, token, _ = _log_in(app)
    user_id = _user_id(client.get("/brugere").get_data(as_text=True), "Rasmus Rådgiver")
    victim, _, _ = _log_in(app, "raadgiver2")
    confirm = client.get(f"/brugere/{user_id}/deaktiver").get_data(as_text=True)
    assert "Deaktivér Rasmus Rådgiver?" in confirm and "frigives til teamet" in confirm
    assert client.post(f"/brugere/{user_id}/deaktiver", data={}).status_code == 403  # no CSRF field
    done = client.post(f"/brugere/{user_id}/deaktiver", data={"csrf_token": token})
    assert done.headers["Location"] == f"/brugere/{user_id}"
    page = client.get(f"/brugere/{user_id}").get_data(as_text=True)
    assert "er deaktiveret og logget ud overalt" in page and "Aktivér bruger" in page
    assert "raadgiver2 deaktiveret og logget ud overalt; 0 opgave(r) frigivet" in page
    assert victim.get("/indbakke").headers["Location"].startswith("/log-ind")
    admin_id = _user_id(client.get("/brugere?rolle=admin").get_data(as_text=True), "Anders Administrator")
    last = client.post(f"/brugere/{admin_id}/deaktiver", data={"csrf_token": token})
    assert last.status_code == 422 and "Det er den sidste aktive administrator." in last.get_data(as_text=True)


def test_editing_a_user_and_a_team(app) -> None:  # noqa: ANN001
    client, token, _ = _log_in(app)
    user_id = _user_id(client.get("/brugere").get_data(as_text=True), "Sofie Syd")
    page = client.get(f"/brugere/{user_id}").get_data(as_text=True)
    team_nord = re.search(r'<option value="(\d+)"[^>]*>Team Nord</option>', page).group(1)
    moved = client.post(f"/brugere/{user_id}", data={"csrf_token": token, "brugernavn": "raadgiver_syd",
                                                      "navn": "Sofie Syd", "email": "", "rolle": "raadgiver",
                                                      "team_id": team_nord})
    assert moved.status_code == 302
    assert "raadgiver_syd: team Team Syd → Team Nord" in client.get(moved.headers["Location"]).get_data(as_text=True)
    overview = client.get("/brugere").get_data(as_text=True)
    team_syd = re.search(r'<a href="/brugere/teams/(\d+)">Team Syd</a>', overview).group(1)
    clash = client.post(f"/brugere/teams/{team_syd}", data={"csrf_token": token, "navn": "team nord"})
    assert clash.status_code == 422
    assert 'id="f-navn-fejl">Der findes allerede et team ved navn «team nord».' in clash.get_data(as_text=True)
    laid_down = client.post(f"/brugere/teams/{team_syd}", data={"csrf_token": token, "handling": "nedlaeg"})
    assert laid_down.status_code == 302
    assert "Team «Team Syd» nedlagt" in client.get(f"/brugere/teams/{team_syd}").get_data(as_text=True)
    empty = client.post("/brugere/teams", data={"csrf_token": token, "navn": " "})
    assert empty.status_code == 422
    assert 'id="f-navn-fejl">Skriv teamets navn (højst 120 tegn).' in empty.get_data(as_text=True)


def test_a_password_reset_is_shown_once(app) -> None:  # noqa: ANN001
    client, token, _ = _log_in(app)
    user_id = _user_id(client.get("/brugere").get_data(as_text=True), "Rikke Rådgiver")
    shown = client.post(f"/brugere/{user_id}/nulstil-adgangskode", data={"csrf_token": token})
    password = re.search(r'<strong class="cpr">([^<]+)</strong>', shown.get_data(as_text=True)).group(1)
    assert app.test_client().post("/log-ind", data={"username": "raadgiver1", "password": password}).status_code == 302
    assert password not in client.get(f"/brugere/{user_id}").get_data(as_text=True)
