"""Bearer tokens are looked up once per cache lifetime; revocation in this process ends access at once, revocation
by another process within the lifetime (SAGSFLOW_TOKEN_CACHE_SECONDS, 30 s)."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from service import clock
from service.access import token_cache


def _token(client, username: str) -> dict:  # noqa: ANN001
    answer = client.post("/api/auth/token", json={"username": username, "password": "demo"})
    assert answer.status_code == 201
    return answer.get_json()


def test_a_revocation_by_another_process_ends_access_within_the_cache_lifetime(app, settings, frozen_clock):
    client = app.test_client()
    issued = _token(client, "raadgiver1")
    bearer = {"Authorization": f"Bearer {issued['token']}"}
    assert client.get("/api/me", headers=bearer).status_code == 200
    other_process = create_engine(settings.database_url)
    with other_process.begin() as conn:
        conn.execute(text("UPDATE api_tokens SET revoked_at = :now WHERE id = :id"),
                     {"now": clock.now(), "id": issued["id"]})
    other_process.dispose()
    frozen_clock.advance(seconds=29)
    assert client.get("/api/me", headers=bearer).status_code == 200  # this process has not heard yet
    frozen_clock.advance(seconds=2)
    assert client.get("/api/me", headers=bearer).status_code == 401


def test_revoking_here_ends_the_token_at_once(app):
    client = app.test_client()
    issued = _token(client, "raadgiver1")
    bearer = {"Authorization": f"Bearer {issued['token']}"}
    assert client.get("/api/me", headers=bearer).status_code == 200  # now cached
    assert client.delete(f"/api/auth/tokens/{issued['id']}", headers=bearer).status_code == 204
    assert client.get("/api/me", headers=bearer).status_code == 401


def test_deactivating_a_user_ends_her_cached_token_and_her_web_session_at_once(app, api):
    browser = app.test_client()
    login = browser.post("/api/auth/login", json={"username": "raadgiver2", "password": "demo"})
    assert login.status_code == 200
    issued = _token(app.test_client(), "raadgiver2")
    bearer = {"Authorization": f"Bearer {issued['token']}"}
    me = app.test_client().get("/api/me", headers=bearer)
    assert me.status_code == 200 and browser.get("/api/me").status_code == 200
    assert api.post(f"/api/admin/brugere/{me.get_json()['id']}/deaktiver", "admin1").status_code == 200
    assert app.test_client().get("/api/me", headers=bearer).status_code == 401
    assert browser.get("/api/me").status_code == 401


def test_a_new_role_is_seen_at_once_in_this_process(app, api):
    issued = _token(app.test_client(), "raadgiver2")
    bearer = {"Authorization": f"Bearer {issued['token']}"}
    me = app.test_client().get("/api/me", headers=bearer).get_json()
    assert me["role"] == "raadgiver"
    changed = api.call("PATCH", f"/api/admin/brugere/{me['id']}", "admin1", json={"rolle": "teamleder"})
    assert changed.status_code == 200, changed.get_json()
    assert app.test_client().get("/api/me", headers=bearer).get_json()["role"] == "teamleder"


def test_a_look_up_that_began_before_a_revocation_is_not_kept(app, uow):
    cache = token_cache.TokenCache(30)
    from service.access.models import User
    user = uow.session.query(User).filter_by(username="raadgiver1").one()
    since = cache.generation
    cache.forget_token("some other token")  # a revocation committed while the look-up ran
    cache.put("digest", user, None, since=since)
    assert cache.get(uow.session, "digest") is None
    cache.put("digest", user, None, since=cache.generation)
    assert cache.get(uow.session, "digest") is user  # the one the session already holds, no query
