"""Each deadline on its own path, met and missed, by moving the clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from service.deadlines.firing import fire_due
from service.demo_payloads import form
from tests.support import EARLY_OFFER, complete, open_bpmn_ids, receive, screening, walk_to_running_measure


def _to_kvittering(api, cid):  # noqa: ANN001, ANN202
    complete(api, cid, "registrering")


def _to_tilbagemelding(api, cid):  # noqa: ANN001, ANN202
    complete(api, cid, "registrering")
    complete(api, cid, "kvittering")


def _to_faglig_vurdering(api, cid):  # noqa: ANN001, ANN202
    complete(api, cid, "vurdering_24t")


def _to_tidlig_evaluering(api, cid):  # noqa: ANN001, ANN202
    complete(api, cid, "vurdering_24t")
    complete(api, cid, "faglig_vurdering", screening(**EARLY_OFFER))
    complete(api, cid, "tidlig_indsats")


def _to_barnets_plan(api, cid):  # noqa: ANN001, ANN202
    for step in ("vurdering_24t", "faglig_vurdering", "bfu"):
        complete(api, cid, step)


def _to_ungeplan(api, cid):  # noqa: ANN001, ANN202
    walk_to_running_measure(api, cid)  # the child is already 16: the ungeplan is due 3 months after the decision


def _to_ungestoette(api, cid):  # noqa: ANN001, ANN202
    walk_to_running_measure(api, cid)
    complete(api, cid, "ungeplan")  # already 17: the ungestøtte decision is due at 17½


def _to_klage(api, cid):  # noqa: ANN001, ANN202
    walk_to_running_measure(api, cid)
    api.post(f"/api/cases/{cid}/klager", json={"modtaget": "2026-03-02", "beskrivelse": "Uenig i afgørelsen."})


def _to_partshoering_svar(api, cid):  # noqa: ANN001, ANN202
    for step in ("vurdering_24t", "faglig_vurdering"):
        complete(api, cid, step)
    complete(api, cid, "bfu", form("bfu", indstilling="afslag"))
    complete(api, cid, "partshoering")


CASES = [
    # deadline, walk to the guarded task, guarded task, escalation task (None: breach is only noted)
    ("kvittering", _to_kvittering, "kvittering", "eskalering_kvittering"),
    ("tilbagemelding_underretter", _to_tilbagemelding, "tilbagemelding_underretter",
     "eskalering_tilbagemelding_underretter"),
    ("faglig_vurdering", _to_faglig_vurdering, "faglig_vurdering", "eskalering_faglig_vurdering"),
    ("tidlig_indsats_evaluering", _to_tidlig_evaluering, "tidlig_indsats_evaluering",
     "eskalering_tidlig_indsats_evaluering"),
    ("klage_genvurdering", _to_klage, "klage_genvurdering", "eskalering_klage_genvurdering"),
    ("partshoering_svar", _to_partshoering_svar, "partshoering_svar", None),
    ("barnets_plan", _to_barnets_plan, "barnets_plan", "eskalering_barnets_plan"),
    ("ungeplan", _to_ungeplan, "ungeplan", "eskalering_ungeplan"),
    ("ungestoette_afgoerelse", _to_ungestoette, "ungestoette_afgoerelse", "eskalering_ungestoette_afgoerelse"),
]
# Age-based deadlines need a child of the right age (the clock starts at 2 March 2026).
CPR_FOR = {"ungeplan": "010110-4321", "ungestoette_afgoerelse": "011208-4321"}


def _due(api, cid: str, deadline: str) -> datetime:  # noqa: ANN001
    listed = {d["frist"]: d for d in api.get(f"/api/cases/{cid}/frister").get_json()}
    return datetime.fromisoformat(listed[deadline]["forfald"])


@pytest.mark.parametrize(("deadline", "walk", "task", "escalation"), CASES, ids=[c[0] for c in CASES])
def test_deadline_missed_then_handled(api, app, frozen_clock, deadline, walk, task, escalation):
    cid = receive(api, **({"cpr": CPR_FOR[deadline]} if deadline in CPR_FOR else {}))["case_id"]
    walk(api, cid)
    due = _due(api, cid, deadline)
    frozen_clock.set(due + timedelta(minutes=5))
    fire_due(app.extensions["sagsflow"]["session_factory"])
    open_now = open_bpmn_ids(api, cid)
    assert task in open_now  # the caseworker can still finish it
    if escalation:
        assert escalation in open_now
    journal = api.get(f"/api/cases/{cid}", "teamleder1").get_json()["journal"]
    breaches = [e for e in journal if e["handling"] == "frist_overskredet" and e["data"]["frist"] == deadline]
    assert len(breaches) == 1


@pytest.mark.parametrize(("deadline", "walk", "task", "escalation"), CASES, ids=[c[0] for c in CASES])
def test_deadline_met_leaves_nothing_behind(api, app, frozen_clock, deadline, walk, task, escalation):
    cid = receive(api, **({"cpr": CPR_FOR[deadline]} if deadline in CPR_FOR else {}))["case_id"]
    walk(api, cid)
    due = _due(api, cid, deadline)
    complete(api, cid, task, user="teamleder1")
    frozen_clock.set(due + timedelta(days=1))
    fire_due(app.extensions["sagsflow"]["session_factory"])
    assert not any(b.startswith("eskalering_") and b.endswith(deadline) for b in open_bpmn_ids(api, cid))
    journal = api.get(f"/api/cases/{cid}", "teamleder1").get_json()["journal"]
    assert not [e for e in journal if e["handling"] == "frist_overskredet" and e["data"]["frist"] == deadline]
