"""Inbox benchmark: GET /api/tasks (first page) and the inbox page beside a bare indexed GET, one run.

    python -m bench.inbox [--children 320] [--team-open 1000] [--history 0] [--other-open 0] [--clients 4]

A throw-away PostgreSQL database with a team of 8 caseworkers: `--children` real intakes (each opens a case
and its first tasks; a tenth of the children carry overgreb), bulk copies of open tasks on the team's cases up
to `--team-open`, half of the open tasks claimed round-robin by the 8; then more bulk-inserted rows:
`--history` finished tasks in the team (years of history) and `--other-open` open tasks in another team (a
large municipality). A gunicorn subprocess answers, per phase and with the same clients: GET /api/bench/read
(the baseline), GET /api/tasks, GET /indbakke. Prints p50/p99 and the ratios (issue 15 goal: p99 ≤ 1.5 × the
bare GET's).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import secrets
import tempfile
import threading
import time
import traceback
import urllib.parse
from collections import defaultdict
from datetime import timedelta

from sqlalchemy import create_engine, text

from bench.http_lifecycle import admin_sql, cpr, ms, prepare_database, show, start_gunicorn
from service import clock
from service.access.models import User
from service.bootstrap import configure_engine
from service.cases import service as cases
from service.db import make_engine, make_session_factory
from service.demo_payloads import UNDERRETNING
from service.uow import UnitOfWork

CASEWORKERS = ["raadgiver1", "raadgiver2"] + [f"bench_r{i}" for i in range(2, 8)]

CLAIM_SQL = """
UPDATE human_tasks h SET claimed_by = u.id
FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM human_tasks WHERE status = 'aaben') t,
     (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM users WHERE username = ANY(:names)) u
WHERE h.id = t.id AND h.role = 'raadgiver' AND t.n % 2 = 0 AND u.k = (t.n / 2) % :people
"""

# Copies of real rows with new ids: finished tasks in the team, open tasks in another team.
HISTORY_SQL = """
INSERT INTO human_tasks (id, instance_id, case_id, team_id, bpmn_id, scope_id, name, role, form_key, process_name,
                         message, status, claimed_by, draft, created_at, completed_at, completed_by)
SELECT md5('historik' || i::text), t.instance_id, t.case_id, t.team_id, t.bpmn_id, md5('historik' || i::text), t.name,
       t.role, t.form_key,
       NULL, NULL, 'udfoert', NULL, NULL, t.created_at - interval '3 years', t.created_at - interval '3 years', NULL
FROM generate_series(1, :n) AS i,
     LATERAL (SELECT * FROM human_tasks OFFSET (i % 50) LIMIT 1) AS t
"""

# More open tasks on the team's own cases, up to --team-open (a case carries several open tasks at a time).
TEAM_FILL_SQL = """
INSERT INTO human_tasks (id, instance_id, case_id, team_id, bpmn_id, scope_id, name, role, form_key, status,
                         claimed_by, created_at)
SELECT md5('ekstra' || i::text), t.instance_id, t.case_id, t.team_id, t.bpmn_id, t.scope_id, t.name, t.role, t.form_key,
       'aaben', t.claimed_by, t.created_at + interval '1 second'
FROM generate_series(0, :n - 1) AS i,
     LATERAL (SELECT * FROM human_tasks WHERE status = 'aaben' ORDER BY id OFFSET (i % :have) LIMIT 1) AS t
"""

OTHER_CASES_SQL = """
INSERT INTO cases (id, sagsnummer, cpr, child_name, team_id, status, phase, akut, opened_at, version)
SELECT md5('sag' || i::text), 'B-' || i::text, lpad((i % 1000000000)::text, 10, '9'), 'Andet barn ' || i::text,
       :team, 'aaben', 'Modtaget', false, now(), 1
FROM generate_series(1, :n) AS i
"""

OTHER_TASKS_SQL = """
INSERT INTO human_tasks (id, instance_id, case_id, team_id, bpmn_id, scope_id, name, role, form_key, status,
                         created_at)
