"""HTTP benchmark: whole case lifecycles vs a bare journal write, and per-step cost on a long-lived case.

    python -m bench.http_lifecycle [--clients 4] [--seconds 30] [--workers 2] [--json out.json]

Uses a throw-away PostgreSQL database and a gunicorn subprocess on 127.0.0.1; both are removed
afterwards. Prints a report; the same numbers go as JSON to --json, or else to stdout's last line.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, defaultdict
from datetime import date
from importlib.metadata import version as dist_version

from sqlalchemy import create_engine, text

from bench.sql_count import sql_per_request
from service.access.models import User
from service.access.service import hash_password
from service.cli import deploy, migrate
from service.config import ROOT, Settings
from service.db import make_engine, make_session_factory
from service.demo import seed_people
from service.demo_payloads import UNDERRETNING, form
from service.indsatsvifte.demo import seed_catalogue
from service.uow import UnitOfWork

# The server runs on the real clock: dates that start follow-up deadlines are today, so no follow-up is
# already overdue (an overdue one escalates to the team leader and keeps the case open).
TODAY = date.today().isoformat()
_DATED = {"afgoerelse": {"afgoerelsesdato": TODAY}, "ivaerksaettelse": {"startdato": TODAY}}
FORTSAET = form("opfoelgning", udfald="fortsaet", opfoelgning_dato=TODAY)
TO_MEASURE = [(k, form(k, **_DATED.get(k, {}))) for k in (
    "registrering", "kvittering", "tilbagemelding_underretter", "vurdering_24t", "faglig_vurdering",
    "bfu_beslutning", "bfu", "barnets_plan", "indstilling", "afgoerelse", "ivaerksaettelse")]
CLOSING = [("opfoelgning", form("opfoelgning", udfald="afslut", opfoelgning_dato=TODAY)),
           ("afslutning", form("afslutning"))]
LIFECYCLE = [*TO_MEASURE, ("opfoelgning", FORTSAET), ("opfoelgning", FORTSAET), *CLOSING]  # 15 completions


class ApiError(Exception):
    """A failed request; already counted in Errors."""


def cpr(n: int) -> str:
    """A distinct valid CPR per n (births 2012–2024; a 7th digit of 4–9 means 20xx for those years)."""
    serial, rest = n % 6000, n // 6000
    day, rest = rest % 28 + 1, rest // 28
    month, rest = rest % 12 + 1, rest // 12
    return f"{day:02d}{month:02d}{12 + rest % 13:02d}-{4000 + serial:04d}"


class Errors:
    """Shared by all threads: counts by request kind and status, one example per kind, the abort switch."""

    def __init__(self, limit: int) -> None:
        self.limit, self.lock, self.stop = limit, threading.Lock(), threading.Event()
        self.counts: Counter[str] = Counter()
        self.examples: list[dict] = []

    def add(self, kind: str, status: str, request: str, body: bytes | None, response: bytes) -> None:
        with self.lock:
            self.counts[f"{kind} {status}"] += 1
            if self.counts[f"{kind} {status}"] == 1 and len(self.examples) < 5:
                self.examples.append({"request": request, "body": (body or b"").decode()[:2000], "status": status,
                                      "response": response.decode(errors="replace")[:2000]})
            if self.counts.total() > self.limit:
                self.stop.set()


class Client:
    """One keep-alive connection acting as one caseworker (and as teamleder1 for the team leader's tasks)."""

    def __init__(self, port: int, errors: Errors, intake_lock: threading.Lock | None) -> None:
        self.port, self.errors, self.conn = port, errors, None
        self.user = self.leader = ""
        self.lat: dict[str, list[float]] = defaultdict(list)  # seconds, successful requests only
        self.intake_lock = intake_lock or contextlib.nullcontext()

    def call(self, method: str, path: str, body: dict | None, kind: str, token: str | None = None) -> dict:
        payload = json.dumps(body).encode() if body is not None else None
        token = self.user if token is None else token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        # gunicorn keeps idle connections for 60 s (--keep-alive) and the phases follow each other,
        # so a dropped connection is an error, not something to retry.
        self.conn = self.conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=payload, headers=headers)
            resp = self.conn.getresponse()
            raw = resp.read()
        except (OSError, http.client.HTTPException) as err:
            self.close()
            self.errors.add(kind, type(err).__name__, f"{method} {path}", payload, b"")
            raise ApiError(kind) from err
        elapsed = time.perf_counter() - start
        if resp.will_close:
            self.close()
        if not 200 <= resp.status < 300:
            self.errors.add(kind, str(resp.status), f"{method} {path}", payload, raw)
            raise ApiError(kind)
        self.lat[kind].append(elapsed)
        return json.loads(raw) if raw else {}

    def complete(self, tasks: list, bpmn_id: str, data: dict, kind: str = "complete") -> dict:
        """Complete the open task `bpmn_id` found in the previous answer's task list."""
        task = next((t for t in tasks if t["bpmn_id"] == bpmn_id), None)
        if task is None:
            self.errors.add(kind, "no-task", f"complete {bpmn_id}", None, str([t["bpmn_id"] for t in tasks]).encode())
            raise ApiError(bpmn_id)
        token = self.leader if task["rolle"] == "teamleder" else self.user
        return self.call("POST", f"/api/tasks/{task['id']}/complete", {"data": data}, kind, token)

    def walk(self, n: int, steps: list, deadline: float | None = None) -> tuple | None:
        """Receive an underretning for a new child and complete `steps`; None if the deadline came first."""
        body = {**UNDERRETNING, "cpr": cpr(n), "barnets_navn": f"Barn {n}"}
        with self.intake_lock:
            received = self.call("POST", "/api/underretninger", body, "underretning")
        if received["joined"]:  # it joined an open case instead of starting one
            self.errors.add("underretning", "joined", "POST /api/underretninger", json.dumps(body).encode(), b"")
            raise ApiError("CPR not unique")
        result = {"naeste_opgaver": self.call("GET", f"/api/cases/{received['case_id']}", None,
                                              "case_read")["aktiviteter"]}
        for bpmn_id, data in steps:
            if deadline is not None and time.monotonic() >= deadline:
                return None
            result = self.complete(result["naeste_opgaver"], bpmn_id, data)
        return received["case_id"], result

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None


