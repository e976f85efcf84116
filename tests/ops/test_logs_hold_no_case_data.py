"""A real gunicorn node serves a case's life, hostile input and a database failure: its logs are JSON lines
with request ids, and not one of them holds the child's CPR number or name."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any

import pytest
from sqlalchemy import text

from service.config import ROOT

CPR = "070619-1234"
NAME = "Viggo Sørensen-Quist"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(base: str, method: str, path: str, body: Any = None, token: str | None = None,
          raw: bytes | None = None) -> tuple[int, dict[str, str], Any]:
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(base + path, data=data, method=method)  # noqa: S310 - loopback only
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback test server
            payload = response.read()
            return response.status, dict(response.headers), json.loads(payload) if payload else None
    except urllib.error.HTTPError as err:
        payload = err.read()
        return err.code, dict(err.headers), json.loads(payload) if payload else None


def _wait_ready(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn stoppede under opstart"
        try:
            if _call(base, "GET", "/readyz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail("gunicorn blev ikke klar inden for 60 s")


@pytest.fixture
def node(postgres_url, tmp_path):  # noqa: ANN001, ANN201
    from service.cli import deploy
    from service.db import make_engine, make_session_factory
    from service.demo import seed_people
    from service.uow import UnitOfWork
    from tests.conftest import _settings, _truncate_all
    _truncate_all(postgres_url)
    settings = _settings(postgres_url)
    deploy(settings)
    engine = make_engine(postgres_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        seed_people(uow)
        uow.commit()
    port = _free_port()
    log_path = tmp_path / "gunicorn.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAGSFLOW_")}
    env.update({"SAGSFLOW_DATABASE_URL": postgres_url, "SAGSFLOW_BIND": f"127.0.0.1:{port}",
                "SAGSFLOW_WEB_WORKERS": "1", "SAGSFLOW_SECRET_KEY": "x" * 40})
    with open(log_path, "w") as log:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
                                   "service.app:create_app()"], env=env, cwd=ROOT, stdout=log,
                                  stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, server)
        yield base, engine, log_path
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        with engine.begin() as conn:
            conn.execute(text("DROP TRIGGER IF EXISTS drill_fail ON cases"))
        engine.dispose()


def test_no_cpr_or_childs_name_reaches_the_log_even_through_a_database_error(node):
    base, engine, log_path = node
    status, _, body = _call(base, "POST", "/api/auth/token", {"username": "raadgiver1", "password": "demo"})
    token = body["token"]
    underretning = {"cpr": CPR, "barnets_navn": NAME, "underretter_type": "fagperson", "kanal": "telefon",
                    "overgreb": False, "beskrivelse": f"Bekymring for {NAME}."}

    # Hostile input is refused per field before it reaches the database.
    status, headers, body = _call(base, "POST", "/api/underretninger", {**underretning, "barnets_navn": NAME + "\0"},
                                  token)
    assert status == 422 and body["errors"] == [{"field": "barnets_navn",
                                                 "message": "Feltet indeholder et ugyldigt kontroltegn."}]
    assert _call(base, "POST", "/api/underretninger", raw=b'{"cpr": "' + CPR.encode() + b'",', token=token)[0] == 400
    assert _call(base, "GET", f"/api/cases?q={CPR}", token=token)[0] in (200, 422)

    # The database itself fails while the row with the CPR and the name is written.
    with engine.begin() as conn:
        conn.execute(text("CREATE OR REPLACE FUNCTION drill_fail() RETURNS trigger AS $$ BEGIN "
                          "RAISE EXCEPTION 'disken er fuld (øvelse)'; END $$ LANGUAGE plpgsql"))
        conn.execute(text("CREATE TRIGGER drill_fail BEFORE INSERT ON cases FOR EACH ROW "
                          "EXECUTE FUNCTION drill_fail()"))
    status, headers, body = _call(base, "POST", "/api/underretninger", underretning, token)
    assert status == 500 and headers["Content-Type"] == "application/problem+json"
    assert not any(c.isdigit() for c in headers.get("Server", ""))  # no version for an attacker to look up
    assert headers["X-Request-ID"] in body["detail"]  # the person can quote the id the log line carries
    failed_request = headers["X-Request-ID"]
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER drill_fail ON cases"))

    # And the same case's normal life.
    status, _, created = _call(base, "POST", "/api/underretninger", underretning, token)
    assert status == 201
    assert _call(base, "GET", f"/api/cases/{created['case_id']}", token=token)[0] == 200

    time.sleep(0.5)  # let the worker flush its last lines (log buffering, not a timer)
    written = log_path.read_text()
    assert CPR not in written and CPR.replace("-", "") not in written and "070619" not in written
    assert "Sørensen-Quist" not in written and "Viggo" not in written
    assert "cpr skjult" not in written  # nothing even tried: the mask is a last guard, not the mechanism
    lines = [json.loads(line) for line in written.splitlines() if line.strip()]  # every line is one JSON object
    errors = [line for line in lines if line.get("request_id") == failed_request and "exc" in line]
    assert errors and "disken er fuld" in errors[0]["exc"] and "parameters hidden" in errors[0]["exc"]
    requests = [line for line in lines if line.get("logger") == "sagsflow.request"]
    assert any(r["path"] == "/api/cases" for r in requests)  # the CPR search, logged without its query
    assert all("?" not in r["path"] for r in requests) and all("duration_ms" in r for r in requests)
    assert any(r["status"] == 201 and r.get("user_id") and r["path"] == "/api/underretninger" for r in requests)
