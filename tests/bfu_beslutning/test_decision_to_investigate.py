"""The decision to investigate (BL § 20; seed 003: «der foreligger ikke lovpligtige afgørelser om udarbejdelse af
børnefaglig undersøgelse»): when the triage routes a case to a BFU, a decision with the custody holders' consent, or
the reason to investigate without it, and a letter to each of them come before the investigation. The BFU's 4 months
still count from the underretning (T0), however long the decision takes."""

from __future__ import annotations

from datetime import datetime

import pytest

from service.deadlines.calendar import COPENHAGEN
from service.deadlines.firing import fire_due
from service.demo_payloads import form
from service.letters.pdf import visible_text
from tests.support import complete, make_letter_pdfs, move_to, open_bpmn_ids, open_task, receive

MOR = {"rolle": "mor", "navn": "Karen Holm", "cpr": "120385-1234", "adresse": "Skolevej 3, 4200 Slagelse"}
FAR = {"rolle": "far", "navn": "Jens Holm", "cpr": "030482-4321", "adresse": "Havnegade 9, 4220 Korsør"}
BFU_DUE = "2026-07-02"  # T0 2 March 2026 + 4 calendar months (frister.toml «bfu»)
WITHOUT_CONSENT = "Forældrene afviser samarbejde, og skolen ser tegn på omsorgssvigt."


def _bfu_due(api, cid: str) -> str:  # noqa: ANN001
    listed = {d["frist"]: d for d in api.get(f"/api/cases/{cid}/frister").get_json()}
    return datetime.fromisoformat(listed["bfu"]["forfald"]).astimezone(COPENHAGEN).date().isoformat()


def _to_decision(api) -> str:  # noqa: ANN001
    cid = receive(api, parter=[MOR, FAR])["case_id"]
    complete(api, cid, "vurdering_24t")
    complete(api, cid, "faglig_vurdering")  # the triage table: BFU
    return cid


