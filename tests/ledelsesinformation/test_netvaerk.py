"""Involving the network (issue 17, item 8; seed 004): a network meeting in the BFU (target 70 %) and the child from
8 at the follow-up meeting (target 100 %) are practice KPIs counted from the completed forms."""

from __future__ import annotations

from service.demo_payloads import form
from tests.support import complete, receive, walk_to_running_measure

PERIOD = "fra=2026-03-01&til=2026-03-31"
NINE_YEARS_OLD = "010117-4321"  # 9 on the tests' 2 March 2026


def test_bfus_with_and_without_a_network_meeting_and_children_from_8_at_follow_ups_are_counted(api, app):  # noqa: ANN001
    older = receive(api, cpr=NINE_YEARS_OLD, barnets_navn="Frida")["case_id"]
    walk_to_running_measure(api, older)  # the BFU held a network meeting (the demo form)
    complete(api, older, "opfoelgning", form("opfoelgning", barnet_deltog=False,
                                             begrundelse="Barnet ønskede ikke at deltage; talt med bagefter."))
    younger = receive(api, barnets_navn="Alma")["case_id"]  # 6 years old
    for step in ("vurdering_24t", "faglig_vurdering", "bfu_beslutning"):
        complete(api, younger, step)
    complete(api, younger, "bfu", form("bfu", netvaerksmoede_afholdt=False, netvaerksmoede_dato=None,
                                       barnet_deltog=None))
    for step in ("barnets_plan", "indstilling"):
        complete(api, younger, step)
    complete(api, younger, "afgoerelse", user="teamleder1")
    complete(api, younger, "ivaerksaettelse")
    complete(api, younger, "opfoelgning")  # the child is under 8: this follow-up is not counted

    measures = {m["id"]: m for m in api.get(f"/api/ledelsesinformation/kvalitet?{PERIOD}", "teamleder1").get_json()}
    network = measures["netvaerksmoede"]
    assert (network["opfyldt"], network["ikke_opfyldt"], network["andel"], network["maal"], network["maal_naaet"]) \
        == (1, 1, 50.0, 70, False)
    child = measures["barn_deltager_i_opfoelgning"]
    assert (child["opfyldt"], child["ikke_opfyldt"], child["maal"]) == (0, 1, 100)

    without = api.get(f"/api/ledelsesinformation/sager?{PERIOD}&noegletal=netvaerksmoede&udfald=ikke_opfyldt",
                      "teamleder1").get_json()
    assert [r["case_id"] for r in without["sager"]] == [younger]
    absent = api.get(f"/api/ledelsesinformation/sager?{PERIOD}&noegletal=barn_deltager_i_opfoelgning",
                     "teamleder1").get_json()
    assert [(r["case_id"], r["udfald"]) for r in absent["sager"]] == [(older, "ikke_opfyldt")]

    client = app.test_client()
    assert client.post("/log-ind", data={"username": "teamleder1", "password": "demo"}).status_code == 302
    page = client.get(f"/ledelsesinformation?{PERIOD}").get_data(as_text=True)
    assert "Netværksmøde holdt i den børnefaglige undersøgelse" in page
    assert "Barnet (fra 8 år) deltager i opfølgningsmødet" in page
