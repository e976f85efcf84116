"""New work arrives without reload: an open inbox says so after an underretning is registered for the team."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from service.demo_payloads import UNDERRETNING
from tests.support import ApiClient
from tests.ui.conftest import LiveApp, check_page, log_in, serve


@pytest.fixture(scope="module")
def live_app(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    with serve(sqlite_template, tmp_path_factory, poll_seconds=1) as live:  # a poll a second: the test waits less
        yield live


def test_an_open_inbox_tells_of_a_new_underretning_without_reloading(page: Any, live_app: LiveApp) -> None:
    log_in(page, "raadgiver1")
    badge = page.locator("#indbakke-antal")
    before = int(badge.inner_text())
    news = page.locator("#nyt")
    search = page.get_by_label("Søg i opgaverne")
    search.fill("halvt skrevet")  # she is typing: whatever comes, the page stays as it is
    expect(news).to_be_empty()
    south = ApiClient(live_app.app)
    live_app.clock.advance(minutes=5)
    answer = south.post("/api/underretninger", "raadgiver_syd", json={**UNDERRETNING, "cpr": "020220-1234"})
    assert answer.status_code == 201
    for _ in range(2):  # the second poll surely began after it: another team's new case is no news here
        with page.expect_response("**/api/indbakke/status") as polled:
            pass
        assert polled.value.ok
    expect(news).to_be_empty()
    expect(badge).to_have_text(str(before))

    answer = ApiClient(live_app.app).post("/api/underretninger", "raadgiver2", json=UNDERRETNING)
    assert answer.status_code == 201
    expect(news).to_contain_text("Nye opgaver eller beskeder – opdatér indbakken")
    expect(badge).not_to_have_text(str(before))
    expect(search).to_have_value("halvt skrevet")  # not reloaded
    check_page(page, "indbakke-nyt")
    news.get_by_role("link", name="opdatér indbakken").click()
    expect(page.locator("tr", has_text=UNDERRETNING["barnets_navn"]).first).to_be_visible()
    expect(news).to_be_empty()