SELECT md5('andet' || i::text), t.instance_id, md5('sag' || (i / 4 + 1)::text), :team, t.bpmn_id, t.scope_id, t.name,
       t.role, t.form_key, 'aaben', now()
FROM generate_series(0, :n - 1) AS i, LATERAL (SELECT * FROM human_tasks WHERE status = 'aaben' LIMIT 1) AS t
"""


def populate(settings, args: argparse.Namespace, db) -> dict:  # noqa: ANN001
    """Real intakes for the team's children (an hour apart: deadlines differ), the rest in bulk."""
    configure_engine(settings)  # the deadline functions the models' timers call
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    frozen = clock.FrozenClock(clock.now() - timedelta(hours=20))  # the earliest are close to their deadline
    previous = clock.use(frozen)
    try:
        for start in range(0, args.children, 50):
            with UnitOfWork(factory) as uow:
                actor = uow.session.query(User).filter_by(username="raadgiver1").one()
                for n in range(start, min(start + 50, args.children)):
                    frozen.advance(minutes=3)
                    cases.receive_underretning(uow, actor, {**UNDERRETNING, "cpr": cpr(n), "barnets_navn":
                                                            f"Barn {n}", "overgreb": n % 10 == 0})
                uow.commit()
    finally:
        clock.use(previous)
        engine.dispose()
    have = db.execute(text("SELECT count(*) FROM human_tasks WHERE status = 'aaben'")).scalar()
    if args.team_open > have:
        db.execute(text(TEAM_FILL_SQL), {"n": args.team_open - have, "have": have})
    db.execute(text(CLAIM_SQL), {"names": CASEWORKERS, "people": len(CASEWORKERS)})
    if args.history:
        db.execute(text(HISTORY_SQL), {"n": args.history})
    if args.other_open:
        other = db.execute(text("SELECT id FROM teams WHERE navn = 'Team Syd'")).scalar()
        db.execute(text(OTHER_CASES_SQL), {"n": args.other_open // 4 + 1, "team": other})
        db.execute(text(OTHER_TASKS_SQL), {"n": args.other_open, "team": other})
    db.execute(text("ANALYZE"))
    counts = dict(db.execute(text("SELECT status, count(*) FROM human_tasks GROUP BY status")).all())
    team_open = db.execute(text("SELECT count(*) FROM human_tasks h JOIN teams t ON t.id = h.team_id "
                                "WHERE t.navn = 'Team Nord' AND h.status = 'aaben'")).scalar()
    return {"children": args.children, "team_open_tasks": team_open, "tasks_by_status": counts,
            "cases": db.execute(text("SELECT count(*) FROM cases")).scalar()}


class Session:
    """One keep-alive connection as one caseworker: a bearer token for the API, a cookie for the pages."""

    def __init__(self, port: int, username: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.lat: dict[str, list[float]] = defaultdict(list)
        self.failures: dict[str, int] = defaultdict(int)
        status, body, _ = self.request("POST", "/api/auth/token", json.dumps(
            {"username": username, "password": "demo"}).encode(), {"Content-Type": "application/json"})
        self.token = json.loads(body)["token"]
        form = urllib.parse.urlencode({"username": username, "password": "demo"}).encode()
        _, _, headers = self.request("POST", "/log-ind", form, {"Content-Type": "application/x-www-form-urlencoded"})
        self.cookie = headers["Set-Cookie"].split(";", 1)[0]

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, bytes, http.client.HTTPMessage]:
        self.conn.request(method, path, body=body, headers=headers or {})
        resp = self.conn.getresponse()
        return resp.status, resp.read(), resp.headers

    def timed(self, kind: str, path: str, *, page: bool = False) -> None:
        headers = {"Cookie": self.cookie} if page else {"Authorization": f"Bearer {self.token}"}
        start = time.perf_counter()
        status, _, _ = self.request("GET", path, headers=headers)
        if status == 200:
            self.lat[kind].append(time.perf_counter() - start)
        else:
            self.failures[f"{kind} {status}"] += 1


PHASES = (("bare", "/api/bench/read", False), ("api_tasks", "/api/tasks", False), ("inbox_page", "/indbakke", True))


def measure(sessions: list[Session], seconds: float, rounds: int) -> dict:
    """Each round runs the three phases one after the other, so drift on a shared machine hits all three."""
    for kind, path, page in PHASES:  # warm-up: templates, caches and connections in every worker
        for s in sessions:
            for _ in range(3):
                s.timed(f"warm_{kind}", path, page=page)
    for _ in range(rounds):
        for kind, path, page in PHASES:
            deadline = time.monotonic() + seconds / rounds

            def loop(s: Session, kind: str = kind, path: str = path, page: bool = page,
                     deadline: float = deadline) -> None:
                while time.monotonic() < deadline:
                    s.timed(kind, path, page=page)
            threads = [threading.Thread(target=loop, args=(s,)) for s in sessions]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    return {kind: ms([v for s in sessions for v in s.lat[kind]]) for kind, _, _ in PHASES}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for flag, default, help_ in (("children", 320, "real intakes in the team"),
                                 ("history", 0, "finished tasks bulk-inserted in the team"),
                                 ("other-open", 0, "open tasks bulk-inserted in another team"),
                                 ("clients", 4, "concurrent caseworkers"), ("seconds", 30.0, "per endpoint"),
                                 ("rounds", 3, "alternations of the three phases"), ("workers", 2, ""),
                                 ("threads", 4, "gthread threads per worker")):
        p.add_argument(f"--{flag}", type=type(default), default=default, help=help_ or None)
    p.add_argument("--team-open", type=int, default=1000, help="open tasks in the team (bulk copies beyond the "
                   "intakes' own)")
    p.add_argument("--pg-admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = p.parse_args(argv)
    out: dict = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
                 "config": {k: v for k, v in vars(args).items() if k != "pg_admin_url"}}
    name = f"sagsflow_bench_{secrets.token_hex(4)}"
    proc, db, failed = None, None, False
    log = tempfile.NamedTemporaryFile("w+", prefix="sagsflow_bench_inbox_", suffix=".log", delete=False)
    try:
        settings = prepare_database(args.pg_admin_url, name, len(CASEWORKERS))
        db = create_engine(settings.database_url, isolation_level="AUTOCOMMIT").connect()
        start = time.perf_counter()
        out["data"] = populate(settings, args, db)
        out["data"]["populate_s"] = round(time.perf_counter() - start, 1)
        show("Data", out["data"])
        proc, port = start_gunicorn(settings, args, log)
        sessions = [Session(port, CASEWORKERS[i % len(CASEWORKERS)]) for i in range(args.clients)]
        out["latency_ms"] = measure(sessions, args.seconds, args.rounds)
        out["failures"] = {k: v for s in sessions for k, v in s.failures.items()}
        bare = out["latency_ms"]["bare"]
        out["ratios"] = {f"{kind}_{q}_vs_bare": round(out["latency_ms"][kind][q] / bare[q], 2)
                         for kind in ("api_tasks", "inbox_page") for q in ("p50", "p99")}
        show(f"Latency, {args.clients} clients, gunicorn {args.workers}×{args.threads}", out["latency_ms"])
        show("Ratios (goal: p99 ≤ 1.5 × bare)", out["ratios"])
        failed = bool(out["failures"])
    except Exception as err:  # set-up failed: report, clean up, exit 1
        traceback.print_exc()
        out["fatal"] = f"{type(err).__name__}: {err}"
        failed = True
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(15)
        if db is not None:
            db.close()
            db.engine.dispose()
        admin_sql(args.pg_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if failed and proc:
        print(f"  gunicorn log: {log.name}")
    else:
        os.unlink(log.name)
    print(json.dumps(out, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
