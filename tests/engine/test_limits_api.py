"""Expression limits through the API: Validér refuses what is sure to exceed; a running case is stopped cleanly."""

from __future__ import annotations

import dataclasses
import io
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from service.config import ROOT, Settings
from service.deadlines.firing import fire_due
from service.deadlines.models import FIRED, OPEN, Timer
from service.demo_payloads import form
from service.engine import time_limit
from tests.support import open_task, receive

CASE_MODEL = (ROOT / "workflows" / "sagsbehandling.bpmn").read_bytes()
LIMIT = 0.3


@pytest.fixture
def settings(settings: Settings) -> Iterator[Settings]:
    before = time_limit.seconds()
    yield dataclasses.replace(settings, expression_seconds=LIMIT)
    time_limit.set_seconds(before)


def _with_script(script: str) -> bytes:
    """The case model with a script task between the 24-hour assessment and its gateway."""
    return (CASE_MODEL
            .replace(b'<bpmn:outgoing>Flow_vurdering_gw</bpmn:outgoing>\n    </bpmn:userTask>',
                     b'<bpmn:outgoing>Flow_til_regnestykke</bpmn:outgoing>\n    </bpmn:userTask>\n'
                     b'    <bpmn:scriptTask id="regnestykke" name="Regnestykke" scriptFormat="python">'
                     b'<bpmn:incoming>Flow_til_regnestykke</bpmn:incoming>'
                     b'<bpmn:outgoing>Flow_vurdering_gw</bpmn:outgoing>'
                     b'<bpmn:script>' + script.encode() + b'</bpmn:script></bpmn:scriptTask>')
            .replace(b'<bpmn:sequenceFlow id="Flow_vurdering_gw" sourceRef="vurdering_24t"',
                     b'<bpmn:sequenceFlow id="Flow_til_regnestykke" sourceRef="vurdering_24t"'
                     b' targetRef="regnestykke" />'
                     b'\n    <bpmn:sequenceFlow id="Flow_vurdering_gw" sourceRef="regnestykke"'))


def _post(api, path: str, xml: bytes):  # noqa: ANN001, ANN202
    return api.post(path, "procesejer1", data={"file": (io.BytesIO(xml), "sagsbehandling.bpmn")},
                    content_type="multipart/form-data")


@pytest.mark.parametrize(("script", "message"), [
    ("x = 10**10**9", "potens med for store tal"),
    ("tekst = 'x' * 10**10", "gentagelse med for mange elementer"),
    ("liste = [0] * 10**9", "gentagelse med for mange elementer"),
    ("while True:\n    pass", "løkken `while True` slutter aldrig"),
])
def test_validation_refuses_expressions_sure_to_exceed_the_limits(api, script: str, message: str) -> None:
    xml = _with_script(script)
    for path in ("/api/process-versions/validering", "/api/process-versions"):
        response = _post(api, path, xml)
        assert response.status_code == 422, response.get_json()
        assert response.mimetype == "application/problem+json"
        errors = response.get_json()["errors"]
        assert [(e["field"], e["element"]) for e in errors] == [("sagsbehandling.bpmn#regnestykke", "regnestykke")]
        assert errors[0]["message"].startswith("sagsbehandling.bpmn: "
            f"Udtryk i 'regnestykke' afvist: Udtrykket kan ikke beregnes inden for grænserne: {message}")


def test_a_script_looping_on_data_is_stopped_and_the_task_stays_open(api, uow) -> None:
    # The bound comes from the form, so no check can see it; the time limit stops it.
    script = 'x = 0\nwhile x &lt; len(vurdering_24t["begrundelse"]) * 10**12:\n    x += 1'
    assert _post(api, "/api/process-versions", _with_script(script)).status_code == 201
    case_id = receive(api)["case_id"]
    task = open_task(api, case_id, "vurdering_24t")
    started = time.monotonic()
    response = api.post(f"/api/tasks/{task['id']}/complete", json={"data": form("vurdering_24t")})
    assert LIMIT <= time.monotonic() - started < LIMIT + 5
    assert response.status_code == 409, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert "Scriptet i 'Regnestykke' blev stoppet efter 0.3 s" in response.get_json()["detail"]
    # Rolled back: the task is still open and unclaimed, and the same worker goes on serving.
    assert open_task(api, case_id, "vurdering_24t")["id"] == task["id"]
    journal = api.get(f"/api/cases/{case_id}", "teamleder1")
    assert journal.status_code == 200
    other = receive(api, cpr="020220-1234", barnets_navn="Bo Jensen")["case_id"]
    assert other != case_id


