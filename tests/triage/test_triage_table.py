"""Every row of triage.dmn, reached through the case process and the HTTP API; the §30 track."""

from __future__ import annotations

import io
from datetime import datetime

import pytest

from service.config import ROOT
from service.deadlines.calendar import COPENHAGEN
from service.demo_payloads import form
from tests.support import EARLY_OFFER, complete, move_to, open_bpmn_ids, receive, screening
from tests.support import tasks as open_tasks


def _journal(api, cid: str) -> list[dict]:  # noqa: ANN001
    return api.get(f"/api/cases/{cid}", "teamleder1").get_json()["journal"]


def _triage_rules(api, cid: str) -> list[int]:  # noqa: ANN001
    return [e["data"]["resultat"]["triage_regel"] for e in _journal(api, cid)
            if e["handling"] == "delproces_beslutning" and "triage_regel" in e["data"]["resultat"]]


ROWS = [  # a BFU begins with the decision to investigate (BL § 20)
    (1, {"mistanke_om_overgreb": True}, "bfu_beslutning"),
    (2, {"anbringelse_overvejes": True}, "bfu_beslutning"),
    (3, {"retur_fra_krisecenter": True}, "bfu_beslutning"),
    (5, EARLY_OFFER, "tidlig_indsats"),
    (6, {"et_uklart_forhold": True}, "afdaekning"),
    (7, {"bekymring_underbygget": False}, "afslutning"),
    (8, {}, "bfu_beslutning"),
    # the table decides, not the caseworker's proposal: an early offer that is complex is not one
    (8, {**EARLY_OFFER, "kompleks_problem": True, "udfald": "tidlig_indsats"}, "bfu_beslutning"),
]


@pytest.mark.parametrize(("row", "answers", "next_task"), ROWS, ids=[f"regel_{r[0]}" for r in ROWS])
def test_screening_answers_hit_their_row(api, row, answers, next_task):
    cid = receive(api)["case_id"]
    complete(api, cid, "vurdering_24t")
    complete(api, cid, "faglig_vurdering", screening(**answers))
    assert _triage_rules(api, cid) == [row]
    assert next_task in open_bpmn_ids(api, cid)
    assert "faglig_vurdering" not in open_bpmn_ids(api, cid)


def test_acute_danger_is_row_4_without_a_screening_form(api):
    cid = receive(api)["case_id"]
    complete(api, cid, "vurdering_24t", form("vurdering_24t", akut=True, begrundelse="Barnet har synlige skader."))
    complete(api, cid, "akut_foranstaltning", user="teamleder1")
    assert _triage_rules(api, cid) == [4]
    assert "bfu_beslutning" in open_bpmn_ids(api, cid)  # the decision to investigate comes first
    assert "faglig_vurdering" not in open_bpmn_ids(api, cid)


def test_journal_tells_the_triage_as_part_of_the_case(api):
    cid = receive(api)["case_id"]
    complete(api, cid, "vurdering_24t")
    complete(api, cid, "faglig_vurdering", screening(et_uklart_forhold=True))
    titles = [e["tekst"] for e in _journal(api, cid)]
    started = titles.index("Screening og triage (§ 18) er startet")
    assert titles[started + 1] == "«Screening og faglig vurdering» udført (Screening og triage (§ 18))"
    assert "afdaekning: 6" not in titles[started + 2] and "triage_udfald: afdaekning" in titles[started + 2]
    task = [t for t in open_tasks(api) if t["bpmn_id"] == "afdaekning"][0]
    assert task["delproces"] == "Screening og triage (§ 18)"


def test_early_offer_closed_after_evaluation(api):
    cid = receive(api)["case_id"]
    complete(api, cid, "vurdering_24t")
    complete(api, cid, "faglig_vurdering", screening(**EARLY_OFFER))
    complete(api, cid, "tidlig_indsats")
    complete(api, cid, "tidlig_indsats_evaluering")
    assert open_bpmn_ids(api, cid) >= {"afslutning"}
    ends = [e["tekst"] for e in _journal(api, cid) if e["handling"] == "delproces_afsluttet"]
    assert ends == ["Screening og triage (§ 18) er afsluttet: Sagen lukkes"]


def test_early_offer_rescreened_into_a_bfu_is_recorded_as_such(api, frozen_clock):
    cid = receive(api)["case_id"]
    complete(api, cid, "vurdering_24t")
    complete(api, cid, "faglig_vurdering", screening(**EARLY_OFFER))
    complete(api, cid, "tidlig_indsats")
    move_to(frozen_clock, "2026-09-01")  # the evaluation is held that day
    complete(api, cid, "tidlig_indsats_evaluering", form(
        "tidlig_indsats_evaluering", evaluering="ny_screening", evalueringsdato="2026-09-01",
        evaluering_begrundelse="Fraværet er steget igen."))
    assert "faglig_vurdering" in open_bpmn_ids(api, cid)
    # the new screening's deadline counts from the evaluation, not from the first underretning
    deadlines = {d["frist"]: d for d in api.get(f"/api/cases/{cid}/frister").get_json()}
    due = datetime.fromisoformat(deadlines["faglig_vurdering"]["forfald"]).astimezone(COPENHAGEN)
    assert due.date().isoformat() == "2026-09-29"
    complete(api, cid, "faglig_vurdering", screening(kompleks_problem=True))
    assert _triage_rules(api, cid) == [5, 8]
    assert "bfu_beslutning" in open_bpmn_ids(api, cid)  # the decision to investigate comes first
    ends = [e["tekst"] for e in _journal(api, cid) if e["handling"] == "delproces_afsluttet"]
    assert ends == ["Screening og triage (§ 18) er afsluttet: BFU efter tidlig indsats (§ 30)"]


def test_rescreening_needs_the_evaluation_date(api):
    cid = receive(api)["case_id"]
    complete(api, cid, "vurdering_24t")
    complete(api, cid, "faglig_vurdering", screening(**EARLY_OFFER))
    complete(api, cid, "tidlig_indsats")
    task = [t for t in open_tasks(api) if t["bpmn_id"] == "tidlig_indsats_evaluering"][0]
    response = api.post(f"/api/tasks/{task['id']}/complete", json={"data": form(
        "tidlig_indsats_evaluering", evaluering="ny_screening")})
    assert response.status_code == 422
    assert "evalueringsdato" in {e["field"] for e in response.get_json()["errors"]}


def test_a_table_edited_in_bpmn_io_with_feel_still_routes(api):
    """dmn-js writes FEEL (here not(...)); the table must keep working, and be served back with its version."""
    table = (ROOT / "workflows" / "triage.dmn").read_bytes()
    rule_6 = b'<inputEntry id="triage_regel_6_in_7">\n          <text>true</text>'
    edited = table.replace(rule_6, rule_6.replace(b"<text>true</text>", b"<text>not(false, null)</text>"))
    assert edited != table
    response = api.post("/api/process-versions", "procesejer1", content_type="multipart/form-data",
                        data={"file": (io.BytesIO(edited), "triage.dmn")})
    assert response.status_code == 201, response.get_json()
    versions = {v["version"]["process_id"]: v["version"] for v in response.get_json()["versioner"]}
    assert set(versions) == {"triage", "sagsbehandling"}
    served = api.get(f"/api/process-versions/{versions['sagsbehandling']['id']}/filer/triage.dmn")
    assert served.status_code == 200 and served.get_data() == edited
    cid = receive(api)["case_id"]
    complete(api, cid, "vurdering_24t")
    complete(api, cid, "faglig_vurdering", screening(et_uklart_forhold=True))
    assert _triage_rules(api, cid) == [6]
