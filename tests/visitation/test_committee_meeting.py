"""A committee meeting is one piece of work: an agenda of waiting cases, one decision each, every case moves on."""

from __future__ import annotations

from tests.support import complete, open_bpmn_ids, receive
from tests.visitation.helpers import indstilling, task_for, walk_to_indstilling

CHILDREN = [("010120-4321", "Alma Jensen"), ("020219-4322", "Bo Hansen"), ("150316-4323", "Clara Nielsen")]


def _to_committee(api, cpr: str, name: str, **changes) -> str:  # noqa: ANN001, ANN003
    cid = receive(api, cpr=cpr, barnets_navn=name)["case_id"]
    walk_to_indstilling(api, cid)
    complete(api, cid, "indstilling", indstilling(**changes))
    return cid


def test_one_meeting_decides_several_cases_and_each_case_continues(api):
    expensive = [_to_committee(api, cpr, name, aarlig_udgift=300000) for cpr, name in CHILDREN[:2]]
    placement = _to_committee(api, *CHILDREN[2], foranstaltningstype="anbringelse")
    assert api.get("/api/udvalg/visitationsudvalg/ventende", "raadgiver1").status_code == 403
    waiting = api.get("/api/udvalg/visitationsudvalg/ventende", "teamleder1").get_json()
    assert {w["case_id"] for w in waiting} == {*expensive, placement}
    waiting_case = api.get(f"/api/cases/{placement}", "teamleder1").get_json()
    assert (waiting_case["fase"], waiting_case["afventer"]) == ("Afgørelse", ["Visitationsudvalget"])

    planned = api.post("/api/udvalgsmoeder", "teamleder1", json={"udvalg": "visitationsudvalg",
                                                                   "moededato": "2026-06-03"})
    assert planned.status_code == 201, planned.get_json()
    meeting = planned.get_json()
    assert {a["case_id"] for a in meeting["dagsorden"]} == {*expensive, placement}
    assert api.get("/api/udvalg/visitationsudvalg/ventende", "teamleder1").get_json() == []
    assert api.post("/api/udvalgsmoeder", "teamleder1", json={"udvalg": "visitationsudvalg",
                                                                "moededato": "2026-06-10"}).status_code == 409

    partial = [{"case_id": expensive[0], "udfald": "bevilget", "begrundelse": "Indsatsen er nødvendig."}]
    response = api.post(f"/api/udvalgsmoeder/{meeting['id']}/afhold", "teamleder1", json={"beslutninger": partial})
    assert response.status_code == 422  # every case on the agenda needs its decision
    assert all(not {"afgoerelse"} & open_bpmn_ids(api, cid) for cid in (*expensive, placement))

    blank = [{"case_id": cid, "udfald": "bevilget", "begrundelse": "Indsatsen er nødvendig." if cid != placement
              else "     "} for cid in (*expensive, placement)]
    response = api.post(f"/api/udvalgsmoeder/{meeting['id']}/afhold", "teamleder1", json={"beslutninger": blank})
    assert response.status_code == 422  # the same rule as on the meeting page, at the case it concerns
    assert [e["field"] for e in response.get_json()["errors"]] == [f"begrundelse-{placement}"]
    assert all(not {"afgoerelse"} & open_bpmn_ids(api, cid) for cid in (*expensive, placement))

    decisions = [{"case_id": cid, "udfald": "bevilget", "begrundelse": "Indsatsen er nødvendig."}
                 for cid in (*expensive, placement)]
    held = api.post(f"/api/udvalgsmoeder/{meeting['id']}/afhold", "teamleder1", json={"beslutninger": decisions})
    assert held.status_code == 200, held.get_json()
    assert held.get_json()["status"] == "afholdt"
    assert {a["status"] for a in held.get_json()["dagsorden"]} == {"afgjort"}
    for cid in (*expensive, placement):
        task = task_for(api, cid, "afgoerelse")
        assert task["rolle"] == "teamleder"
        assert "Visitationsudvalget besluttede på mødet 2026-06-03: bevilget" in task["besked"]
        journal = api.get(f"/api/cases/{cid}", "teamleder1").get_json()["journal"]
        assert any(e["handling"] == "udvalgsbeslutning" for e in journal)
    complete(api, expensive[0], "afgoerelse", user="teamleder1")
    assert "ivaerksaettelse" in open_bpmn_ids(api, expensive[0])
    again = api.post(f"/api/udvalgsmoeder/{meeting['id']}/afhold", "teamleder1", json={"beslutninger": decisions})
    assert again.status_code == 409


def test_meetings_are_per_committee_and_team(api):
    cid = _to_committee(api, *CHILDREN[0], aarlig_udgift=300000)
    nothing = api.post("/api/udvalgsmoeder", "teamleder1", json={"udvalg": "boerne_og_ungeudvalg",
                                                                   "moededato": "2026-06-03"})
    assert nothing.status_code == 409
    meeting = api.post("/api/udvalgsmoeder", "teamleder1", json={"udvalg": "visitationsudvalg",
                                                                   "moededato": "2026-06-03"}).get_json()
    assert api.get(f"/api/udvalgsmoeder/{meeting['id']}", "raadgiver_syd").status_code == 403
    assert api.get(f"/api/udvalgsmoeder/{meeting['id']}", "teamleder1").get_json()["dagsorden"][0]["case_id"] == cid
    assert api.post("/api/udvalgsmoeder", "teamleder1", json={"udvalg": "byraadet",
                                                                "moededato": "2026-06-03"}).status_code == 422