def test_a_script_growing_a_value_from_data_is_stopped_with_the_reason(api) -> None:
    script = 'tekst = vurdering_24t["begrundelse"] * 10**9'
    assert _post(api, "/api/process-versions", _with_script(script)).status_code == 201
    case_id = receive(api)["case_id"]
    task = open_task(api, case_id, "vurdering_24t")
    response = api.post(f"/api/tasks/{task['id']}/complete", json={"data": form("vurdering_24t")})
    assert response.status_code == 409
    assert ("Scriptet i 'Regnestykke' blev stoppet: gentagelse med for mange elementer"
            in response.get_json()["detail"])


def _with_advis_script(script: str) -> bytes:
    """The case model with a script on the path the 24-hour assessment's warning timer fires."""
    return (CASE_MODEL
            .replace(b'<bpmn:sequenceFlow id="Flow_advis_vurdering_24t" sourceRef="advis_vurdering_24t" '
                     b'targetRef="advis_vurdering_24t_end" />',
                     b'<bpmn:sequenceFlow id="Flow_advis_vurdering_24t" sourceRef="advis_vurdering_24t" '
                     b'targetRef="advisregning" />\n    <bpmn:sequenceFlow id="Flow_advisregning_end" '
                     b'sourceRef="advisregning" targetRef="advis_vurdering_24t_end" />')
            .replace(b'<bpmn:incoming>Flow_advis_vurdering_24t</bpmn:incoming>\n    </bpmn:endEvent>',
                     b'<bpmn:incoming>Flow_advisregning_end</bpmn:incoming>\n    </bpmn:endEvent>\n'
                     b'    <bpmn:scriptTask id="advisregning" name="Advisregning" scriptFormat="python">'
                     b'<bpmn:incoming>Flow_advis_vurdering_24t</bpmn:incoming>'
                     b'<bpmn:outgoing>Flow_advisregning_end</bpmn:outgoing>'
                     b'<bpmn:script>' + script.encode() + b'</bpmn:script></bpmn:scriptTask>'))


def test_a_timer_whose_script_runs_too_long_fails_alone_and_is_retried_later(api, app, uow, frozen_clock) -> None:
    script = ('x = 0\ngrense = 10**12 if underretning["underretter_type"] == "borger" else 3\n'
              'while x &lt; grense:\n    x += 1')
    assert _post(api, "/api/process-versions", _with_advis_script(script)).status_code == 201
    stuck = receive(api, underretter_type="borger")["case_id"]
    fine = receive(api, cpr="020220-1234", barnets_navn="Bo Jensen")["case_id"]
    frozen_clock.set(frozen_clock.now() + timedelta(hours=13))  # the 12-hour warnings are due, not the deadlines
    started = time.monotonic()
    fire_due(app.extensions["sagsflow"]["session_factory"])
    assert time.monotonic() - started < 5 * LIMIT + 10
    advis = {t.case_id: t for t in uow.session.scalars(select(Timer).where(Timer.bpmn_id == "advis_vurdering_24t"))}
    assert advis[fine].status == FIRED
    assert advis[stuck].status == OPEN and advis[stuck].attempts == 1
    assert "Scriptet i 'Advisregning' blev stoppet efter 0.3 s" in advis[stuck].last_error
    assert advis[stuck].next_attempt_at > frozen_clock.now()  # backed off: other timers go first