def test_the_decision_comes_before_the_bfu_and_goes_to_each_custody_holder(api, frozen_clock):
    cid = _to_decision(api)
    assert open_bpmn_ids(api, cid) >= {"bfu_beslutning"} and "bfu" not in open_bpmn_ids(api, cid)
    assert api.get(f"/api/cases/{cid}").get_json()["fase"] == "Undersøgelse"

    move_to(frozen_clock, "2026-03-20")  # the decision takes its time: the BFU's deadline does not move
    task = open_task(api, cid, "bfu_beslutning")
    url = f"/api/tasks/{task['id']}/complete"
    no_reason = api.post(url, json={"data": form("bfu_beslutning", samtykke=False)})
    assert no_reason.status_code == 422 and no_reason.mimetype == "application/problem+json"
    assert [e["field"] for e in no_reason.get_json()["errors"]] == ["uden_samtykke_begrundelse"]
    tomorrow = api.post(url, json={"data": form("bfu_beslutning", afgoerelsesdato="2026-03-21")})
    assert tomorrow.status_code == 422
    assert [e["field"] for e in tomorrow.get_json()["errors"]] == ["afgoerelsesdato"]
    assert open_bpmn_ids(api, cid) >= {"bfu_beslutning"} and not [
        b for b in api.get(f"/api/cases/{cid}/breve").get_json()]  # refused: nothing written

    complete(api, cid, "bfu_beslutning", form("bfu_beslutning", samtykke=False, grundlag="stk_1",
                                              uden_samtykke_begrundelse=WITHOUT_CONSENT))
    assert "bfu" in open_bpmn_ids(api, cid) and "bfu_beslutning" not in open_bpmn_ids(api, cid)
    assert _bfu_due(api, cid) == BFU_DUE

    letters = api.get(f"/api/cases/{cid}/breve").get_json()
    assert sorted((b["type"], b["modtager_navn"], b["modtager_adresse"]) for b in letters) == [
        ("bfu_beslutning", "Jens Holm", "Havnegade 9, 4220 Korsør"),
        ("bfu_beslutning", "Karen Holm", "Skolevej 3, 4200 Slagelse")]
    assert {b["titel"] for b in letters} == {"Afgørelse om børnefaglig undersøgelse"}
    assert make_letter_pdfs(api) == 2
    text = visible_text(api.get(letters[0]["html_url"]).get_data(as_text=True))
    for part in ("Afgørelse om børnefaglig undersøgelse", "Alma Jensen", "barnets lov § 20, stk. 1", WITHOUT_CONSENT,
                 "Der foreligger ikke samtykke", "20. marts 2026", "Klagevejledning", "4 uger", "Ankestyrelsen"):
        assert part in text, part
    assert "010120" not in text and "120385" not in text  # no CPR number in the letter
    journal = api.get(f"/api/cases/{cid}").get_json()["journal"]
    assert sorted(e["tekst"] for e in journal if e["handling"] == "brev_dannet") == [
        "Brev dannet: Afgørelse om børnefaglig undersøgelse til Jens Holm",
        "Brev dannet: Afgørelse om børnefaglig undersøgelse til Karen Holm"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_decision_made_after_four_months_finds_the_bfu_overdue_from_t0(api, app, frozen_clock):
    cid = _to_decision(api)
    move_to(frozen_clock, "2026-07-03")  # a day past T0 + 4 months, the decision still not made
    complete(api, cid, "bfu_beslutning")
    fire_due(app.extensions["sagsflow"]["session_factory"])
    assert {"bfu", "foreloebig_vurdering", "eskalering_bfu"} <= open_bpmn_ids(api, cid)
    breach = [e for e in api.get(f"/api/cases/{cid}").get_json()["journal"] if e["handling"] == "frist_overskredet"]
    assert [e["data"]["frist"] for e in breach] == ["bfu"]
    assert datetime.fromisoformat(breach[0]["data"]["forfald"]).astimezone(COPENHAGEN).date().isoformat() == BFU_DUE


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_the_bfu_deadline_runs_warns_and_breaches_while_the_decision_is_still_open(api, app, frozen_clock):
    cid = _to_decision(api)
    decision = open_task(api, cid, "bfu_beslutning")
    assert _bfu_due(api, cid) == BFU_DUE  # the deadline is there from the triage, before any decision
    listed = {t["id"]: t for t in api.get("/api/tasks?scope=alle&limit=200").get_json()["opgaver"]}
    assert listed[decision["id"]]["frist"] is not None  # the inbox shows the decision's deadline: the BFU's
    factory = app.extensions["sagsflow"]["session_factory"]

    move_to(frozen_clock, "2026-06-30")  # the warning comes while the decision is open, to the caseworker
    fire_due(factory)
    move_to(frozen_clock, "2026-07-03")  # past T0 + 4 months, the decision still not made: breached, escalated
    fire_due(factory)
    journal = api.get(f"/api/cases/{cid}").get_json()["journal"]
    assert [e["data"]["frist"] for e in journal if e["handling"] == "frist_overskredet"] == ["bfu"]
    assert [e["data"]["frist"] for e in journal if e["handling"] == "advis"] == ["bfu"]
    assert {"bfu_beslutning", "foreloebig_vurdering", "eskalering_bfu"} <= open_bpmn_ids(api, cid)
    escalation = open_task(api, cid, "eskalering_bfu", user="teamleder1")
    offered = api.get(f"/api/tasks/{escalation['id']}", "teamleder1").get_json()["formular_skema"]
    assert offered["properties"]["handling"]["enum"] == ["omfordel", "ny_dato", "kvitter"]  # the work is not done

    complete(api, cid, "bfu_beslutning")  # the decision alone does not finish what the deadline covers
    offered = api.get(f"/api/tasks/{escalation['id']}", "teamleder1").get_json()["formular_skema"]
    assert offered["properties"]["handling"]["enum"] == ["omfordel", "ny_dato", "kvitter"]
    complete(api, cid, "bfu")
    offered = api.get(f"/api/tasks/{escalation['id']}", "teamleder1").get_json()["formular_skema"]
    assert offered["properties"]["handling"]["enum"] == ["kvitter"]
    fire_due(factory)
    journal = api.get(f"/api/cases/{cid}").get_json()["journal"]
    assert len([e for e in journal if e["handling"] == "frist_overskredet"]) == 1  # one breach, not one per task
