"""Every row of kompetenceplan.dmn through the case process, and a changed table taking effect on redeploy."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from service.config import ROOT
from service.demo_payloads import form
from service.engine.models import ProcessInstance, ProcessVersion
from tests.support import complete, open_bpmn_ids, receive
from tests.support import tasks as open_tasks
from tests.visitation.helpers import competence_rules, indstilling, task_for, walk_to_indstilling


def _refusal() -> dict:
    return form("afgoerelse", udfald="afslag", foranstaltning=None, formaal=None, forventet_varighed_maaneder=None)


@pytest.mark.parametrize(("row", "changes", "decider"), [
    (4, {"aarlig_udgift": 49999}, "raadgiver"),
    (5, {"aarlig_udgift": 50000}, "teamleder"),
    (5, {"aarlig_udgift": 249999}, "teamleder"),
], ids=["regel_4_raadgiver", "regel_5_teamleder_nedre", "regel_5_teamleder_oevre"])
def test_support_measures_by_yearly_cost(api, row, changes, decider):
    cid = receive(api)["case_id"]
    walk_to_indstilling(api, cid)
    complete(api, cid, "indstilling", indstilling(**changes))
    assert competence_rules(api, cid) == [row]
    task = task_for(api, cid, "afgoerelse")
    assert task["rolle"] == decider and task["delproces"] == "Visitation og afgørelse"
    caseworker_sees = [t["bpmn_id"] for t in open_tasks(api, "raadgiver1")]
    assert ("afgoerelse" in caseworker_sees) == (decider == "raadgiver")
    complete(api, cid, "afgoerelse", user="raadgiver1" if decider == "raadgiver" else "teamleder1")
    assert "ivaerksaettelse" in open_bpmn_ids(api, cid)


def test_row_1_every_refusal_is_decided_by_a_team_leader(api):
    cid = receive(api)["case_id"]
    walk_to_indstilling(api, cid, refusal_investigated=True)
    complete(api, cid, "indstilling", indstilling(udfald="afslag", aarlig_udgift=1000))  # cheap, still teamleder
    assert competence_rules(api, cid) == [1]
    assert task_for(api, cid, "afgoerelse")["rolle"] == "teamleder"
    assert "afgoerelse" not in [t["bpmn_id"] for t in open_tasks(api, "raadgiver1")]
    complete(api, cid, "afgoerelse", _refusal(), user="teamleder1")
    assert "afgoerelse" not in open_bpmn_ids(api, cid)


@pytest.mark.parametrize(("row", "changes", "committee"), [
    (2, {"foranstaltningstype": "anbringelse", "samtykke": "ikke_givet"}, "boerne_og_ungeudvalg"),
    (3, {"foranstaltningstype": "anbringelse", "samtykke": "givet"}, "visitationsudvalg"),
    (6, {"aarlig_udgift": 250000}, "visitationsudvalg"),
], ids=["regel_2_boerne_og_ungeudvalg", "regel_3_anbringelse_med_samtykke", "regel_6_dyr_stoette"])
def test_committee_rows_make_the_case_wait_for_the_committee(api, row, changes, committee):
    cid = receive(api)["case_id"]
    walk_to_indstilling(api, cid, refusal_investigated=row == 2)  # § 47 goes against the parents: hearing first
    if row == 2:
        complete(api, cid, "indstilling", indstilling(**changes))
        complete(api, cid, "barnets_plan")  # the plan was missing; then back into visitation
    complete(api, cid, "indstilling", indstilling(**changes))
    assert competence_rules(api, cid) == [row]
    assert "afgoerelse" not in open_bpmn_ids(api, cid)
    waiting = api.get(f"/api/udvalg/{committee}/ventende", "teamleder1").get_json()
    assert [w["case_id"] for w in waiting] == [cid]


def _upload(api, name: str, content: bytes):  # noqa: ANN001, ANN202
    return api.post("/api/process-versions", "procesejer1", content_type="multipart/form-data",
                    data={"file": (io.BytesIO(content), name)})


def test_changed_kompetenceplan_routes_new_cases_while_running_cases_keep_their_version(api, uow):
    old_case = receive(api)["case_id"]
    table = (ROOT / "workflows" / "kompetenceplan.dmn").read_bytes()
    raised = table.replace(b"&lt; 50000", b"&lt; 150000")
    assert raised != table
    response = _upload(api, "kompetenceplan.dmn", raised)
    assert response.status_code == 201, response.get_json()
    redeployed = {(v["version"]["process_id"], v["version"]["version"], v["ny_version"])
                  for v in response.get_json()["versioner"]}
    assert redeployed == {("visitation", 2, True), ("sagsbehandling", 2, True)}
    new_case = receive(api, cpr="020219-4322", barnets_navn="Bo Hansen")["case_id"]
    for cid in (old_case, new_case):
        walk_to_indstilling(api, cid)
        complete(api, cid, "indstilling", indstilling(aarlig_udgift=120000))
    assert task_for(api, old_case, "afgoerelse")["rolle"] == "teamleder"
    assert task_for(api, new_case, "afgoerelse")["rolle"] == "raadgiver"
    versions = dict(uow.session.execute(select(ProcessInstance.case_id, ProcessVersion.version)
                                        .join(ProcessVersion)).all())
    assert versions == {old_case: 1, new_case: 2}
    assert _upload(api, "kompetenceplan.dmn", raised).get_json()["ny_version"] is False  # unchanged: no version


def test_broken_or_unknown_decision_tables_are_refused_in_danish(api):
    table = (ROOT / "workflows" / "kompetenceplan.dmn").read_bytes()
    evil = table.replace(b"&lt; 50000", b"&lt; __import__(&quot;os&quot;).getpid()")
    response = _upload(api, "kompetenceplan.dmn", evil)
    assert response.status_code == 422  # FEEL has no __import__: the cell is refused where it is, never run
    [error] = response.get_json()["errors"]
    assert error["field"] == "kompetenceplan.dmn#kompetenceplan/regel 4/Årlig udgift (kr.)"
    assert "Ikke gyldig FEEL: kun FEEL's indbyggede funktioner kan kaldes" in error["message"]
    unused = table.replace(b'decision id="kompetenceplan"', b'decision id="ingen_bruger_mig"')
    response = _upload(api, "andet.dmn", unused)
    assert response.status_code == 422 and "Ingen proces henviser" in response.get_data(as_text=True)
    model = (ROOT / "workflows" / "visitation.bpmn").read_bytes()
    dangling = model.replace(b'camunda:decisionRef="kompetenceplan"', b'camunda:decisionRef="findes_ikke"')
    response = _upload(api, "visitation.bpmn", dangling)
    assert response.status_code == 422
    assert "beslutningstabellen 'findes_ikke'" in response.get_data(as_text=True)
