"""The polled inbox status: counts that move when a task is created or a notice fires, scoped to the team."""

from __future__ import annotations

from service.deadlines.firing import fire_due
from tests.support import receive


def _status(api, user: str) -> dict:  # noqa: ANN001
    answer = api.get("/api/indbakke/status", user)
    assert answer.status_code == 200, answer.get_json()
    assert answer.headers["Cache-Control"] == "no-store"
    return answer.get_json()


def test_status_counts_new_tasks_and_notices_for_the_team_only(api, app, frozen_clock):
    factory = app.extensions["sagsflow"]["session_factory"]
    before = _status(api, "raadgiver1")
    assert before == {"opgaver": 0, "nyeste_opgave": None, "beskeder": 0, "nyeste_besked": None}
    south = _status(api, "raadgiver_syd")

    receive(api)  # Team Nord's new case: the 24-hour assessment, free for the team's caseworkers
    after_case = _status(api, "raadgiver1")
    assert after_case["opgaver"] > 0 and after_case["nyeste_opgave"] is not None
    assert after_case["beskeder"] == 0
    assert _status(api, "raadgiver_syd") == south  # another team's task is not hers

    frozen_clock.advance(hours=13)
    fire_due(factory)  # the 12-hour warning to the team's caseworkers
    warned = _status(api, "raadgiver1")
    assert warned["beskeder"] == 1 and warned["nyeste_besked"] is not None
    assert warned["opgaver"] == after_case["opgaver"] and warned["nyeste_opgave"] == after_case["nyeste_opgave"]
    assert _status(api, "raadgiver_syd") == south  # nor is another team's notice
    leader_warned = _status(api, "teamleder1")
    assert leader_warned["beskeder"] == 1  # a team leader sees her caseworkers' notices too

    frozen_clock.advance(hours=12)
    fire_due(factory)  # the breach: the warning goes away by itself, the team leader is told
    assert _status(api, "raadgiver1")["beskeder"] == 0
    leader = _status(api, "teamleder1")
    assert leader["beskeder"] == 1 and leader["nyeste_besked"] > warned["nyeste_besked"]
    assert leader["opgaver"] == leader_warned["opgaver"] + 1  # the escalation task comes to her too
    assert leader["nyeste_opgave"] > leader_warned["nyeste_opgave"]
    assert _status(api, "raadgiver_syd") == south


def test_status_needs_a_login_and_is_zero_for_a_role_without_an_inbox(api):
    assert api.get("/api/indbakke/status", None).status_code == 401
    assert _status(api, "procesejer1") == {"opgaver": 0, "nyeste_opgave": None, "beskeder": 0, "nyeste_besked": None}


def test_the_user_sets_her_own_e_mail_frequency_and_bad_input_is_a_danish_422(api):
    assert api.get("/api/mig/indstillinger").get_json() == {"email_frekvens": "straks"}
    answer = api.put("/api/mig/indstillinger", json={"email_frekvens": "dagligt"})
    assert answer.status_code == 200 and answer.get_json() == {"email_frekvens": "dagligt"}
    assert api.get("/api/mig/indstillinger").get_json() == {"email_frekvens": "dagligt"}
    assert api.get("/api/mig/indstillinger", "raadgiver2").get_json() == {"email_frekvens": "straks"}
    refusals = {"ugentligt": ("email_frekvens", "Skal være en af: straks, dagligt, aldrig."),
                None: ("email_frekvens", "Feltet skal udfyldes."), 3: ("email_frekvens", "Skal være tekst."),
                "ekstra": ("x", "Ukendt felt.")}
    for value, expected in refusals.items():
        body = {} if value is None else {"email_frekvens": "aldrig", "x": 1} if value == "ekstra" else \
            {"email_frekvens": value}
        refused = api.put("/api/mig/indstillinger", json=body)
        assert refused.status_code == 422 and refused.mimetype == "application/problem+json", body
        assert (refused.get_json()["errors"][0]["field"], refused.get_json()["errors"][0]["message"]) == expected
    assert api.get("/api/mig/indstillinger").get_json() == {"email_frekvens": "dagligt"}
    spec = api.get("/api/openapi.json", None).get_json()
    assert "/api/indbakke/status" in spec["paths"] and "put" in spec["paths"]["/api/mig/indstillinger"]
