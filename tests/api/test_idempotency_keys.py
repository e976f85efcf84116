"""A state-changing POST sent again with the same Idempotency-Key gets the first answer and changes nothing more."""

from __future__ import annotations

import uuid

import pytest

from service.demo_payloads import UNDERRETNING, form
from tests.support import complete as complete_step
from tests.support import open_task, receive
from tests.visitation.helpers import indstilling, walk_to_indstilling


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def _journal(api, case_id: str, action: str) -> list[dict]:  # noqa: ANN001
    return [e for e in api.get(f"/api/cases/{case_id}", "teamleder1").get_json()["journal"] if e["handling"] == action]


def test_a_completion_sent_again_gets_the_first_answer_and_is_done_once(api):
    case_id = receive(api)["case_id"]
    task = open_task(api, case_id, "vurdering_24t")
    key = _key()
    first = api.post(f"/api/tasks/{task['id']}/complete", json={"data": form("vurdering_24t")}, headers=key)
    assert first.status_code == 200, first.get_json()
    assert "Idempotency-Replayed" not in first.headers
    again = api.post(f"/api/tasks/{task['id']}/complete", json={"data": form("vurdering_24t")}, headers=key)
    assert again.status_code == 200 and again.get_json() == first.get_json()
    assert again.headers["Idempotency-Replayed"] == "true"
    assert len(_journal(api, case_id, "opgave_udfoert")) == 1
    # Without the key the same retry is what it always was: the task is done already.
    assert api.post(f"/api/tasks/{task['id']}/complete", json={"data": form("vurdering_24t")}).status_code == 409


def test_the_same_key_with_another_body_is_refused_in_danish(api):
    case_id = receive(api)["case_id"]
    task = open_task(api, case_id, "vurdering_24t")
    key = _key()
    assert api.post(f"/api/tasks/{task['id']}/complete", json={"data": form("vurdering_24t")},
                    headers=key).status_code == 200
    other = api.post(f"/api/tasks/{task['id']}/complete", json={"data": form("vurdering_24t", akut=True)}, headers=key)
    assert other.status_code == 422 and other.mimetype == "application/problem+json"
    assert other.get_json()["errors"] == [{"field": "Idempotency-Key", "message":
                                           "Nøglen er allerede brugt til en anden forespørgsel inden for 24 timer. "
                                           "Brug en ny nøgle til en ny forespørgsel."}]
    elsewhere = api.post("/api/underretninger", json=UNDERRETNING, headers=key)  # another operation, the same key
    assert elsewhere.status_code == 422
    assert len(_journal(api, case_id, "opgave_udfoert")) == 1
    assert len(api.get(f"/api/cases/{case_id}").get_json()["underretninger"]) == 1


def test_a_failed_request_is_not_kept_so_the_corrected_retry_runs(api):
    case_id = receive(api)["case_id"]
    task = open_task(api, case_id, "vurdering_24t")
    key = _key()
    wrong = api.post(f"/api/tasks/{task['id']}/complete", json={"data": form("vurdering_24t", begrundelse="")},
                     headers=key)
    assert wrong.status_code == 422
    right = api.post(f"/api/tasks/{task['id']}/complete", json={"data": form("vurdering_24t")}, headers=key)
    assert right.status_code == 200 and "Idempotency-Replayed" not in right.headers
    assert len(_journal(api, case_id, "opgave_udfoert")) == 1


def test_keys_are_per_user(api):
    key = _key()
    first = api.post("/api/underretninger", "raadgiver1", json=UNDERRETNING, headers=key)
    second = api.post("/api/underretninger", "raadgiver2", json={**UNDERRETNING, "beskrivelse": "Naboen ringer."},
                      headers=key)
    assert (first.status_code, second.status_code) == (201, 201)
    assert "Idempotency-Replayed" not in second.headers
    assert second.get_json()["underretning_id"] != first.get_json()["underretning_id"]
    assert second.get_json()["joined"] is True  # a change of its own: the second underretning on the child's case
    assert len(api.get(f"/api/cases/{first.get_json()['case_id']}").get_json()["underretninger"]) == 2


