"""Indsigt (domain.md §7): a team leader or admin lists every read and write of one child's cases, by a CPR
posted in the body; the lookup is journalled, the CPR is in no address and no log."""

from __future__ import annotations

import logging
import re

import pytest

from service.access import service as access
from service.access.models import User
from service.journal.models import JournalEntry
from tests.support import complete, receive

URL = "/api/indsigt/cpr"
CPR = "010120-4321"  # the demo underretning's child
DIGITS = re.compile(r"0101\D?20\D?4321")


@pytest.fixture
def people(uow) -> None:  # noqa: ANN001
    south = access.ensure_team(uow, "Team Syd")
    uow.session.add_all([  # admin1 is one of the demo people
        User(username="teamleder_syd", full_name="Svend Syd", role="teamleder", team_id=south.id, active=True,
             password_hash=access.hash_password("demo"))])
    uow.commit()


def test_team_leader_sees_who_read_and_wrote_the_childs_case_newest_first(api, people):
    case_id = receive(api)["case_id"]
    complete(api, case_id, "registrering")
    assert api.get(f"/api/cases/{case_id}", "raadgiver2").status_code == 200
    response = api.post(URL, "teamleder1", json={"cpr": CPR})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["cpr_maskeret"] == "010120-xxxx"
    assert [s["team"] for s in body["sager"]] == ["Team Nord"]
    seen = [(a["handling"], a["bruger"]) for a in body["adgange"]]
    assert seen[0] == ("laest", "Rasmus Rådgiver (raadgiver2)")
    assert ("opgave_udfoert", "Rikke Rådgiver (raadgiver1)") in seen
    assert ("underretning_modtaget", "Rikke Rådgiver (raadgiver1)") in seen
    assert "4321" not in response.get_data(as_text=True)


def test_the_lookup_is_journalled_on_the_case_and_shows_in_the_next_one(api, uow, people):
    case_id = receive(api)["case_id"]
    assert api.post(URL, "admin1", json={"cpr": CPR}).status_code == 200
    entries = uow.session.query(JournalEntry).filter_by(case_id=case_id, action="indsigt_givet").all()
    assert [e.actor_id for e in entries] == [uow.session.query(User).filter_by(username="admin1").one().id]
    again = api.post(URL, "teamleder1", json={"cpr": CPR}).get_json()
    assert again["adgange"][0]["handling"] == "indsigt_givet"
    assert again["adgange"][0]["bruger"] == "Anders Administrator (admin1)"


def test_roles_caseworker_403_other_team_404_admin_all(api, people):
    receive(api)  # Team Nord's case
    receive(api, "raadgiver_syd", cpr="020220-1234", barnets_navn="Bo Berg")  # Team Syd's case
    assert api.post(URL, "raadgiver1", json={"cpr": CPR}).status_code == 403
    assert api.post(URL, "procesejer1", json={"cpr": CPR}).status_code == 403
    other = api.post(URL, "teamleder_syd", json={"cpr": CPR})
    unknown = api.post(URL, "teamleder_syd", json={"cpr": "030330-3333"})
    assert other.status_code == unknown.status_code == 404  # the same answer: existence is need-to-know
    assert other.get_json()["detail"] == unknown.get_json()["detail"]
    assert api.post(URL, "teamleder_syd", json={"cpr": "020220-1234"}).status_code == 200
    assert api.post(URL, "teamleder1", json={"cpr": "020220-1234"}).status_code == 404
    for cpr in (CPR, "020220-1234"):
        assert api.post(URL, "admin1", json={"cpr": cpr}).status_code == 200


def test_bad_cpr_is_422_in_danish_and_the_cpr_is_never_in_an_address(api, people):
    for bad, expected in (("12", "10 cifre"), ("999999-1234", "fødselsdato"), ("x" * 30, "10 cifre")):
        response = api.post(URL, "teamleder1", json={"cpr": bad})
        assert response.status_code == 422 and response.mimetype == "application/problem+json"
        assert expected in str(response.get_json()["errors"])
    assert api.post(URL, "teamleder1", json={}).status_code == 422
    assert api.get(f"{URL}/{CPR}", "teamleder1").status_code == 404  # there is no address with a CPR in it
    assert api.get(f"{URL}?cpr={CPR}", "teamleder1").status_code == 405


def test_no_cpr_in_any_log_line_of_a_lookup(api, people, caplog):
    receive(api)
    with caplog.at_level(logging.DEBUG):
        assert api.post(URL, "teamleder1", json={"cpr": CPR}).status_code == 200
        assert api.post(URL, "teamleder_syd", json={"cpr": CPR}).status_code == 404
        assert api.post(URL, "teamleder1", json={"cpr": "010120-43210"}).status_code == 422
        page = api.client.get("/indsigt")
        assert page.status_code in (200, 302)
    assert caplog.records  # the request log did write
    assert not DIGITS.search(caplog.text)


def test_the_page_posts_the_cpr_and_lists_the_accesses(app, api, people):
    receive(api)
    browser = app.test_client()
    login = browser.post("/log-ind", data={"username": "teamleder1", "password": "demo"})
    assert login.status_code in (302, 303)
    form = browser.get("/indsigt")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert 'method="post" action="/indsigt"' in html
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    shown = browser.post("/indsigt", data={"cpr": CPR, "csrf_token": token})
    assert shown.status_code == 200
    text = shown.get_data(as_text=True)
    assert "010120-xxxx" in text and "Rikke Rådgiver (raadgiver1)" in text and "Underretning" in text
    assert "4321" not in text
    missing = browser.post("/indsigt", data={"cpr": "030330-3333", "csrf_token": token})
    assert missing.status_code == 404 and "ingen sager om dette CPR-nummer" in missing.get_data(as_text=True)
    caseworker = app.test_client()
    caseworker.post("/log-ind", data={"username": "raadgiver1", "password": "demo"})
    assert caseworker.get("/indsigt").status_code == 403
