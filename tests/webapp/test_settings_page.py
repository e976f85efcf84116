"""«Mine indstillinger» and the polling hooks every casework page carries."""

from __future__ import annotations

from tests.webapp.test_pages import _log_in


def test_a_caseworker_chooses_a_daily_digest_and_a_wrong_value_is_refused_in_danish(app) -> None:  # noqa: ANN001
    client, csrf = _log_in(app)
    page = client.get("/mine-indstillinger").get_data(as_text=True)
    assert "Mine indstillinger" in page and 'value="straks" checked' in page
    saved = client.post("/mine-indstillinger", data={"csrf_token": csrf, "email_frekvens": "dagligt"})
    assert saved.status_code == 302 and saved.headers["Location"] == "/mine-indstillinger"
    page = client.get("/mine-indstillinger").get_data(as_text=True)
    assert "Dine indstillinger er gemt." in page and 'value="dagligt" checked' in page
    wrong = client.post("/mine-indstillinger", data={"csrf_token": csrf, "email_frekvens": "hver time"})
    assert wrong.status_code == 422 and "Vælg straks, dagligt eller aldrig." in wrong.get_data(as_text=True)
    assert client.post("/mine-indstillinger", data={"email_frekvens": "aldrig"}).status_code == 403  # no CSRF field
    assert 'value="dagligt" checked' in client.get("/mine-indstillinger").get_data(as_text=True)


def test_pages_carry_the_poll_interval_and_polling_keeps_no_idle_session_alive(app, frozen_clock) -> None:  # noqa: ANN001
    client, _ = _log_in(app)
    page = client.get("/indbakke").get_data(as_text=True)
    assert 'data-status="/api/indbakke/status" data-interval="30"' in page
    assert 'id="indbakke-antal"' in page and 'id="nyt" role="status"' in page and "nyt.js" in page
    for _ in range(4):  # the tab left open over lunch: 40 minutes of polls, no page opened
        frozen_clock.advance(minutes=10)
        assert client.get("/api/indbakke/status").status_code in (200, 401)
    assert client.get("/api/indbakke/status").status_code == 401  # idle after 30 minutes, polls or not
    assert client.get("/indbakke").headers["Location"].startswith("/log-ind")
