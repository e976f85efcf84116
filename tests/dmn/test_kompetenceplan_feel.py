"""Issue 20's example: a FEEL list in kompetenceplan.dmn, edited as dmn-js writes it, matches both values."""

from __future__ import annotations

import io

import pytest

from service.config import ROOT
from tests.support import complete, open_bpmn_ids, receive
from tests.visitation.helpers import competence_rules, indstilling, walk_to_indstilling

RULE_2_TYPE = b'<inputEntry id="kompetenceplan_regel_2_in_1">\n          <text>"anbringelse"</text>'


@pytest.fixture
def listed_table(api):
    table = (ROOT / "workflows" / "kompetenceplan.dmn").read_bytes()
    edited = table.replace(RULE_2_TYPE, RULE_2_TYPE.replace(b'"anbringelse"', b'"anbringelse","stoette"'))
    assert edited != table
    response = api.post("/api/process-versions", "procesejer1", content_type="multipart/form-data",
                        data={"file": (io.BytesIO(edited), "kompetenceplan.dmn")})
    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize("measure", ["anbringelse", "stoette"])
def test_a_list_cell_matches_each_of_its_values(api, listed_table, measure):
    cid = receive(api)["case_id"]
    changes = {"foranstaltningstype": measure, "samtykke": "ikke_givet"}
    walk_to_indstilling(api, cid, refusal_investigated=True)
    complete(api, cid, "indstilling", indstilling(**changes))
    complete(api, cid, "barnets_plan")
    complete(api, cid, "indstilling", indstilling(**changes))
    assert competence_rules(api, cid) == [2]  # rule 2: børne- og ungeudvalget, for both listed measures
    assert "afgoerelse" not in open_bpmn_ids(api, cid)
    waiting = api.get("/api/udvalg/boerne_og_ungeudvalg/ventende", "teamleder1").get_json()
    assert cid in [w["case_id"] for w in waiting]
