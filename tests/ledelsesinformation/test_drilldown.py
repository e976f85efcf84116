"""From any number to the cases that make it: the list's count is the number, for every KPI."""

from __future__ import annotations

import pytest

from service.demo_payloads import form
from tests.ledelsesinformation.test_opdeling import PERIOD, build_scenario
from tests.support import complete, open_task, receive, walk_to_running_measure

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
OUTCOMES = ("opfyldt", "ikke_opfyldt", "afventer")
# Long enough for the later deadlines of the walked case (BFU, plan, follow-ups) to fall due inside it.
LONG = "fra=2026-03-01&til=2027-12-31"


def _drill(api, user: str, query: str, period: str = PERIOD) -> dict:
    response = api.get(f"/api/ledelsesinformation/sager?{period}&{query}", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@SQLITE_ONLY
def test_every_number_of_every_kpi_drills_down_to_as_many_cases(api, app, frozen_clock):
    build_scenario(api, app, frozen_clock)
    planned = receive(api, cpr="080813-4328", barnets_navn="Plan")["case_id"]
    walk_to_running_measure(api, planned)  # barnets plan before the granting decision; the child was heard
    acute = receive(api, cpr="070714-4327", barnets_navn="Akut", overgreb=True)["case_id"]
    complete(api, acute, "vurdering_24t", form("vurdering_24t", akut=True, begrundelse="Synlige skader."))
    complete(api, acute, "akut_foranstaltning", user="teamleder1")  # before any plan: counts against

    shown, kpis = 0, set()
    for efter in ("raadgiver", "maaned"):
        split = api.get(f"/api/ledelsesinformation/opdeling?{LONG}&efter={efter}", "teamleder1").get_json()
        for row in split["noegletal"]:
            total = _drill(api, "teamleder1", f"noegletal={row['id']}", LONG)
            assert total["antal"] == len(total["sager"]) == row["i_alt"]["antal"], row["id"]
            for cell in row["celler"]:
                for outcome in OUTCOMES:
                    if cell[outcome]:
                        listed = _drill(api, "teamleder1", f"noegletal={row['id']}&efter={efter}"
                                                           f"&noegle={cell['noegle']}&udfald={outcome}", LONG)
                        assert listed["antal"] == cell[outcome], (row["id"], efter, cell, outcome)
                        shown += cell[outcome]
                        kpis.add(row["id"])
    plan = next(r for r in split["noegletal"] if r["id"] == "barnets_plan_foer_afgoerelse")["i_alt"]
    assert (plan["opfyldt"], plan["ikke_opfyldt"]) == (1, 1)
    # The scenario's numbers were really there to drill into, for the deadlines and the practice alike.
    assert {"vurdering_24t", "bfu", "barnets_plan", "boernesamtale_afholdt"} <= kpis and shown > 20, (kpis, shown)
    assert _drill(api, "teamleder1", "noegletal=bfu&efter=maaned&noegle=2026-03&udfald=ikke_opfyldt")["sager"] == []

    missed = _drill(api, "teamleder1", "noegletal=vurdering_24t&udfald=ikke_opfyldt")
    assert sorted((r["raadgiver"], r["udfoert"]) for r in missed["sager"]) == [
        ("Ingen rådgiver", None), ("Rasmus Rådgiver", None)]
    assert all(r["forsinkelse_sekunder"] > 40 * 24 * 3600 for r in missed["sager"])  # open and late since 3 March
    met = _drill(api, "teamleder1", "noegletal=vurdering_24t&efter=maaned&noegle=2026-03&udfald=opfyldt")
    assert sorted(r["forsinkelse_sekunder"] for r in met["sager"]) == [-22 * 3600, 0]  # early, and at the second


@SQLITE_ONLY
def test_the_drill_down_keeps_the_access_rules_and_journals_each_case_read(api, app, frozen_clock):
    north = receive(api, cpr="010120-4321", barnets_navn="Nord")["case_id"]
    south = receive(api, "raadgiver_syd", cpr="050516-4325", barnets_navn="Syd")["case_id"]
    task = open_task(api, north, "vurdering_24t", "raadgiver2")  # taken by Rasmus, handed back, done by Rikke
    assert api.post(f"/api/tasks/{task['id']}/claim", "raadgiver2").status_code == 200
    assert api.post(f"/api/tasks/{task['id']}/release", "raadgiver2").status_code == 200
    frozen_clock.advance(hours=1)
    complete(api, north, "vurdering_24t")
    complete(api, south, "vurdering_24t", user="raadgiver_syd")

    listed = _drill(api, "teamleder1", "noegletal=vurdering_24t")
    assert [r["case_id"] for r in listed["sager"]] == [north]  # the team leader's own team only
    assert listed["sager"][0]["raadgiver"] == "Rikke Rådgiver"  # whoever did the task, not who held it before
    assert api.get(f"/api/ledelsesinformation/sager?{PERIOD}&noegletal=vurdering_24t&team_id=2",
                   "teamleder1").status_code == 403
    assert api.get(f"/api/ledelsesinformation/sager?{PERIOD}&noegletal=vurdering_24t",
                   "raadgiver1").status_code == 403
    assert api.get(f"/api/ledelsesinformation/sager?{PERIOD}&noegletal=findes_ikke", "teamleder1").status_code == 404
    bad = api.get(f"/api/ledelsesinformation/sager?{PERIOD}&noegletal=bfu&noegle=1", "teamleder1")
    assert bad.status_code == 422 and "noegle" in str(bad.get_json())
    assert {r["case_id"] for r in _drill(api, "afdelingsleder1", "noegletal=vurdering_24t")["sager"]} == {north, south}

    journal = api.get(f"/api/cases/{south}", "afdelingsleder1").get_json()["journal"]
    reads = [e for e in journal if e["tekst"].startswith("Sagen er vist i ledelsesinformationen")]
    assert len(reads) == 1 and reads[0]["handling"] == "laest" and reads[0]["bruger_id"] is not None

    client = app.test_client()
    assert client.post("/log-ind", data={"username": "teamleder1", "password": "demo"}).status_code == 302
    page = client.get("/ledelsesinformation?fra=2026-03-01&til=2026-04-30&efter=raadgiver").get_data(as_text=True)
    link = "/ledelsesinformation/sager?noegletal=vurdering_24t&amp;fra=2026-03-01&amp;til=2026-04-30"
    assert link in page
    html = client.get(link.replace("&amp;", "&") + "&udfald=opfyldt").get_data(as_text=True)
    assert "1 sag<" in html and "23 timer før fristen" in html
    assert client.get(f"/ledelsesinformation/sager?{PERIOD}&noegletal=findes_ikke").status_code == 404
    bad = client.get(f"/ledelsesinformation/sager?{PERIOD}&noegletal=bfu&udfald=sent")
    assert bad.status_code == 422 and "«Udfald» skal være" in bad.get_data(as_text=True)
