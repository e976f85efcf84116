"""Intake under concurrency loses nothing, and a caseworker of another team learns nothing about a child's case."""

from __future__ import annotations

import threading

import pytest

from service.demo_payloads import UNDERRETNING
from tests.support import receive
from tests.support import tasks as open_tasks

PAIRS = 100


def _cpr(i: int) -> str:
    return f"{(i % 28) + 1:02d}{(i // 28) + 1:02d}19-{5000 + i:04d}"


def _at_once(app, api, requests: list[tuple[str, dict]]) -> list:  # noqa: ANN001
    """Posts the underretninger at the same moment, each from its own client; returns the responses in order."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)
    tokens = {user: api.token(user) for user, _ in requests}

    def post(i: int, user: str, body: dict) -> None:
        client = app.test_client()
        barrier.wait()
        results[i] = client.post("/api/underretninger", json=body, headers={"Authorization": f"Bearer {tokens[user]}"})

    threads = [threading.Thread(target=post, args=(i, u, b)) for i, (u, b) in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_hundred_simultaneous_pairs_for_one_new_child_each_land_on_one_case(app, api):
    for i in range(PAIRS):
        cpr = _cpr(i)
        first, second = _at_once(app, api, [
            ("raadgiver1", {**UNDERRETNING, "cpr": cpr, "beskrivelse": "Skolen ringer."}),
            ("raadgiver2", {**UNDERRETNING, "cpr": cpr, "beskrivelse": "Naboen skriver."})])
        assert (first.status_code, second.status_code) == (201, 201), (first.get_json(), second.get_json())
        assert first.get_json()["case_id"] == second.get_json()["case_id"]
        assert sorted([first.get_json()["joined"], second.get_json()["joined"]]) == [False, True]
        case = api.get(f"/api/cases/{first.get_json()['case_id']}").get_json()
        assert len(case["underretninger"]) == 2


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_simultaneous_intakes_for_different_children_get_distinct_case_numbers(app, api):
    responses = _at_once(app, api, [("raadgiver1" if i % 2 else "raadgiver2",
                                     {**UNDERRETNING, "cpr": _cpr(200 + i)}) for i in range(8)])
    assert [r.status_code for r in responses] == [201] * 8
    assert len({r.get_json()["sagsnummer"] for r in responses}) == 8


def test_another_teams_caseworker_learns_only_that_the_underretning_was_received(api):
    case = receive(api)  # Team Nord's case
    other = api.post("/api/underretninger", "raadgiver_syd", json={**UNDERRETNING, "beskrivelse": "Fra Syd."})
    assert other.status_code == 201
    body = other.get_json()
    assert set(body) == {"underretning_id", "besked"}
    text = other.get_data(as_text=True)
    assert case["case_id"] not in text and case["sagsnummer"] not in text and "Nord" not in text
    # Routed all the same: it is on Team Nord's case, with its own 24-hour assessment for Team Nord.
    detail = api.get(f"/api/cases/{case['case_id']}").get_json()
    assert body["underretning_id"] in [u["id"] for u in detail["underretninger"]]
    assert open_tasks(api, "raadgiver_syd") == []


@pytest.mark.parametrize("user", ["raadgiver2", "teamleder1"])
def test_the_own_teams_caseworker_and_team_leader_see_the_case_they_joined(api, user):
    case = receive(api)
    again = api.post("/api/underretninger", user, json={**UNDERRETNING, "beskrivelse": "Igen."}).get_json()
    assert again["case_id"] == case["case_id"] and again["joined"] is True


@pytest.mark.parametrize("user", ["procesejer1"])
def test_roles_without_casework_cannot_register(api, user):
    assert api.post("/api/underretninger", user, json=UNDERRETNING).status_code == 403
