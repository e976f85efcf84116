"""The same Idempotency-Key sent by several clients at once, on PostgreSQL: one change, and every client its answer."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text

from service.demo_payloads import UNDERRETNING, form
from service.idempotency.service import fingerprint
from tests.support import open_task, receive

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)]

ROUNDS = 10
CLIENTS = 4


def _at_once(app, token: str, calls: list[tuple[str, dict | None, dict]]) -> list:  # noqa: ANN001
    """Each (path, json, headers) posted from its own client thread at the same moment; the responses in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def post(i: int, path: str, body: dict | None, headers: dict) -> None:
        client = app.test_client()
        barrier.wait()
        results[i] = client.post(path, json=body, headers={**headers, "Authorization": f"Bearer {token}"})

    threads = [threading.Thread(target=post, args=(i, *call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _journal(api, case_id: str, action: str) -> int:  # noqa: ANN001
    return sum(e["handling"] == action for e in api.get(f"/api/cases/{case_id}", "teamleder1").get_json()["journal"])


def test_a_completion_sent_by_several_clients_with_one_key_is_done_once(app, api):
    token = api.token("raadgiver1")
    for n in range(ROUNDS):
        case_id = receive(api, cpr=f"{n + 1:02d}0120-4321")["case_id"]
        task = open_task(api, case_id, "vurdering_24t")
        key = {"Idempotency-Key": str(uuid.uuid4())}
        responses = _at_once(app, token, [(f"/api/tasks/{task['id']}/complete", {"data": form("vurdering_24t")},
                                           key)] * CLIENTS)
        assert [r.status_code for r in responses] == [200] * CLIENTS, [r.get_json() for r in responses]
        assert all(r.get_json() == responses[0].get_json() for r in responses)
        assert sum("Idempotency-Replayed" not in r.headers for r in responses) == 1  # one did the work
        assert _journal(api, case_id, "opgave_udfoert") == 1


def test_an_intake_sent_by_several_clients_with_one_key_is_received_once(app, api):
    token = api.token("raadgiver1")
    for n in range(ROUNDS):
        key = {"Idempotency-Key": str(uuid.uuid4())}
        body = {**UNDERRETNING, "cpr": f"{n + 1:02d}0219-4322"}
        responses = _at_once(app, token, [("/api/underretninger", body, key)] * CLIENTS)
        assert [r.status_code for r in responses] == [201] * CLIENTS, [r.get_json() for r in responses]
        assert all(r.get_json() == responses[0].get_json() for r in responses)
        case = api.get(f"/api/cases/{responses[0].get_json()['case_id']}").get_json()
        assert len(case["underretninger"]) == 1


def _holding_the_key(postgres_url: str, user: str, key: str, request: str, fp: str):  # noqa: ANN202
    """A transaction that has taken the key (as a request in progress has) and not yet committed."""
    engine = create_engine(postgres_url)
    conn = engine.connect()
    user_id = conn.execute(text("SELECT id FROM users WHERE username = :u"), {"u": user}).scalar_one()
    conn.execute(text("INSERT INTO idempotency_keys (user_id, key, request, fingerprint, created_at) "
                      "VALUES (:u, :k, :r, :f, :t)"),
                 {"u": user_id, "k": key, "r": request, "f": fp, "t": datetime(2026, 3, 2, 9, tzinfo=UTC)})
    return engine, conn


def _wait_until_blocked(postgres_url: str) -> None:
    """Until another backend waits for a lock (the request, at the key's unique index)."""
    engine = create_engine(postgres_url)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                if conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                     "AND datname = current_database()")).scalar_one():
                    return
            time.sleep(0.05)  # polling another backend's state, not waiting for time to pass
        raise AssertionError("the request never waited for the key")
    finally:
        engine.dispose()


def _post_in_thread(app, token: str, path: str, body: dict, key: str) -> tuple[threading.Thread, list]:  # noqa: ANN001
    result: list = []
    thread = threading.Thread(target=lambda: result.append(app.test_client().post(
        path, json=body, headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key})))
    thread.start()
    return thread, result


def test_a_retry_waits_for_the_first_request_and_gets_its_answer(app, api, postgres_url):
    case_id = receive(api)["case_id"]
    task = open_task(api, case_id, "vurdering_24t")
    path, body, key = f"/api/tasks/{task['id']}/complete", {"data": form("vurdering_24t")}, str(uuid.uuid4())
    engine, holder = _holding_the_key(postgres_url, "raadgiver1", key, f"POST {path}", fingerprint("POST", path, body))
    try:
        thread, result = _post_in_thread(app, api.token("raadgiver1"), path, body, key)
        _wait_until_blocked(postgres_url)
        holder.execute(text("UPDATE idempotency_keys SET status = 200, body = '{\"first\": true}' WHERE key = :k"),
                       {"k": key})
        holder.commit()
        thread.join()
    finally:
        holder.close()
        engine.dispose()
    assert result[0].status_code == 200 and result[0].get_json() == {"first": True}
    assert result[0].headers["Idempotency-Replayed"] == "true"
    assert _journal(api, case_id, "opgave_udfoert") == 0  # the first request did the work (here: pretended to)


def test_when_the_first_request_fails_the_waiting_retry_does_the_work(app, api, postgres_url):
    case_id = receive(api)["case_id"]
    task = open_task(api, case_id, "vurdering_24t")
    path, body, key = f"/api/tasks/{task['id']}/complete", {"data": form("vurdering_24t")}, str(uuid.uuid4())
    engine, holder = _holding_the_key(postgres_url, "raadgiver1", key, f"POST {path}", fingerprint("POST", path, body))
    try:
        thread, result = _post_in_thread(app, api.token("raadgiver1"), path, body, key)
        _wait_until_blocked(postgres_url)
        holder.rollback()  # the first attempt failed (or its connection was lost): nothing of it stays
        thread.join()
    finally:
        holder.close()
        engine.dispose()
    assert result[0].status_code == 200 and "Idempotency-Replayed" not in result[0].headers
    assert _journal(api, case_id, "opgave_udfoert") == 1
