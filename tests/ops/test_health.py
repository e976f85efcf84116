"""/healthz and /readyz as a load balancer uses them: no log-in, 503 with the reason when the node cannot serve."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import text

from service.app import create_app


def test_healthz_and_readyz_answer_without_login_on_a_ready_node(app):
    client = app.test_client()
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json() == {"status": "klar"}


def test_readyz_is_503_with_the_reason_when_migrations_are_behind(app):
    engine = app.extensions["sagsflow"]["engine"]
    with engine.begin() as conn:
        head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        conn.execute(text("UPDATE alembic_version SET version_num = '0007'"))
    try:
        response = app.test_client().get("/readyz")
    finally:  # the PostgreSQL test database is shared by the session's tests
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert "sagsflow migrate" in response.get_json()["detail"]
    assert response.headers["Retry-After"] == "5"


def test_readyz_is_503_until_the_models_are_deployed(settings, frozen_clock):
    app = create_app(settings)  # the test database is migrated; nothing is deployed
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert "sagsflow deploy" in response.get_json()["detail"]
    app.extensions["sagsflow"]["engine"].dispose()


def test_readyz_is_503_when_the_database_cannot_be_reached(settings, frozen_clock):
    unreachable = replace(settings, database_url="postgresql+psycopg://sagsflow@127.0.0.1:1/ingen")
    app = create_app(unreachable)  # testing settings skip the start-up check, so the probe meets the outage
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert "Databasen kan ikke nås" in response.get_json()["detail"]
    assert app.test_client().get("/healthz").status_code == 200  # alive, just not ready


def test_pages_and_answers_are_not_stored_and_hsts_follows_secure_cookies(app):
    client = app.test_client()
    for path in ("/log-ind", "/api/tasks", "/readyz"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
    assert "Strict-Transport-Security" not in client.get("/log-ind").headers
    app.extensions["sagsflow"]["settings"] = replace(app.extensions["sagsflow"]["settings"], secure_cookies=True)
    assert client.get("/log-ind").headers["Strict-Transport-Security"].startswith("max-age=31536000")
