"""What `make run` shows a person: where the service is, who to log in as, one line per request, and errors.

The service is started as `make run` starts it (tests/ops/test_readme_example.py's fixture: seed-demo, then
serve with demo mode and the timer loop), its terminal output captured in serve.log.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from service.config import ROOT
from tests.ops.test_logs_hold_no_case_data import _call
from tests.ops.test_readme_example import embedded_service  # noqa: F401 - the fixture, shared

REQUEST_LINE = re.compile(r"^\d\d:\d\d:\d\d (GET|POST|PUT|DELETE|PATCH) (/\S*) (\d{3}) \d+(\.\d+)? ms( bruger \d+)?$")


def _lines_until(log: Path, wanted: str) -> list[str]:
    """The terminal's lines once one holds `wanted` (the request line is written after the answer is sent)."""
    deadline = time.monotonic() + 30
    while True:
        lines = log.read_text(encoding="utf-8").splitlines()
        if any(wanted in line for line in lines) or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


def test_the_terminal_says_where_and_who_then_one_line_per_request_without_query_values(
        embedded_service, tmp_path: Path) -> None:  # noqa: F811
    port = embedded_service
    base = f"http://127.0.0.1:{port}"
    # The control socket is this instance's own (in instance/, named by port), not one in $HOME for every instance.
    assert (ROOT / "instance" / f"gunicorn-{port}.ctl").is_socket()

    status, _, body = _call(base, "POST", "/api/auth/token", {"username": "raadgiver1", "password": "demo"})
    assert status == 201
    user_id = _call(base, "GET", "/api/me", token=body["token"])[2]["id"]
    assert _call(base, "GET", "/api/cases?q=Alma%20Jensen&limit=5", token=body["token"])[0] == 200

    lines = _lines_until(tmp_path / "serve.log", "GET /api/cases ")
    assert lines[:2] == [
        "Demo: log ind som raadgiver1, teamleder1, procesejer1, afdelingsleder1 eller admin1 med adgangskoden «demo».",
        f"Sagsflow kører på {base}/  (API-dokumentation: {base}/api/docs)"]
    requests = [REQUEST_LINE.match(line) for line in lines[2:]]
    assert all(requests), [line for line, m in zip(lines[2:], requests, strict=True) if not m]  # nothing else
    search = [m for m in requests if m.group(2) == "/api/cases"]
    assert len(search) == 1 and search[0].group(1, 3, 5) == ("GET", "200", f" bruger {user_id}")
    assert not [line for line in lines if "Alma" in line or "?" in line]
    token_line = next(m for m in requests if m.group(2) == "/api/auth/token")
    assert token_line.group(3) == "201"
