"""Every route, every method, as every role, with hostile input carrying two children's CPR numbers and names:
a real gunicorn node answers none of it with a 5xx, and nothing it wrote (stdout, stderr, any file in its run
folder) holds a CPR-shaped number or the children's names. Run on PostgreSQL, and on SQLite with every second
hostile variant."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from service.config import ROOT
from tests.ops import hostile_requests as hostile
from tests.ops.hostile_requests import CHILDREN, Request, Route
from tests.ops.test_logs_hold_no_case_data import _free_port

ROLES = ("raadgiver1", "teamleder1", "procesejer1", "afdelingsleder1", "admin1", None)  # None: not logged in
# A plausible date (ddmmyy), then four digits, with or without a dash: what a CPR number looks like in text.
CPR_SHAPED = re.compile(r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d\d[-\s]?\d{4}(?!\d)")
DRIVERS = 4  # parallel clients: as many as each of the node's two workers has threads


@dataclass
class Node:
    port: int
    real: dict[str, str]
    spec: dict[str, Any]
    tokens: dict[str, str]
    sessions: dict[str, tuple[str, str]]  # role -> (cookie, CSRF token)


@dataclass(frozen=True)
class Answer:
    route: str
    role: str | None
    what: str
    status: int


@pytest.fixture(params=["sqlite", "postgresql"])
def node(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[int, Path, str, subprocess.Popen]]:
    from service.cli import deploy
    from service.db import make_engine, make_session_factory
    from service.demo import seed_people
    from service.indsatsvifte.demo import seed_catalogue
    from service.uow import UnitOfWork
    from tests.conftest import _settings, _truncate_all
    run_dir = tmp_path / "node"
    run_dir.mkdir()
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'sagsflow.db'}"
        shutil.copy(request.getfixturevalue("sqlite_template"), tmp_path / "sagsflow.db")
    else:
        url = request.getfixturevalue("postgres_url")
        _truncate_all(url)
    deploy(_settings(url))
    engine = make_engine(url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        seed_people(uow)
        seed_catalogue(uow)
        uow.commit()
    engine.dispose()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAGSFLOW_")}
    env.update({"SAGSFLOW_DATABASE_URL": url, "SAGSFLOW_BIND": f"127.0.0.1:{port}", "SAGSFLOW_WEB_WORKERS": "2",
                "SAGSFLOW_WEB_THREADS": str(DRIVERS), "SAGSFLOW_SECRET_KEY": "x" * 40, "TMPDIR": str(run_dir),
                "PROMETHEUS_MULTIPROC_DIR": str(run_dir / "prometheus"),
                "PYTHONPATH": str(ROOT)})  # this checkout's code, run from a folder of its own: all it writes is there
    with open(run_dir / "stdout.log", "w") as out, open(run_dir / "stderr.log", "w") as err:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py"),  # noqa: S603
                                   "service.app:create_app()"], env=env, cwd=run_dir, stdout=out, stderr=err)
    try:
        _wait_ready(port, server, run_dir)
        yield port, run_dir, url, server
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


def _wait_ready(port: int, server: subprocess.Popen, run_dir: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, (run_dir / "stderr.log").read_text() + (run_dir / "stdout.log").read_text()
        try:
            if _send(port, Request("GET", "/readyz"))[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail("gunicorn blev ikke klar inden for 60 s")


_connections = threading.local()


def _send(port: int, req: Request, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request over this thread's kept-alive connection (a new one if the server closed it)."""
    all_headers = {**({"Content-Type": req.content_type} if req.content_type else {}), **(headers or {})}
    for attempt in range(2):
        conn = getattr(_connections, "conn", None)
        if conn is None:
            conn = _connections.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request(req.method, req.path, body=req.body, headers=all_headers)
            response = conn.getresponse()
            body = response.read()
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                _connections.conn = None
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        except (ConnectionError, http.client.HTTPException):
            conn.close()
            _connections.conn = None
            if attempt:
                raise
    raise AssertionError("unreachable")


