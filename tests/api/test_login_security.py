"""Log-in as an attacker tries it: throttled, locked after repeated wrong passwords, one answer for every failure;
bearer tokens that expire and can be listed and revoked; a new session id at every log-in."""

from __future__ import annotations

import statistics
import time
from dataclasses import replace

from sqlalchemy import select

from service.access.login import LOCK_AFTER, WRONG
from service.access.models import User
from service.access.service import hash_password
from service.uow import UnitOfWork


def _token(client, username: str, password: str = "demo"):  # noqa: ANN001, ANN202, S107
    return client.post("/api/auth/token", json={"username": username, "password": password})


def _throttle(app):  # noqa: ANN001, ANN202
    return app.extensions["sagsflow"]["throttle"]


def test_unknown_user_and_wrong_password_get_the_same_answer_after_the_same_work(app):
    client = app.test_client()
    with UnitOfWork(app.extensions["sagsflow"]["session_factory"]) as uow:  # a real user's hash, not the demo's
        uow.session.scalar(select(User).where(User.username == "raadgiver2")).password_hash = hash_password("rigtig")
        uow.commit()
    timings: dict[str, list[float]] = {"ukendt": [], "forkert": []}
    bodies = set()
    for i in range(5):
        for kind, username in (("ukendt", f"findes_ikke_{i}"), ("forkert", "raadgiver2")):
            started = time.perf_counter()
            response = _token(client, username, "forkert-kode")
            timings[kind].append(time.perf_counter() - started)
            assert response.status_code == 401
            bodies.add(response.get_data(as_text=True))
    assert len(bodies) == 1 and WRONG in bodies.pop()
    # Both check a password hash (tens of ms); without the dummy check an unknown name would answer in ~1 ms.
    assert statistics.median(timings["ukendt"]) > 0.5 * statistics.median(timings["forkert"])


def test_too_many_attempts_for_one_account_are_throttled_with_retry_after(app):
    client = app.test_client()
    statuses = [_token(client, "raadgiver1", "forkert").status_code for _ in range(11)]
    assert statuses == [401] * 10 + [429]
    throttled = _token(client, "raadgiver1")
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) >= 1
    assert throttled.mimetype == "application/problem+json" and "Prøv igen om" in throttled.get_json()["detail"]
    assert _token(client, "raadgiver2").status_code == 201  # another account from the same address still may


def test_too_many_attempts_from_one_address_are_throttled(app):
    client = app.test_client()
    statuses = [_token(client, f"navn{i}", "forkert").status_code for i in range(31)]
    assert statuses[:30] == [401] * 30 and statuses[30] == 429
    assert _token(client, "raadgiver2").status_code == 429


def test_repeated_wrong_passwords_lock_the_account_until_a_team_leader_lifts_it(app, api):
    client = app.test_client()
    for _ in range(LOCK_AFTER):
        assert _token(client, "raadgiver1", "gaet-igen").status_code == 401
    _throttle(app).reset()  # a minute later: the throttle has forgotten, the lock has not
    locked = _token(client, "raadgiver1")
    assert locked.status_code == 401 and locked.get_json()["detail"] == WRONG  # no hint that it is locked
    listed = api.get("/api/auth/spaerrede", "teamleder1").get_json()
    assert [u["username"] for u in listed] == ["raadgiver1"]
    assert api.get("/api/auth/spaerrede", "raadgiver2").status_code == 403
    assert api.post(f"/api/auth/spaerrede/{listed[0]['id']}/ophaev", "raadgiver2").status_code == 403
    assert api.post(f"/api/auth/spaerrede/{listed[0]['id']}/ophaev", "teamleder1").status_code == 204
    assert _token(client, "raadgiver1").status_code == 201
    assert api.get("/api/auth/spaerrede", "teamleder1").get_json() == []


def test_a_team_leader_cannot_lift_another_teams_lock(app, api, uow):
    client = app.test_client()
    for _ in range(LOCK_AFTER):
        _token(client, "raadgiver_syd", "forkert")
    syd = uow.session.query(User).filter_by(username="raadgiver_syd").one()
    assert api.get("/api/auth/spaerrede", "teamleder1").get_json() == []
    assert api.post(f"/api/auth/spaerrede/{syd.id}/ophaev", "teamleder1").status_code == 404


def test_tokens_expire_after_a_working_day(app, frozen_clock):
    app.extensions["sagsflow"]["settings"] = replace(app.extensions["sagsflow"]["settings"], token_hours=9)
    client = app.test_client()
    issued = _token(client, "raadgiver1").get_json()
    headers = {"Authorization": f"Bearer {issued['token']}"}
    assert client.get("/api/me", headers=headers).status_code == 200
    frozen_clock.advance(hours=8, minutes=59)
    assert client.get("/api/me", headers=headers).status_code == 200
    frozen_clock.advance(minutes=2)
    assert client.get("/api/me", headers=headers).status_code == 401


def test_owner_lists_and_revokes_her_tokens_and_an_admin_may_too(app, api):  # admin1 is a demo user
    client = app.test_client()
    first, second = _token(client, "raadgiver1").get_json(), _token(client, "raadgiver1").get_json()
    mine = client.get("/api/auth/tokens", headers={"Authorization": f"Bearer {first['token']}"}).get_json()
    assert {t["id"] for t in mine} >= {first["id"], second["id"]}
    assert all("token" not in t for t in mine)  # the secret is shown once, at issue
    as_first = {"Authorization": f"Bearer {first['token']}"}
    as_second = {"Authorization": f"Bearer {second['token']}"}
    assert client.delete(f"/api/auth/tokens/{second['id']}", headers=as_first).status_code == 204
    assert client.get("/api/me", headers=as_second).status_code == 401
    assert client.get("/api/me", headers=as_first).status_code == 200
    # A colleague neither sees nor revokes them; an administrator does both.
    owner_id = client.get("/api/me", headers=as_first).get_json()["id"]
    assert api.get(f"/api/auth/tokens?bruger_id={owner_id}", "raadgiver2").status_code == 403
    assert api.call("DELETE", f"/api/auth/tokens/{first['id']}", "raadgiver2").status_code == 404
    listed = api.get(f"/api/auth/tokens?bruger_id={owner_id}", "admin1").get_json()
    assert next(t for t in listed if t["id"] == second["id"])["tilbagekaldt"] is not None
    assert api.call("DELETE", f"/api/auth/tokens/{first['id']}", "admin1").status_code == 204
    assert client.get("/api/me", headers=as_first).status_code == 401


def test_a_log_in_gives_a_new_session_id_and_ends_the_one_the_browser_had(app):
    client = app.test_client()
    client.post("/api/auth/login", json={"username": "raadgiver1", "password": "demo"})
    old = client.get_cookie("sagsflow_session").value
    client.post("/api/auth/login", json={"username": "raadgiver1", "password": "demo"})
    new = client.get_cookie("sagsflow_session").value
    assert new != old
    stale = app.test_client()
    stale.set_cookie("sagsflow_session", old)
    assert stale.get("/api/me").status_code == 401
    assert client.get("/api/me").status_code == 200
