"""Browser tests: the real app on a real port (SQLite), headless Debian chromium driven by Playwright."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect
from werkzeug.serving import make_server

from service import clock
from service.app import create_app
from service.cli import deploy
from service.config import ROOT
from service.demo import seed_people
from service.uow import UnitOfWork
from tests.conftest import _settings

CHROMIUM = Path("/usr/bin/chromium")
# A busy machine (two test runs side by side on two cores) can take seconds to draw a model: every wait, an
# action's and an expect(...)'s alike, gets the same 15 s before it counts as a failure.
WAIT_MS = 15_000
expect.set_options(timeout=WAIT_MS)
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
TABLET = {"width": 768, "height": 1024}


@dataclass
class LiveApp:
    url: str
    app: Flask
    clock: clock.FrozenClock

    def session_factory(self) -> Any:
        return self.app.extensions["sagsflow"]["session_factory"]


@contextmanager
def serve(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory,
          **settings_changes: Any) -> Iterator[LiveApp]:
    """The app on a real port with its own copy of the database; settings_changes as a test module needs them."""
    path = tmp_path_factory.mktemp("ui") / "sagsflow.db"
    shutil.copy(sqlite_template, path)
    settings = replace(_settings(f"sqlite:///{path}"), **settings_changes)
    # The clock is process-wide: the server thread and the test share it, so a test can move time.
    fixed = clock.FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    previous = clock.use(fixed)
    deploy(settings)
    app = create_app(settings)
    with UnitOfWork(app.extensions["sagsflow"]["session_factory"]) as unit:
        seed_people(unit)
        unit.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveApp(f"http://127.0.0.1:{server.server_port}", app, fixed)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        app.extensions["sagsflow"]["engine"].dispose()
        clock.use(previous)


@pytest.fixture(scope="module")  # its frozen clock is process-wide: put the real one back after this module
def live_app(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    with serve(sqlite_template, tmp_path_factory) as live:
        yield live


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright
    if not CHROMIUM.exists():
        pytest.fail("chromium mangler: apt-get install -y chromium (make test gør det)")
    if not AXE.exists():
        pytest.fail("axe-core mangler: byg frontend/ (make test gør det: npm ci && npm run build)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_app: LiveApp) -> Iterator[Any]:
    context = browser.new_context(base_url=live_app.url, viewport=DESKTOP, locale="da-DK")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    expected = ("status of 422", "status of 401")  # the server's answers to wrong input are part of the tests
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" and not any(code in msg.text for code in expected) else None)
    yield page
    context.close()
    assert not errors, f"fejl i browserens konsol: {errors}"


def log_in(page: Any, username: str, landing: str = "indbakke") -> None:
    page.goto("/log-ind")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill("demo")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"**/{landing}")


def log_out(page: Any) -> None:
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url("**/log-ind*")


def check_page(page: Any, name: str) -> None:
    """Screenshots at desktop and tablet size, and no serious or critical axe-core findings."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(TABLET)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-tablet.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the driver, so the page's CSP allows it
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, f"{name}: {serious}"


def fill_form(page: Any, data: dict[str, Any], prefix: str = "") -> None:
    """Fill a rendered task form from a payload, field by field, as a user would."""
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for i, item in enumerate(value):
                fill_form(page, item, f"{name}.{i}.")
            continue
        field = page.locator(f'[name="{name}"]')
        kind = field.first.evaluate("e => e.type")
        if kind == "radio":
            value = ("true" if value else "false") if isinstance(value, bool) else str(value)
            page.locator(f'[name="{name}"][value="{value}"]').check()
        elif kind == "checkbox" and isinstance(value, list):
            for item in value:
                page.locator(f'[name="{name}"][value="{item}"]').check()
        elif kind == "checkbox":
            field.set_checked(bool(value))
        elif kind == "select-one":
            field.select_option(str(value))
        else:
            field.fill("\n".join(value) if isinstance(value, list) else str(value))
