"""A case's phase is the one its open tasks declare in the model (Camunda property «fase»), in the case's order:
underretning, afklaring, undersøgelse, afgørelse, indsats, opfølgning, afsluttet — never the open tasks' names."""

from __future__ import annotations

from tests.support import cases, complete, receive, tasks, walk_to_running_measure


def _phase(api, case_id: str) -> str:  # noqa: ANN001
    return api.get(f"/api/cases/{case_id}", "teamleder1").get_json()["fase"]


def test_the_phase_follows_the_case_through_the_process(api):
    case_id = receive(api)["case_id"]
    assert _phase(api, case_id) == "Underretning"
    complete(api, case_id, "vurdering_24t")
    assert _phase(api, case_id) == "Afklaring"  # screening and triage (triage.bpmn, a called process)
    complete(api, case_id, "faglig_vurdering")
    assert _phase(api, case_id) == "Undersøgelse"
    complete(api, case_id, "bfu")
    assert _phase(api, case_id) == "Afgørelse"
    complete(api, case_id, "barnets_plan")
    complete(api, case_id, "indstilling")
    assert _phase(api, case_id) == "Afgørelse"
    complete(api, case_id, "afgoerelse", user="teamleder1")
    assert _phase(api, case_id) == "Indsats"
    complete(api, case_id, "ivaerksaettelse")
    assert _phase(api, case_id) == "Opfølgning"


def test_a_new_underretning_during_follow_up_keeps_the_case_in_its_furthest_phase(api):
    case_id = receive(api)["case_id"]
    walk_to_running_measure(api, case_id)
    again = receive(api)  # the same child: joins the case, with a new 24-hour assessment
    assert again["case_id"] == case_id
    open_here = {t["bpmn_id"] for t in tasks(api) if t["case_id"] == case_id}
    assert {"vurdering_ny_underretning", "opfoelgning"} <= open_here
    assert _phase(api, case_id) == "Opfølgning"


def test_lists_filter_and_sort_by_phase_in_the_case_order(api):
    later = receive(api, cpr="020219-4322", barnets_navn="Bo Hansen")["case_id"]
    complete(api, later, "vurdering_24t")
    earlier = receive(api, cpr="150316-4323", barnets_navn="Clara Nielsen")["case_id"]
    listed = [c["id"] for c in cases(api, query="sorter=fase") if c["id"] in (earlier, later)]
    assert listed == [earlier, later]  # Underretning before Afklaring, though «Af» sorts before «Un»
    assert [c["id"] for c in cases(api, query="fase=Afklaring")] == [later]
