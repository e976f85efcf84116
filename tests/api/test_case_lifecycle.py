"""Whole case paths through the HTTP API, on the real engine and database."""

from __future__ import annotations

from datetime import UTC, datetime

from service.deadlines.firing import fire_due
from service.demo_payloads import form
from tests.support import EARLY_OFFER, complete, open_bpmn_ids, receive, screening


def test_full_case_from_underretning_to_afslutning_with_follow_up_rounds(api):
    case = receive(api)
    assert open_bpmn_ids(api, case["case_id"]) == {"registrering", "vurdering_24t"}

    complete(api, case["case_id"], "registrering")
    complete(api, case["case_id"], "kvittering")  # the notifier is a professional
    assert "tilbagemelding_underretter" in open_bpmn_ids(api, case["case_id"])  # BL § 138: within 3 months
    complete(api, case["case_id"], "tilbagemelding_underretter")
    complete(api, case["case_id"], "vurdering_24t")
    complete(api, case["case_id"], "faglig_vurdering")
    complete(api, case["case_id"], "bfu_beslutning")
    complete(api, case["case_id"], "bfu")
    complete(api, case["case_id"], "barnets_plan")
    complete(api, case["case_id"], "indstilling")
    complete(api, case["case_id"], "afgoerelse", user="teamleder1")
    complete(api, case["case_id"], "ivaerksaettelse")
    complete(api, case["case_id"], "opfoelgning", form("opfoelgning", udfald="fortsaet"))
    complete(api, case["case_id"], "opfoelgning", form("opfoelgning", udfald="juster"))
    complete(api, case["case_id"], "justering")
    complete(api, case["case_id"], "opfoelgning", form("opfoelgning", udfald="fortsaet"))
    result = complete(api, case["case_id"], "opfoelgning", form("opfoelgning", udfald="afslut"))
    assert [t["bpmn_id"] for t in result["naeste_opgaver"]] == ["afslutning"]
    result = complete(api, case["case_id"], "afslutning")

    assert result["sag_status"] == "afsluttet", open_bpmn_ids(api, case["case_id"])
    detail = api.get(f"/api/cases/{case['case_id']}").get_json()
    assert detail["status"] == "afsluttet" and detail["aktiviteter"] == []
    done = [e["task_id"] for e in detail["journal"] if e["handling"] == "opgave_udfoert"]
    assert len(done) == 17
    assert detail["journal"][-2]["handling"] == "sag_afsluttet"


def test_case_closed_right_after_the_24_hour_assessment(api):
    case = receive(api, underretter_type="borger")
    complete(api, case["case_id"], "registrering")
    assert "kvittering" not in open_bpmn_ids(api, case["case_id"])  # citizens get no kvittering
    complete(api, case["case_id"], "vurdering_24t", form("vurdering_24t", videre_forloeb="luk"))
    complete(api, case["case_id"], "afslutning", form("afslutning", aarsag="ingen_bekymring"))
    assert api.get(f"/api/cases/{case['case_id']}").get_json()["status"] == "afsluttet"


def test_refusal_goes_through_partshoering_and_the_team_leader(api, app, frozen_clock):
    case = receive(api)
    cid = case["case_id"]
    for step in ("registrering", "kvittering", "tilbagemelding_underretter", "vurdering_24t", "faglig_vurdering"):
        complete(api, cid, step)
    complete(api, cid, "bfu", form("bfu", indstilling="afslag"))
    assert open_bpmn_ids(api, cid) == {"partshoering"}
    complete(api, cid, "partshoering")
    assert open_bpmn_ids(api, cid) == {"partshoering_svar"}
    complete(api, cid, "partshoering_svar")
    assert open_bpmn_ids(api, cid) == {"indstilling"}
    complete(api, cid, "indstilling", form("visitation_indstilling", udfald="afslag"))
    assert open_bpmn_ids(api, cid) == {"afgoerelse"}
    refusal = form("afgoerelse", udfald="afslag", foranstaltning=None, formaal=None, forventet_varighed_maaneder=None,
                   begrundelse="Behovet kan dækkes af almene tilbud.")
    complete(api, cid, "afgoerelse", refusal, user="teamleder1")
    assert open_bpmn_ids(api, cid) == set()  # the klagefrist runs (4 weeks from the decision, 2026-05-10)
    frozen_clock.set(datetime(2026, 6, 8, 12, 0, tzinfo=UTC))
    fire_due(app.extensions["sagsflow"]["session_factory"])
    assert open_bpmn_ids(api, cid) == {"afslutning"}


def test_acute_assessment_goes_straight_to_investigation_via_the_team_leader(api):
    case = receive(api, overgreb=True)
    cid = case["case_id"]
    complete(api, cid, "vurdering_24t", form("vurdering_24t", akut=True, begrundelse="Barnet har synlige skader."))
    assert "akut_foranstaltning" in open_bpmn_ids(api, cid)
    complete(api, cid, "akut_foranstaltning", user="teamleder1")
    assert "bfu_beslutning" in open_bpmn_ids(api, cid)  # the triage table's acute rule, without a screening form


def test_suspected_abuse_requires_the_advanced_child_interview_before_screening(api):
    case = receive(api, overgreb=True)
    cid = case["case_id"]
    complete(api, cid, "vurdering_24t")
    assert "fremskudt_boernesamtale" in open_bpmn_ids(api, cid)
    complete(api, cid, "fremskudt_boernesamtale")
    assert "faglig_vurdering" in open_bpmn_ids(api, cid)


def test_early_preventive_offer_and_afdaekning_paths(api):
    first = receive(api)["case_id"]
    complete(api, first, "vurdering_24t")
    complete(api, first, "faglig_vurdering", screening(**EARLY_OFFER))
    complete(api, first, "tidlig_indsats")
    complete(api, first, "tidlig_indsats_evaluering")
    assert "afslutning" in open_bpmn_ids(api, first)

    second = receive(api, cpr="020219-4322", barnets_navn="Bo Hansen")["case_id"]
    complete(api, second, "vurdering_24t")
    complete(api, second, "faglig_vurdering", screening(et_uklart_forhold=True))
    complete(api, second, "afdaekning", form("afdaekning", konklusion="bfu"))
    assert "bfu_beslutning" in open_bpmn_ids(api, second)
