"""Ledelsestilsyn: each month one random open case per caseworker, reviewed by the team leader and journalled."""

from __future__ import annotations

from service.deadlines.firing import fire_due
from tests.support import complete, receive


def _cases_with_owners(api, app, frozen_clock) -> tuple[str, set[str]]:  # noqa: ANN001
    """raadgiver1 carries one case, assessed on time; raadgiver2 two, both assessed after the 24 hours."""
    own = receive(api, cpr="010120-4321", barnets_navn="Alma")["case_id"]
    late = {receive(api, cpr=f"0{n}0219-432{n}", barnets_navn=f"Barn {n}")["case_id"] for n in (2, 3)}
    frozen_clock.advance(hours=1)
    complete(api, own, "vurdering_24t")
    frozen_clock.advance(hours=24)
    fire_due(app.extensions["sagsflow"]["session_factory"])
    for case_id in late:
        complete(api, case_id, "vurdering_24t", user="raadgiver2")
    return own, late


def test_one_random_case_per_caseworker_drawn_once_a_month_with_the_points_to_review(api, app, frozen_clock):
    own, late = _cases_with_owners(api, app, frozen_clock)
    response = api.post("/api/ledelsestilsyn", "teamleder1", json={"maaned": "2026-03"})
    assert response.status_code == 201, response.get_json()
    drawn = {s["raadgiver"]: s for s in response.get_json()}
    assert set(drawn) == {"Rikke Rådgiver", "Rasmus Rådgiver"}  # one each; nobody without open cases
    assert drawn["Rikke Rådgiver"]["case_id"] == own and drawn["Rasmus Rådgiver"]["case_id"] in late
    assert drawn["Rikke Rådgiver"]["punkter"][0] == {"punkt": "Ingen overskredne frister", "opfyldt": True}
    missed = drawn["Rasmus Rådgiver"]["punkter"][0]
    assert missed["opfyldt"] is False and "24-timers vurdering" in missed["punkt"]
    assert drawn["Rikke Rådgiver"]["punkter"][1]["opfyldt"] is None  # no decision yet: the point does not apply

    again = api.post("/api/ledelsestilsyn", "teamleder1", json={"maaned": "2026-03"}).get_json()
    assert {s["id"]: s["case_id"] for s in again} == {s["id"]: s["case_id"] for s in drawn.values()}
    listed = api.get("/api/ledelsestilsyn?maaned=2026-03", "teamleder1").get_json()
    assert {s["id"] for s in listed} == {s["id"] for s in drawn.values()}
    assert api.get("/api/ledelsestilsyn?maaned=2026-04", "teamleder1").get_json() == []
    journal = api.get(f"/api/cases/{own}", "teamleder1").get_json()["journal"]
    assert any(e["tekst"] == "Udtrukket til ledelsestilsyn for marts 2026" for e in journal)


def test_the_review_is_recorded_once_with_a_verdict_and_a_note(api, app, frozen_clock):
    _cases_with_owners(api, app, frozen_clock)
    sample = api.post("/api/ledelsestilsyn", "teamleder1", json={"maaned": "2026-03"}).get_json()[0]
    url = f"/api/ledelsestilsyn/{sample['id']}/gennemgang"
    refused = api.post(url, "teamleder1", json={"maerke": "fint", "bemaerkning": " "})
    assert refused.status_code == 422
    assert {e["field"] for e in refused.get_json()["errors"]} == {"maerke", "bemaerkning"}
    done = api.post(url, "teamleder1", json={"maerke": "opfoelgning", "bemaerkning": "Fristen blev overskredet."})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["maerke"] == "opfoelgning" and done.get_json()["gennemgaaet"]
    assert api.post(url, "teamleder1", json={"maerke": "i_orden", "bemaerkning": "Igen."}).status_code == 409
    journal = api.get(f"/api/cases/{sample['case_id']}", "teamleder1").get_json()["journal"]
    assert any(e["tekst"] == "Ledelsestilsyn for marts 2026: Kræver opfølgning" for e in journal)


def test_only_team_leaders_and_a_month_as_yyyy_mm(api):
    assert api.get("/api/ledelsestilsyn", "raadgiver1").status_code == 403
    assert api.post("/api/ledelsestilsyn", "raadgiver1", json={}).status_code == 403
    bad = api.get("/api/ledelsestilsyn?maaned=2026-13", "teamleder1")
    assert bad.status_code == 422 and "maaned" in str(bad.get_json())
    assert api.post("/api/ledelsestilsyn/999/gennemgang", "teamleder1",
                    json={"maerke": "i_orden", "bemaerkning": "Fint."}).status_code == 404


def test_the_team_leader_draws_and_reviews_in_the_browser_pages(api, app, frozen_clock):
    import re
    _cases_with_owners(api, app, frozen_clock)
    client = app.test_client()
    client.post("/log-ind", data={"username": "teamleder1", "password": "demo"})
    page = client.get("/ledelsesinformation?maaned=2026-03").get_data(as_text=True)
    assert "Der er ikke udtrukket sager for marts 2026." in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    drawn = client.post("/ledelsesinformation/tilsyn", data={"csrf_token": csrf, "maaned": "2026-03"})
    assert drawn.status_code == 302 and drawn.headers["Location"].endswith("maaned=2026-03#tilsyn")
    page = client.get("/ledelsesinformation?maaned=2026-03").get_data(as_text=True)
    assert "Rikke Rådgiver" in page and "Rasmus Rådgiver" in page and "Registrér gennemgang" in page
    sample_id = re.search(r'action="/ledelsesinformation/tilsyn/(\d+)"', page).group(1)
    missing = client.post(f"/ledelsesinformation/tilsyn/{sample_id}",
                          data={"csrf_token": csrf, "maaned": "2026-03", "maerke": "i_orden", "bemaerkning": ""})
    assert missing.status_code == 422 and "Skriv kort, hvad gennemgangen viste" in missing.get_data(as_text=True)
    done = client.post(f"/ledelsesinformation/tilsyn/{sample_id}",
                       data={"csrf_token": csrf, "maaned": "2026-03", "maerke": "i_orden", "bemaerkning": "Fin sag."})
    assert done.status_code == 302
    assert "Fin sag." in client.get("/ledelsesinformation?maaned=2026-03").get_data(as_text=True)
    bad_month = client.get("/ledelsesinformation?maaned=marts")
    assert bad_month.status_code == 422 and "«Måned» skal være en måned" in bad_month.get_data(as_text=True)
