"""Ledelsesinformation: the share of deadlines met on time, counted from the timers that enforce them."""

from __future__ import annotations

from service.deadlines.firing import fire_due
from tests.support import complete, receive

# The frozen clock starts Monday 2 March 2026, 09:00 UTC: every 24-hour deadline below falls due on 3 March.
PERIOD = "fra=2026-03-01&til=2026-03-31"


def _row(report: dict, deadline_id: str) -> dict:
    return next(r for r in report["frister"] if r["frist"] == deadline_id)


def test_24_hour_assessments_met_breached_and_pending_against_the_target(api, app, frozen_clock):
    on_time = receive(api, cpr="010120-4321", barnets_navn="Alma")["case_id"]
    receive(api, cpr="020219-4322", barnets_navn="Bo")
    receive(api, cpr="030318-4323", barnets_navn="Carl")
    frozen_clock.advance(hours=2)
    complete(api, on_time, "vurdering_24t")
    frozen_clock.advance(hours=23)  # the other two deadlines have passed
    fire_due(app.extensions["sagsflow"]["session_factory"])
    receive(api, cpr="040417-4324", barnets_navn="Dea")  # its deadline falls due tomorrow, inside the period
    receive(api, "raadgiver_syd", cpr="050516-4325", barnets_navn="Eva")  # another team: not counted

    response = api.get(f"/api/ledelsesinformation/frister?{PERIOD}", "teamleder1")
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert (report["fra"], report["til"]) == ("2026-03-01", "2026-03-31")
    row = _row(report, "vurdering_24t")
    assert (row["overholdt"], row["overskredet"], row["afventer"]) == (1, 2, 1)
    assert row["andel"] == 33.3 and row["maal"] == 100 and row["maal_naaet"] is False
    assert row["hjemmel"].startswith("BL § 136")
    # Every legal deadline and every one with a target has a row, also with nothing decided yet.
    bfu = _row(report, "bfu")
    assert bfu["maal"] == 90 and bfu["andel"] is None and bfu["maal_naaet"] is None
    assert "klagefrist" not in {r["frist"] for r in report["frister"]}  # the citizen's window, not a deadline


def test_a_period_before_the_deadlines_counts_none_of_them(api, app, frozen_clock):
    receive(api)
    frozen_clock.advance(hours=25)
    fire_due(app.extensions["sagsflow"]["session_factory"])
    report = api.get("/api/ledelsesinformation/frister?fra=2026-02-01&til=2026-03-02", "teamleder1").get_json()
    assert _row(report, "vurdering_24t")["overskredet"] == 0  # due 3 March: outside the period
    report = api.get("/api/ledelsesinformation/frister?fra=2026-03-03&til=2026-03-03", "teamleder1").get_json()
    assert _row(report, "vurdering_24t")["overskredet"] == 1  # 'til' is included


def test_only_team_leaders_see_it_and_a_bad_period_is_refused_per_field(api):
    response = api.get(f"/api/ledelsesinformation/frister?{PERIOD}", "raadgiver1")
    assert response.status_code == 403
    assert response.get_json()["detail"] == "Kun teamledere og afdelingsledere kan se ledelsesinformation."
    response = api.get("/api/ledelsesinformation/frister?fra=2026-03-31&til=2026-03-01", "teamleder1")
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"field": "til", "message": "«Til» skal være samme dag som eller efter «fra»."}]
    response = api.get("/api/ledelsesinformation/frister?fra=2020-01-01&til=2026-03-01", "teamleder1")
    assert response.status_code == 422
    response = api.get("/api/ledelsesinformation/frister?fra=igaar", "teamleder1")
    assert response.status_code == 422 and "fra" in str(response.get_json())


def test_the_page_shows_the_share_and_whether_the_target_is_met(api, app, frozen_clock):
    case_id = receive(api)["case_id"]
    frozen_clock.advance(hours=1)
    complete(api, case_id, "vurdering_24t")
    client = app.test_client()
    assert client.post("/log-ind", data={"username": "teamleder1", "password": "demo"}).status_code == 302
    page = client.get(f"/ledelsesinformation?{PERIOD}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "24-timers vurdering af underretning" in html and "100,0 %" in html and "nået" in html
    bad = client.get("/ledelsesinformation?fra=2026-03-31&til=2026-03-01")
    assert bad.status_code == 422 and "«Til» skal være samme dag som eller efter «fra»." in bad.get_data(as_text=True)


def test_plan_before_decision_and_the_talk_with_the_child_are_read_from_the_forms(api, frozen_clock):
    from service.demo_payloads import form
    from tests.support import walk_to_running_measure
    planned = receive(api, cpr="010120-4321", barnets_navn="Alma")["case_id"]
    walk_to_running_measure(api, planned)  # barnets plan, then the granting decision; the child was heard
    acute = receive(api, cpr="020219-4322", barnets_navn="Bo", overgreb=True)["case_id"]
    complete(api, acute, "vurdering_24t", form("vurdering_24t", akut=True, begrundelse="Synlige skader."))
    complete(api, acute, "akut_foranstaltning", user="teamleder1")  # decided before any plan
    complete(api, acute, "bfu", form("bfu", boernesamtale_afholdt=False, boernesamtale_dato=None,
                                     boernesamtale_undladt_begrundelse="Barnet er 1 år."))

    measures = {m["id"]: m for m in api.get(f"/api/ledelsesinformation/kvalitet?{PERIOD}", "teamleder1").get_json()}
    plan = measures["barnets_plan_foer_afgoerelse"]
    assert (plan["opfyldt"], plan["ikke_opfyldt"], plan["andel"], plan["maal"], plan["maal_naaet"]) == (
        1, 1, 50.0, 95, False)
    talk = measures["boernesamtale_afholdt"]
    assert (talk["opfyldt"], talk["ikke_opfyldt"], talk["antal"]) == (1, 1, 2)
    earlier = api.get("/api/ledelsesinformation/kvalitet?fra=2026-01-01&til=2026-02-28", "teamleder1").get_json()
    assert all(m["antal"] == 0 and m["andel"] is None for m in earlier)
