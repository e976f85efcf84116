"""Each precondition of a decision, when missing, sends the case back with its own Danish message."""

from __future__ import annotations

import io

from service.config import ROOT
from service.demo_payloads import form
from tests.support import complete, open_bpmn_ids, receive
from tests.visitation.helpers import competence_rules, indstilling, task_for, walk_to_indstilling


def test_grant_without_barnets_plan_goes_back_to_the_plan(api):
    cid = receive(api)["case_id"]
    walk_to_indstilling(api, cid, refusal_investigated=True)
    complete(api, cid, "indstilling", indstilling(udfald="bevilget"))
    assert open_bpmn_ids(api, cid) == {"barnets_plan"}
    assert "Barnets plan (BL §§ 91–92) mangler" in task_for(api, cid, "barnets_plan")["besked"]
    assert competence_rules(api, cid) == []  # nobody decided anything
    complete(api, cid, "barnets_plan")
    complete(api, cid, "indstilling", indstilling(udfald="bevilget"))
    assert open_bpmn_ids(api, cid) == {"afgoerelse"}


def test_refusal_without_partshoering_goes_back_to_the_hearing(api):
    cid = receive(api)["case_id"]
    walk_to_indstilling(api, cid)
    complete(api, cid, "indstilling", indstilling(udfald="afslag"))
    assert open_bpmn_ids(api, cid) == {"partshoering"}
    assert "Partshøring (forvaltningsloven § 19) er ikke gennemført" in task_for(api, cid, "partshoering")["besked"]


def test_placement_without_consent_needs_partshoering_too(api):
    cid = receive(api)["case_id"]
    walk_to_indstilling(api, cid)
    complete(api, cid, "indstilling", indstilling(foranstaltningstype="anbringelse", samtykke="ikke_givet"))
    assert open_bpmn_ids(api, cid) == {"partshoering"}


def test_missing_child_interview_and_consent_come_back_to_the_indstilling_with_both_messages(api):
    cid = receive(api)["case_id"]
    walk_to_indstilling(api, cid)
    complete(api, cid, "indstilling", indstilling(boernesamtale="ikke_afholdt", samtykke="ikke_afklaret"))
    assert open_bpmn_ids(api, cid) == {"indstilling"}
    message = task_for(api, cid, "indstilling", "raadgiver1")["besked"]
    assert "Der er ikke holdt børnesamtale før afgørelsen (BL § 5)" in message
    assert "samtykke er ikke registreret" in message
    complete(api, cid, "indstilling", indstilling(boernesamtale="undladt",
                                                  boernesamtale_undladt_begrundelse="Barnet er 2 år."))
    assert open_bpmn_ids(api, cid) == {"afgoerelse"}


def test_a_model_that_reaches_visitation_without_a_bfu_is_stopped(api):
    """A process owner's model that skips the BFU: the check sends the case to the BFU (not acute)."""
    model = (ROOT / "workflows" / "sagsbehandling.bpmn").read_bytes()
    skipping = model.replace(b'sourceRef="gw_triage_resultat" targetRef="gw_bfu_merge"',
                             b'sourceRef="gw_triage_resultat" targetRef="gw_afgoerelse_merge"')
    assert skipping != model
    uploaded = api.post("/api/process-versions", "procesejer1", content_type="multipart/form-data",
                        data={"file": (io.BytesIO(skipping), "sagsbehandling.bpmn")})
    assert uploaded.status_code == 201, uploaded.get_json()
    cid = receive(api)["case_id"]
    complete(api, cid, "vurdering_24t")
    complete(api, cid, "faglig_vurdering")
    assert "indstilling" in open_bpmn_ids(api, cid)
    complete(api, cid, "indstilling", indstilling(udfald="afslag"))
    assert "bfu_beslutning" in open_bpmn_ids(api, cid)  # the decision to investigate, then the BFU itself
    message = task_for(api, cid, "bfu_beslutning", "raadgiver1")["besked"]
    assert "Den børnefaglige undersøgelse (BL § 20) er ikke gennemført" in message
    assert "Partshøring" in message  # every missing precondition is listed, the first decides where to go


def test_decision_against_the_indstilling_goes_back_to_it(api):
    cid = receive(api)["case_id"]
    walk_to_indstilling(api, cid)
    complete(api, cid, "indstilling")
    refusal = form("afgoerelse", udfald="afslag", foranstaltning=None, formaal=None,
                   forventet_varighed_maaneder=None)
    complete(api, cid, "afgoerelse", refusal, user="teamleder1")
    assert open_bpmn_ids(api, cid) == {"indstilling"}
    assert "Afgørelsen afviger fra indstillingen" in task_for(api, cid, "indstilling", "raadgiver1")["besked"]


def test_messages_fixed_elsewhere_are_not_shown_again_with_the_indstilling(api):
    cid = receive(api)["case_id"]
    walk_to_indstilling(api, cid, refusal_investigated=True)
    complete(api, cid, "indstilling", indstilling(udfald="bevilget"))
    complete(api, cid, "barnets_plan")
    assert task_for(api, cid, "indstilling", "raadgiver1")["besked"] is None


def test_placement_with_consent_of_a_15_year_old_needs_the_young_persons_own_consent(api):
    cid = receive(api, cpr="010110-4321")["case_id"]  # 16 years old on 2 March 2026
    walk_to_indstilling(api, cid)
    placement = {"foranstaltningstype": "anbringelse", "samtykke": "givet"}
    complete(api, cid, "indstilling", indstilling(**placement))
    assert open_bpmn_ids(api, cid) == {"indstilling"}
    message = task_for(api, cid, "indstilling", "raadgiver1")["besked"]
    assert "fra 15 år skal den unge også samtykke (BL § 46)" in message
    complete(api, cid, "indstilling", indstilling(**placement, samtykke_ung="givet"))
    assert "indstilling" not in open_bpmn_ids(api, cid)


def test_a_younger_child_placed_with_consent_needs_only_the_parents_consent(api):
    cid = receive(api)["case_id"]  # born 2020
    walk_to_indstilling(api, cid)
    complete(api, cid, "indstilling", indstilling(foranstaltningstype="anbringelse", samtykke="givet"))
    assert "indstilling" not in open_bpmn_ids(api, cid)
