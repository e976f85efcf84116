"""The process owner's Gennemløb: per user task, how many were done, how long they took, deadlines missed."""

from __future__ import annotations

from datetime import date

import pytest

from service.deadlines.firing import fire_due
from service.errors import ValidationFailed
from service.process_models import analysis
from tests.support import complete, receive

CLOSE = {"akut": False, "begrundelse": "Ingen bekymring tilbage.", "videre_forloeb": "luk"}


def _flow(uow, fra: date, til: date) -> dict[str, analysis.ActivityFlow]:  # noqa: ANN001
    return {a.bpmn_id: a for a in analysis.activity_flow(uow, process_id="sagsbehandling", fra=fra, til=til)}


def test_done_open_and_how_long_and_how_often_the_deadline_was_missed(api, app, frozen_clock, uow):
    first = receive(api)["case_id"]
    frozen_clock.advance(hours=2)
    complete(api, first, "vurdering_24t", CLOSE)  # 2 hours: within the 24-hour deadline
    second = receive(api, cpr="020219-4322", barnets_navn="Bo Hansen")["case_id"]
    receive(api, cpr="030318-4323", barnets_navn="Carl Hansen")  # still waiting for its assessment
    frozen_clock.advance(hours=30)
    fire_due(app.extensions["sagsflow"]["session_factory"])  # the second and third miss their deadline
    complete(api, second, "vurdering_24t", CLOSE)
    flow = _flow(uow, date(2026, 3, 1), date(2026, 3, 31))
    assessed = flow["vurdering_24t"]
    assert (assessed.name, assessed.done, assessed.open) == ("24-timers vurdering", 2, 1)
    assert (assessed.median_hours, assessed.p90_hours) == (16.0, 27.2)  # of 2 and 30 hours
    assert (assessed.deadlines, assessed.missed, assessed.missed_share) == (3, 2, 66.7)
    assert flow["afslutning"].done == 0 and flow["afslutning"].median_hours is None
    assert "indstilling" not in flow and "faglig_vurdering" not in flow  # called processes have their own page
    earlier = _flow(uow, date(2026, 1, 1), date(2026, 2, 28))["vurdering_24t"]
    assert (earlier.done, earlier.open, earlier.deadlines) == (0, 0, 0)
    with pytest.raises(ValidationFailed):
        _flow(uow, date(2026, 3, 31), date(2026, 3, 1))


def test_the_process_page_shows_the_flow_and_refuses_a_wrong_period(app, api):  # noqa: ANN001
    receive(api)
    client = app.test_client()
    client.post("/log-ind", data={"username": "procesejer1", "password": "demo"})
    page = client.get("/modeller/sagsbehandling?fra=2026-03-01&til=2026-03-31").get_data(as_text=True)
    assert "Gennemløb 01.03.2026–31.03.2026" in page and "24-timers vurdering" in page
    wrong = client.get("/modeller/sagsbehandling?fra=2026-03-31&til=2026-03-01")
    assert wrong.status_code == 422
    assert "«Til» skal være samme dag som eller efter «fra»." in wrong.get_data(as_text=True)
    assert client.get("/modeller/sagsbehandling?fra=ikke-en-dato").status_code == 422


def test_a_called_process_counts_its_own_tasks(api, uow):
    case_id = receive(api)["case_id"]
    complete(api, case_id, "vurdering_24t", {"akut": False, "begrundelse": "Skolen er bekymret.",
                                              "videre_forloeb": "screening"})
    flow = {a.bpmn_id: a for a in analysis.activity_flow(uow, process_id="triage", fra=date(2026, 3, 1),
                                                          til=date(2026, 3, 31))}
    assert flow["faglig_vurdering"].open == 1 and "vurdering_24t" not in flow
