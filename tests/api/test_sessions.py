"""Browser sessions: log-in cookie, CSRF on state changes, log-out ends the session on the server."""

from __future__ import annotations

from service.demo_payloads import UNDERRETNING


def test_session_login_needs_csrf_for_changes_and_logout_ends_it(app):
    client = app.test_client()
    bad = client.post("/api/auth/login", json={"username": "raadgiver1", "password": "forkert"})
    assert bad.status_code == 401
    login = client.post("/api/auth/login", json={"username": "raadgiver1", "password": "demo"})
    assert login.status_code == 200
    csrf = login.get_json()["csrf_token"]
    assert "HttpOnly" in login.headers["Set-Cookie"]
    assert client.get("/api/me").get_json()["team"]["navn"] == "Team Nord"
    assert client.post("/api/underretninger", json=UNDERRETNING).status_code == 403
    assert client.post("/api/underretninger", json=UNDERRETNING, headers={"X-CSRF-Token": csrf}).status_code == 201
    assert client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert client.get("/api/me").status_code == 401


def test_openapi_spec_lists_the_api(app):
    spec = app.test_client().get("/api/openapi.json").get_json()
    assert {"/api/underretninger", "/api/tasks/{task_id}/complete", "/api/cases/{case_id}",
            "/api/process-versions"} <= set(spec["paths"])
    assert app.test_client().get("/api/docs").status_code == 200