def _sign_in_everyone(port: int) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    tokens, sessions = {}, {}
    for role in filter(None, ROLES):
        credentials = {"username": role, "password": "demo"}
        status, _, body = _send(port, Request("POST", "/api/auth/token", json.dumps(credentials).encode(),
                                              "application/json"))
        assert status == 201, body
        tokens[role] = json.loads(body)["token"]
        status, headers, body = _send(port, Request("POST", "/log-ind", urlencode(credentials).encode(),
                                                    "application/x-www-form-urlencoded"))
        assert status == 302, body
        cookie = headers["set-cookie"].split(";", 1)[0]
        _, _, page = _send(port, Request("GET", headers["location"]), {"Cookie": cookie})
        csrf = re.search(rb'name="csrf_token" value="([^"]+)"', page)
        assert csrf, f"{role}: ingen CSRF-token på {headers['location']}"
        sessions[role] = (cookie, csrf.group(1).decode())
    return tokens, sessions


def _cases_for_the_children(port: int, token: str) -> dict[str, str]:
    """Both children's cases, received as a caseworker would; the ids that make the requests reach real data."""
    auth = {"Authorization": f"Bearer {token}"}
    case_ids = []
    for cpr, name in CHILDREN.items():
        underretning = {"cpr": cpr, "barnets_navn": name, "underretter_type": "fagperson", "kanal": "telefon",
                        "overgreb": True, "beskrivelse": f"Skolen er bekymret for {name} ({cpr})."}
        status, _, body = _send(port, Request("POST", "/api/underretninger", json.dumps(underretning).encode(),
                                              "application/json"), auth)
        assert status == 201, body
        case_ids.append(json.loads(body)["case_id"])
    _, _, body = _send(port, Request("GET", "/api/tasks?scope=alle"), auth)
    task_id = next(t["id"] for t in json.loads(body)["opgaver"] if t["case_id"] == case_ids[0])
    return {"case_id": case_ids[0], "task_id": task_id, "process_id": "sagsbehandling",
            "filename": "sagsbehandling.bpmn", "committee": "visitationsudvalg", "token_id": "999999",
            "brev_id": case_ids[1], "path:filename": "app.css"}


def _headers(node: Node, req: Request, role: str | None) -> tuple[Request, dict[str, str]]:
    if role is None:
        return req, {}
    if req.path.startswith("/api/"):
        return req, {"Authorization": f"Bearer {node.tokens[role]}"}
    cookie, csrf = node.sessions[role]
    if req.form and req.body is not None:
        req = replace(req, body=req.body + b"&csrf_token=" + csrf.encode())
    return req, {"Cookie": cookie}


def _drive(node: Node, jobs: list[tuple[Route, Request, str | None]]) -> list[Answer]:
    def one(job: tuple[Route, Request, str | None]) -> Answer:
        route, req, role = job
        req, headers = _headers(node, req, role)
        try:
            status, answer_headers, _ = _send(node.port, req, headers)
        except (OSError, http.client.HTTPException) as err:  # no answer, or one no client could read
            return Answer(route.label, role, f"{req.what}: {type(err).__name__}", 599)
        return Answer(route.label, role, req.what, status)

    with ThreadPoolExecutor(DRIVERS) as pool:
        return list(pool.map(one, jobs))


def _admitted(answers: list[Answer], route: Route) -> list[str | None]:
    """The roles the route let in (neither 401/403 nor a redirect to the log-in page): they get the deep variants."""
    admitted = [a.role for a in answers if a.route == route.label and a.status not in (401, 403, 302, 303)]
    return admitted or list(ROLES)


def _hostile_run(node: Node, routes: list[Route], every: int = 1) -> list[Answer]:
    form_names, query_names = hostile.form_field_names(), hostile.form_field_names(task_forms=False)
    probes = [(r, hostile.plain(r, _real_for(node, r), node.spec), role) for r in routes for role in ROLES]
    answers = _drive(node, probes)
    variants = []
    for route in routes:
        roles = _admitted(answers, route)
        for i, req in enumerate(hostile.hostile(route, _real_for(node, route), node.spec, form_names,
                                                    query_names)):
            variants.append((route, req, roles[i % len(roles)]))
    return answers + _drive(node, variants[::every])


def _real_for(node: Node, route: Route) -> dict[str, str]:
    real = dict(node.real)
    if route.rule.startswith("/modeller/tabeller/"):
        real["filename"] = "triage.dmn"
    elif route.converters.get("filename") == "PathConverter":
        real["filename"] = real["path:filename"]
    return real