def test_an_intake_sent_again_is_received_once_and_the_key_is_new_after_24_hours(api, frozen_clock):
    key = _key()
    first = api.post("/api/underretninger", json=UNDERRETNING, headers=key)
    assert first.status_code == 201
    frozen_clock.advance(hours=23, minutes=59)
    again = api.post("/api/underretninger", json=UNDERRETNING, headers=key)
    assert again.status_code == 201 and again.get_json() == first.get_json()
    assert again.headers["Idempotency-Replayed"] == "true"
    case_id = first.get_json()["case_id"]
    assert len(api.get(f"/api/cases/{case_id}").get_json()["underretninger"]) == 1

    frozen_clock.advance(minutes=2)  # over 24 hours: the key names a new request
    later = api.post("/api/underretninger", json=UNDERRETNING, headers=key)
    assert later.status_code == 201 and "Idempotency-Replayed" not in later.headers
    assert later.get_json()["underretning_id"] != first.get_json()["underretning_id"]
    assert len(api.get(f"/api/cases/{case_id}").get_json()["underretninger"]) == 2
    assert api.post("/api/underretninger", json=UNDERRETNING, headers=key).get_json() == later.get_json()


def test_expired_keys_are_removed_when_new_ones_are_written(api, frozen_clock, uow):
    from sqlalchemy import func, select

    from service.idempotency.models import IdempotencyKey
    for _ in range(3):
        assert api.post("/api/underretninger", json=UNDERRETNING, headers=_key()).status_code == 201
    frozen_clock.advance(hours=25)
    assert api.post("/api/underretninger", json=UNDERRETNING, headers=_key()).status_code == 201
    assert uow.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 1


@pytest.mark.parametrize("key", ["", "med mellemrum", "x" * 256, "tab\tinde", "blåbær"])
def test_a_malformed_key_is_refused_in_danish_before_anything_is_done(api, key):
    response = api.post("/api/underretninger", json=UNDERRETNING, headers={"Idempotency-Key": key})
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert response.get_json()["errors"] == [{"field": "Idempotency-Key", "message":
                                              "Skal være 1-255 synlige ASCII-tegn uden mellemrum, fx et UUID."}]
    assert api.get("/api/cases").get_json()["sager"] == []


def test_a_claim_sent_again_gets_the_first_answer(api):
    case_id = receive(api)["case_id"]
    task = open_task(api, case_id, "vurdering_24t")
    key = _key()
    first = api.post(f"/api/tasks/{task['id']}/claim", headers=key)
    assert first.status_code == 200 and first.get_json()["taget_af"] is not None
    complete_step(api, case_id, "vurdering_24t")
    # The task is done now; the retry still gets the answer the claim had, not 409.
    again = api.post(f"/api/tasks/{task['id']}/claim", headers=key)
    assert again.status_code == 200 and again.get_json() == first.get_json()
    assert again.headers["Idempotency-Replayed"] == "true"
    assert len(_journal(api, case_id, "opgave_taget")) == 1


def test_a_committee_decision_sent_again_gets_the_first_answer(api):
    case_id = receive(api)["case_id"]
    walk_to_indstilling(api, case_id)
    complete_step(api, case_id, "indstilling", indstilling(aarlig_udgift=300000))
    meeting = api.post("/api/udvalgsmoeder", "teamleder1", json={"udvalg": "visitationsudvalg",
                                                                   "moededato": "2026-06-03"}).get_json()
    decisions = {"beslutninger": [{"case_id": case_id, "udfald": "bevilget", "begrundelse": "Nødvendig."}]}
    key = _key()
    held = api.post(f"/api/udvalgsmoeder/{meeting['id']}/afhold", "teamleder1", json=decisions, headers=key)
    assert held.status_code == 200, held.get_json()
    again = api.post(f"/api/udvalgsmoeder/{meeting['id']}/afhold", "teamleder1", json=decisions, headers=key)
    assert again.status_code == 200 and again.get_json() == held.get_json()
    assert again.headers["Idempotency-Replayed"] == "true"
    assert len(_journal(api, case_id, "udvalgsbeslutning")) == 1
    assert api.post(f"/api/udvalgsmoeder/{meeting['id']}/afhold", "teamleder1", json=decisions).status_code == 409


def test_the_header_is_documented_on_each_operation(app):
    spec = app.test_client().get("/api/openapi.json").get_json()
    for path in ("/api/tasks/{task_id}/complete", "/api/tasks/{task_id}/claim", "/api/underretninger",
                 "/api/udvalgsmoeder/{meeting_id}/afhold"):
        operation = spec["paths"][path]["post"]
        header = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
        assert header["in"] == "header" and header["required"] is False
        assert header["schema"]["maxLength"] == 255 and "24 timer" in header["description"]
        success = next(r for status, r in operation["responses"].items() if status.startswith("2"))
        assert "Idempotency-Replayed" in success["headers"]
