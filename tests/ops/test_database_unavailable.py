"""A database that cannot be reached is a 503 the client may retry (with Retry-After), never a 500."""

from __future__ import annotations

from dataclasses import replace

from service.app import create_app


def test_api_and_pages_answer_503_with_retry_after_while_the_database_cannot_be_reached(settings, frozen_clock):
    unreachable = replace(settings, database_url="postgresql+psycopg://sagsflow@127.0.0.1:1/ingen")
    app = create_app(unreachable)  # testing settings skip the start-up check, so the requests meet the outage
    client = app.test_client()

    api = client.get("/api/tasks", headers={"Authorization": "Bearer et-token"})
    assert api.status_code == 503
    assert api.mimetype == "application/problem+json"
    assert api.get_json()["detail"] == "Databasen kan ikke nås lige nu. Prøv igen om lidt."
    assert api.headers["Retry-After"] == "5"

    client.set_cookie("sagsflow_session", "en-session")  # a signed-in person: the page must look the session up
    page = client.get("/udvalg")
    assert page.status_code == 503
    assert "Databasen kan ikke nås lige nu" in page.get_data(as_text=True)
    assert page.headers["Retry-After"] == "5"
    app.extensions["sagsflow"]["engine"].dispose()
