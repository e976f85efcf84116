"""Follow-up per goal (issue 17, item 2): each goal of barnets plan in force gets exactly one assessment at every
follow-up (422 per field otherwise), the assessments are rows kept over time, and the case shows each goal's history.
A child from 8 is asked about at the follow-up meeting."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from service.demo_payloads import FORMS, form
from service.maalopfoelgning.models import Maalvurdering
from tests.support import complete, move_to, open_task, receive, walk_to_running_measure

PLAN = FORMS["barnets_plan"]["maal"]  # three goals
NINE_YEARS_OLD = "010117-4321"  # born 1 January 2017: 9 on the tests' 2 March 2026


def _assessment(nr: int, vurdering: str = "delvist", why: str = "Fremgang, men ikke stabilt.") -> dict:
    return {"maal_nr": nr, "vurdering": vurdering, "begrundelse": why}


def _errors(response) -> dict[str, str]:  # noqa: ANN001
    assert response.status_code == 422 and response.mimetype == "application/problem+json", response.get_json()
    return {e["field"]: e["message"] for e in response.get_json()["errors"]}


def _stored(api) -> list[Maalvurdering]:  # noqa: ANN001
    with api.app.extensions["sagsflow"]["session_factory"]() as session:
        return list(session.scalars(select(Maalvurdering).order_by(Maalvurdering.id)))


def test_every_goal_of_the_plan_in_force_is_assessed_once_and_kept_over_time(api, frozen_clock) -> None:  # noqa: ANN001
    cid = receive(api, cpr=NINE_YEARS_OLD, barnets_navn="Frida")["case_id"]
    walk_to_running_measure(api, cid)
    task = open_task(api, cid, "opfoelgning")
    schema = api.get(f"/api/tasks/{task['id']}").get_json()["formular_skema"]
    goals = schema["properties"]["maalvurderinger"]
    assert goals["items"]["properties"]["maal_nr"]["enum"] == [1, 2, 3]
    assert goals["default"] == [{"maal_nr": 1}, {"maal_nr": 2}, {"maal_nr": 3}]
    assert schema["x-ui"]["labels"]["maalvurderinger.maal_nr"]["1"] == "Mål 1: Barnet møder i skole hver dag"
    assert {"maalvurderinger", "barnet_deltog"} <= set(schema["required"])  # the child is 9

    url = f"/api/tasks/{task['id']}/complete"
    one_twice = form("opfoelgning", barnet_deltog=None, maalvurderinger=[_assessment(1), _assessment(2),
                                                                          _assessment(1, "opnaaet")])
    assert _errors(api.post(url, json={"data": one_twice})) == {
        "maalvurderinger": "Mål 3 i barnets plan («Barnet går til en fritidsaktivitet») mangler en vurdering.",
        "maalvurderinger.2.maal_nr": "Mål 1 er vurderet mere end én gang (også i vurdering 1); hvert mål i barnets "
                                     "plan skal have præcis én vurdering.",
        "barnet_deltog": "«Barnet deltog i opfølgningsmødet» skal udfyldes."}
    none = _errors(api.post(url, json={"data": form("opfoelgning", maalvurderinger=None)}))
    assert none == {"maalvurderinger": "«Vurdering af målene» skal udfyldes."}
    no_reason = [_assessment(1), _assessment(2), {"maal_nr": 3, "vurdering": "udgaaet"}]
    assert _errors(api.post(url, json={"data": form("opfoelgning", maalvurderinger=no_reason)})) == {
        "maalvurderinger.2.begrundelse": "«Begrundelse» skal udfyldes."}
    assert _stored(api) == []  # a refused form writes nothing

    complete(api, cid, "opfoelgning", form("opfoelgning", udfald="juster"))
    first = _stored(api)
    assert [(r.maal_nr, r.maal, r.vurdering, r.task_id) for r in first] == [
        (1, PLAN[0]["maal"], "delvist", task["id"]), (2, PLAN[1]["maal"], "opnaaet", task["id"]),
        (3, PLAN[2]["maal"], "ikke_opnaaet", task["id"])]

    # The justering revises the plan: goals 1 and 2 stay, the third is replaced by two new ones.
    revised = [*PLAN[:2], {"domaene": "sundhedsforhold", "maal": "Barnet sover mindst 9 timer",
                           "maalbart_kriterium": "Søvndagbog 5 ud af 7 nætter"},
               {"domaene": "selvstaendighed", "maal": "Barnet pakker selv sin skoletaske",
                "maalbart_kriterium": "Forældrene melder det gjort 4 ud af 5 dage"}]
    justering = open_task(api, cid, "justering")
    prefilled = api.get(f"/api/tasks/{justering['id']}").get_json()["formular_skema"]["properties"]["maal"]
    assert [g["maal"] for g in prefilled["default"]] == [g["maal"] for g in PLAN]  # edited, not typed again
    complete(api, cid, "justering", form("justering", barnets_plan_revideret=True, maal=revised))

    move_to(frozen_clock, "2026-09-01")
    again = open_task(api, cid, "opfoelgning")
    three = api.post(f"/api/tasks/{again['id']}/complete", json={"data": form("opfoelgning")})
    assert [(e["field"], e["message"]) for e in three.get_json()["errors"]] == [
        ("maalvurderinger", "«Vurdering af målene» skal have mindst 4."),
        ("maalvurderinger", "Mål 4 i barnets plan («Barnet pakker selv sin skoletaske») mangler en vurdering.")]
    four = [_assessment(1, "opnaaet", "Fravær 3 % i et halvt år."), _assessment(2, "opnaaet", "Rutinen holder."),
            _assessment(3, "ikke_opnaaet", "Søvnen er uændret."), _assessment(4, "udgaaet", "Indgår i mål 2.")]
    complete(api, cid, "opfoelgning", form("opfoelgning", maalvurderinger=four))

    history = api.get(f"/api/cases/{cid}/maal").get_json()["maal"]
    assert [(g["nr"], g["maal"], [(v["opfoelgning_dato"], v["vurdering"]) for v in g["vurderinger"]])
            for g in history] == [
        (1, PLAN[0]["maal"], [("2026-03-02", "delvist"), ("2026-09-01", "opnaaet")]),
        (2, PLAN[1]["maal"], [("2026-03-02", "opnaaet"), ("2026-09-01", "opnaaet")]),
        (3, "Barnet sover mindst 9 timer", [("2026-09-01", "ikke_opnaaet")]),
        (4, "Barnet pakker selv sin skoletaske", [("2026-09-01", "udgaaet")]),
        (None, PLAN[2]["maal"], [("2026-03-02", "ikke_opnaaet")])]  # no longer in the plan: its history stays
    assert history[3]["vurderinger"][0]["vurdering_tekst"] == "Udgået"
    journal = api.get(f"/api/cases/{cid}", "teamleder1").get_json()["journal"]
    assert any(e["tekst"] == "Målopfølgningen er læst" for e in journal)
    assert api.get(f"/api/cases/{cid}/maal", "raadgiver_syd").status_code == 404  # another team's case


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_follow_up_form_lists_the_goals_and_the_case_page_their_history(api, app) -> None:  # noqa: ANN001
    cid = receive(api)["case_id"]  # a child of 6: not asked about taking part
    walk_to_running_measure(api, cid)
    client = app.test_client()
    assert client.post("/log-ind", data={"username": "raadgiver1", "password": "demo"}).status_code == 302
    task = open_task(api, cid, "opfoelgning")
    page = client.get(f"/opgaver/{task['id']}").get_data(as_text=True)
    chosen = re.findall(r'<option value="(\d)" selected>(Mål \d: [^<]+)</option>', page)
    assert chosen == [("1", "Mål 1: Barnet møder i skole hver dag"), ("2", "Mål 2: Faste morgenrutiner i hjemmet"),
                      ("3", "Mål 3: Barnet går til en fritidsaktivitet")]
    assert "Barnet deltog i opfølgningsmødet</legend>" in page  # asked, not required, for a child under 8

    complete(api, cid, "opfoelgning")
    case_page = client.get(f"/sager/{cid}").get_data(as_text=True)
    section = case_page[case_page.index('id="maal-titel"'):case_page.index('id="parter-titel"')]
    assert "Mål 1: Barnet møder i skole hver dag" in section and "senest delvist opnået" in section
    assert "Fraværet er faldet til 8 %." in section and "Ikke opnået" in section
    assert "2. mar. 2026" in section