def run_threads(clients: list[Client], target, seconds: float) -> tuple[float, float]:
    """Run `target(client, deadline)` in one thread per client; wall time and this process's CPU share."""
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=target, args=(c, deadline)) for c in clients]
    start, cpu = time.perf_counter(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    return wall, round((time.process_time() - cpu) / wall, 2)


def ms(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    s = sorted(values)
    pick = lambda q: round(s[min(len(s) - 1, int(q * len(s)))] * 1000, 2)  # noqa: E731
    return {"n": len(s), "p50": pick(0.5), "p90": pick(0.9), "p99": pick(0.99),
            "mean": round(statistics.fmean(s) * 1000, 2)}


def show(title: str, d: dict) -> None:
    print(f"\n{title}\n  " + ", ".join(f"{k} {v}" for k, v in d.items() if not isinstance(v, dict)), flush=True)
    for k, v in d.items():
        if isinstance(v, dict) and v.get("n"):
            print(f"  {k.removesuffix('_ms'):<13} p50 {v['p50']:7.1f} ms   p90 {v['p90']:7.1f}   p99 {v['p99']:7.1f}"
                  f"   n={v['n']}")


def admin_sql(admin_url: str, sql: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(sql))
    admin.dispose()


def prepare_database(admin_url: str, name: str, clients: int) -> Settings:
    admin_sql(admin_url, f'CREATE DATABASE "{name}"')
    settings = Settings(database_url=admin_url.rsplit("/", 1)[0] + f"/{name}", secret_key=secrets.token_hex(32),
                        bench_endpoint=True)
    migrate(settings)
    if not deploy(settings):
        raise RuntimeError(f"no process model to deploy in {settings.workflows_dir}")
    engine = make_engine(settings.database_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        team_id = seed_people(uow)["raadgiver1"].team_id
        seed_catalogue(uow)  # iværksættelse picks its measure and provider from the indsatsvifte
        pw = hash_password("demo")  # one (deliberately slow) hash for all extra users
        uow.session.add_all(User(username=f"bench_r{i}", full_name=f"Bench Rådgiver {i}", role="raadgiver",
                                 team_id=team_id, password_hash=pw, active=True) for i in range(2, clients))
        uow.commit()
    engine.dispose()
    return settings


def start_gunicorn(settings: Settings, args: argparse.Namespace, log) -> tuple[subprocess.Popen, int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # The embedded loop (the default without Celery) makes the letters' PDFs after the completions' commits, in
    # the same workers: their cost stays in the measurement, only outside the completion's answer.
    env = {**os.environ, "SAGSFLOW_DATABASE_URL": settings.database_url, "SAGSFLOW_SECRET_KEY": settings.secret_key,
           "SAGSFLOW_BENCH_ENDPOINT": "1", "SAGSFLOW_TIMER_LOOP": "1"}
    cmd = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
           "--worker-class", "gthread", "--threads", str(args.threads), "--keep-alive", "60",
           "--graceful-timeout", "5", "service.app:create_app()"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    until = time.monotonic() + 60
    while time.monotonic() < until and proc.poll() is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/api/openapi.json")
            if conn.getresponse().status == 200:
                return proc, port
        except OSError:
            time.sleep(0.2)
        finally:
            conn.close()
    proc.kill()
    raise RuntimeError(f"gunicorn did not answer /api/openapi.json (exit code {proc.poll()})")


def long_case(c: Client, counter, rounds: int, samples: int, db) -> dict:
    """Sequential opfoelgning rounds on one case; each round's latency is the median over `samples` cases."""
    per_round: list[list[float]] = [[] for _ in range(rounds)]
    state_bytes = []
    sql = text("SELECT length(state) FROM process_instances WHERE case_id = :c")
    for _ in range(samples):
        case_id, result = c.walk(next(counter), TO_MEASURE)
        sizes = []
        for r in range(rounds):
            result = c.complete(result["naeste_opgaver"], "opfoelgning", FORTSAET, "long")
            per_round[r].append(c.lat["long"][-1])
            if r in (0, rounds - 1):
                sizes.append(db.execute(sql, {"c": case_id}).scalar())
        for key, data in CLOSING:
            result = c.complete(result["naeste_opgaver"], key, data, "long_other")
        if result["sag_status"] != "afsluttet":
            c.errors.add("long", "not-closed", "afslutning", None, json.dumps(result).encode())
        state_bytes.append(sizes)
    med = [statistics.median(v) * 1000 for v in per_round]
    early = statistics.median(v for r in per_round[:3] for v in r) * 1000
    late = statistics.median(v for r in per_round[-3:] for v in r) * 1000
    return {"rounds": rounds, "samples": samples, "first_ms": round(med[0], 2), "last_ms": round(med[-1], 2),
            "ratio_last_first": round(med[-1] / med[0], 3), "first3_ms": round(early, 2), "last3_ms": round(late, 2),
            "ratio_last3_first3": round(late / early, 3),
            "median_ms_per_10_rounds": [round(statistics.median(med[i:i + 10]), 2) for i in range(0, rounds, 10)],
            "state_bytes_first_last": state_bytes}


def letter_pdfs(db, errors: Errors, wait_s: float = 60.0) -> dict:
    """The letters the lifecycles made, and how long after the phase their last PDF was ready (before the
    baseline phase starts, so a backlog does not load it)."""
    waiting = text("SELECT count(*) FROM breve WHERE pdf IS NULL")
    at_end, started = db.execute(waiting).scalar(), time.monotonic()
    left = at_end
    while left and time.monotonic() - started < wait_s:
        time.sleep(0.2)
        left = db.execute(waiting).scalar()
    if left:
        errors.add("letter_pdfs", "not-made", f"{left} PDFs still waiting {wait_s:g} s after the phase", None, b"")
    return {"letters": db.execute(text("SELECT count(*) FROM breve")).scalar(), "pdf_waiting_at_phase_end": at_end,
            "pdf_drained_s": round(time.monotonic() - started, 2), "pdf_still_waiting": left}


def measure(args: argparse.Namespace, clients: list[Client], out: dict, db, settings: Settings) -> None:
    errors, counter, closed = clients[0].errors, itertools.count(), Counter()
    users = ["raadgiver1", "raadgiver2"] + [f"bench_r{i}" for i in range(2, len(clients))]
    for c, user in zip(clients, users, strict=False):
        for attr, name in (("user", user), ("leader", "teamleder1")):
            login = {"username": name, "password": "demo"}
            setattr(c, attr, c.call("POST", "/api/auth/token", login, "auth", "")["token"])

    def lifecycles(c: Client, deadline: float) -> None:
        while time.monotonic() < deadline and not errors.stop.is_set():
            try:
                done = c.walk(next(counter), LIFECYCLE, deadline)
            except ApiError:
                continue
            if done is not None and done[1]["sag_status"] == "afsluttet":
                closed[id(c)] += 1
            elif done is not None:
                errors.add("lifecycle", "not-closed", "afslutning", None, json.dumps(done[1]).encode())

    def writes(c: Client, deadline: float) -> None:
        for k in itertools.count():
            if time.monotonic() >= deadline or errors.stop.is_set():
                return
            with contextlib.suppress(ApiError):  # the completions' own bodies, so the same sizes
                c.call("POST", "/api/bench/write", {"data": LIFECYCLE[k % len(LIFECYCLE)][1]}, "write")

    run_threads(clients, lifecycles, min(5.0, args.seconds))  # warm-up: spec caches in every worker
    for c in clients:
        c.lat.clear()
    closed.clear()
    if errors.stop.is_set():
        return
    wall, cpu = run_threads(clients, lifecycles, args.seconds)
    comp, und, reads = ([v for c in clients for v in c.lat.pop(k, [])] for k in ("complete", "underretning",
                                                                                 "case_read"))
    lc = out["lifecycle"] = {
        "wall_s": round(wall, 2), "client_cpu_cores": cpu, "cases": closed.total(),
        "cases_per_s": round(closed.total() / wall, 2), "completions_per_s": round(len(comp) / wall, 1),
        "requests_per_s": round((len(comp) + len(und) + len(reads)) / wall, 1),
        "complete_ms": ms(comp), "underretning_ms": ms(und), "case_read_ms": ms(reads)}
    show("Lifecycle phase: whole cases, every request timed", lc)
    out["letter_pdfs"] = letter_pdfs(db, errors)
    show("Letters' PDFs, made after commit by the loop in the gunicorn workers", out["letter_pdfs"])
    if errors.stop.is_set():
        return

    wall, cpu = run_threads(clients, writes, args.seconds)
    w = [v for c in clients for v in c.lat.pop("write", [])]
    size = round(statistics.fmean(len(json.dumps({"data": d})) for _, d in LIFECYCLE))
    bl = out["baseline"] = {"wall_s": round(wall, 2), "client_cpu_cores": cpu, "writes_per_s": round(len(w) / wall, 1),
                            "write_ms": ms(w), "body_bytes_mean": size}
    r = out["ratios"] = {
        "completions_per_s_vs_writes_per_s": round(lc["completions_per_s"] / bl["writes_per_s"], 3),
        "all_lifecycle_requests_per_s_vs_writes_per_s": round(lc["requests_per_s"] / bl["writes_per_s"], 3),
        "complete_p50_vs_write_p50": round(lc["complete_ms"]["p50"] / bl["write_ms"]["p50"], 2),
        "complete_p99_vs_write_p99": round(lc["complete_ms"]["p99"] / bl["write_ms"]["p99"], 2)}
    show("Baseline phase: POST /api/bench/write with the completions' own bodies", bl)
    show("Ratios (goal: completions/s ÷ writes/s ≥ 0.8)", r)
    if errors.stop.is_set():
        return

    sql = out["sql"] = sql_per_request(settings, LIFECYCLE, cpr(next(counter)), cpr(next(counter)))
    show("SQL statements per request, the same app in this process (goal: ≤ 8 per completion)",
         {k: v for k, v in sql.items() if k != "per_task"})
    print("  per task: " + ", ".join(f"{k} {v}" for k, v in sql["per_task"].items()), flush=True)

    out["long_case"] = long_case(clients[0], counter, args.rounds, args.samples, db)
    show("Long-lived case: opfoelgning rounds, one client, sequential (goal: last ÷ first ≤ 1.2)", out["long_case"])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for flag, default, help_ in (("clients", 4, ""), ("seconds", 30.0, "per throughput phase"), ("workers", 2, ""),
                                 ("threads", 4, "gthread threads per worker"), ("max-errors", 5, "abort above this"),
                                 ("rounds", 40, "follow-up rounds on the long-lived case"),
                                 ("samples", 3, "long-lived cases to take the median over")):
        p.add_argument(f"--{flag}", type=type(default), default=default, help=help_ or None)
    p.add_argument("--serial-underretning", action="store_true",
                   help="one underretning at a time across clients (avoids concurrent sagsnummer clashes)")
    p.add_argument("--pg-admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--json", help="write the results here instead of stdout's last line")
    args = p.parse_args(argv)

    out: dict = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
                 "versions": {d: dist_version(d) for d in ("SpiffWorkflow", "Flask", "SQLAlchemy", "psycopg")},
                 "config": {k: v for k, v in vars(args).items() if k not in ("json", "pg_admin_url")}}
    name = f"sagsflow_bench_{secrets.token_hex(4)}"
    errors = Errors(args.max_errors)
    proc, clients, db = None, [], None
    log = tempfile.NamedTemporaryFile("w+", prefix="sagsflow_bench_gunicorn_", suffix=".log", delete=False)
    try:
        settings = prepare_database(args.pg_admin_url, name, args.clients)
        # Autocommit: an idle open transaction would hold back vacuum for the whole run.
        db = create_engine(settings.database_url, isolation_level="AUTOCOMMIT").connect()
        out["versions"].update(gunicorn=dist_version("gunicorn"), Python=platform.python_version(),
                               PostgreSQL=db.execute(text("SHOW server_version")).scalar())
        proc, port = start_gunicorn(settings, args, log)
        intake = threading.Lock() if args.serial_underretning else None
        clients = [Client(port, errors, intake) for _ in range(args.clients)]
        print(f"Sagsflow HTTP benchmark — {os.cpu_count()} CPUs, {platform.platform()}\n  "
              + ", ".join(f"{k} {v}" for k, v in out["versions"].items()) +
              f"\n  gunicorn gthread {args.workers} workers × {args.threads} threads; {args.clients} clients × "
              f"{args.seconds:g} s per phase{'; serial underretninger' if intake else ''}; database {name}",
              flush=True)
        measure(args, clients, out, db, settings)
    except ApiError:
        pass  # counted in `errors`, reported below
    except Exception as err:  # set-up failed (migration, deploy, server start): report, clean up, exit 1
        traceback.print_exc()
        out["fatal"] = f"{type(err).__name__}: {err}"
    finally:
        for c in clients:
            c.close()
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        if db is not None:
            db.close()
            db.engine.dispose()
        admin_sql(args.pg_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    out["errors"] = {"counts": dict(errors.counts), "examples": errors.examples, "aborted": errors.stop.is_set()}
    failed = bool(errors.counts) or "fatal" in out
    print(f"\nErrors: {dict(errors.counts) or 'none'}{' — ABORTED' if errors.stop.is_set() else ''}")
    for x in errors.examples:
        print(f"  {x['request']} -> {x['status']}\n    request: {x['body'][:600]}\n    response: {x['response'][:999]}")
    if failed and proc:
        print(f"  gunicorn log: {log.name}")
    else:
        os.unlink(log.name)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2, ensure_ascii=False)
    else:
        print(json.dumps(out, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