def _header_attacks(node: Node) -> list[Answer]:
    """A CPR number or name where a request id, a token or a session cookie belongs."""
    cpr, name = next(iter(CHILDREN.items()))
    attacks = [{"X-Request-ID": cpr}, {"X-Request-ID": name.encode().decode("latin-1")},
               {"Authorization": f"Bearer {cpr}"}, {"Authorization": f"Basic {cpr}"},
               {"Cookie": f"sagsflow_session={cpr}"}, {"X-Forwarded-For": cpr}]
    answers = []
    for headers in attacks:
        for path in ("/api/cases", "/sager", "/api/me"):
            status = _send(node.port, Request("GET", path), headers)[0]
            answers.append(Answer(f"GET {path}", None, f"header {next(iter(headers))}", status))
    return answers


def _leaks(run_dir: Path) -> tuple[int, list[str]]:
    """Every line the node wrote that holds a CPR-shaped number, a child's name or a masked CPR."""
    names = {part for name in CHILDREN.values() for part in re.split(r"[\s-]", name)} | set(CHILDREN.values())
    needles = {n.lower() for n in names} | {json.dumps(n)[1:-1].lower() for n in names} | {
        cpr.replace("-", "") for cpr in CHILDREN} | {"cpr skjult"}
    scanned, found = 0, []
    for path in sorted(p for p in run_dir.rglob("*") if p.is_file()):
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            scanned += 1
            lowered = line.lower()  # (the node never makes a request id with ten digits in a row)
            if CPR_SHAPED.search(line) or any(n in lowered for n in needles):
                found.append(f"{path.name}:{number}: {line[:300]}")
    return scanned, found


def test_hostile_input_on_every_route_gives_no_5xx_and_leaves_no_cpr_or_name_in_what_the_node_wrote(node):
    from service.app import create_app
    from tests.conftest import _settings
    port, run_dir, url, server = node
    started = time.monotonic()
    app = create_app(_settings(url))
    spec = json.loads(_send(port, Request("GET", "/api/openapi.json"))[2])
    live = Node(port, {}, spec, {}, {})
    live.tokens, live.sessions = _sign_in_everyone(port)
    live.real = _cases_for_the_children(port, live.tokens["raadgiver1"])
    users = json.loads(_send(port, Request("GET", "/api/admin/brugere"),
                             {"Authorization": f"Bearer {live.tokens['admin1']}"})[2])
    live.real["user_id"] = str(next(u["id"] for u in users if u["brugernavn"] == "raadgiver2"))
    routes = hostile.routes(app, spec)
    app.extensions["sagsflow"]["engine"].dispose()
    session_enders = [r for r in routes if r.rule in ("/api/auth/logout", "/log-ud")]
    answers = _header_attacks(live)
    # PostgreSQL gets every hostile variant (its types are the strict ones: NUL bytes, numbers out of range);
    # SQLite every plain probe and every second variant, which keeps the suite's time within its budget.
    every = 2 if url.startswith("sqlite") else 1
    answers += _hostile_run(live, [r for r in routes if r not in session_enders], every)
    answers += _hostile_run(live, session_enders, every)
    driven = time.monotonic() - started

    server.send_signal(signal.SIGTERM)  # stopped: all it wrote, its last lines and its shutdown included
    server.wait(timeout=30)
    scanned, leaks = _leaks(run_dir)
    failures = sorted({f"{a.status} {a.route} som {a.role or 'anonym'}: {a.what}" for a in answers
                       if a.status >= 500})
    pairs = {(a.route, a.role) for a in answers}
    print(f"\nCPR-scanning: {len(answers)} forespørgsler på {len({a.route for a in answers})} adresser × metoder, "
          f"{len(pairs)} adresse × metode × rolle, på {driven:.0f} s; {scanned} linjer skannet, "
          f"{len(leaks)} lækager; svar: {sorted(Counter(a.status for a in answers).items())}")
    unchecked = [line[:300] for line in (run_dir / "stdout.log").read_text().splitlines()
                 if "Databasen afviste en værdi" in line]
    assert not failures, "\n".join(failures[:80])
    assert not unchecked, "felter uden kontrol, som databasen måtte afvise:\n" + "\n".join(unchecked)
    assert not leaks, "\n".join(leaks[:80])
