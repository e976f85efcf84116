"""Timer-firing benchmark: real Celery beat + workers firing 24-hour deadlines among many open timers.

    python -m bench.timers [--open 1000000] [--due 3000] [--rate 50] [--burst 2000] [--workers 2] [--json out.json]

Throw-away PostgreSQL database, Redis db 14 (flushed), worker/beat subprocesses on loopback; all removed
afterwards. Prints a report; the same numbers go as JSON to --json, or else to stdout's last line.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime, timedelta

import redis
from celery import Celery
from sqlalchemy import create_engine, text

BROKER = os.environ.get("SAGSFLOW_BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")
NOOP_QUEUE = "bench_noop"

# A tiny app for the no-op baseline: same broker and settings as tasks.celery_app, its own queue.
noop_app = Celery("bench", broker=BROKER)
noop_app.conf.update(task_acks_late=True, task_reject_on_worker_lost=True, worker_prefetch_multiplier=1,
                     task_ignore_result=True, broker_connection_retry_on_startup=True,
                     task_default_queue=NOOP_QUEUE)
_redis: redis.Redis | None = None


@noop_app.task(name="bench.noop")
def noop(total: int) -> None:
    """Does nothing but count itself, and note the time of the first and last completion."""
    global _redis
    _redis = _redis or redis.Redis.from_url(BROKER)
    n = _redis.incr("bench:noop:done")
    if n == 1 or n == total:
        _redis.set(f"bench:noop:{'first' if n == 1 else 'last'}", repr(time.time()))


def lag_stats(lags: list[float]) -> dict:
    if not lags:
        return {"n": 0}
    s = sorted(lags)
    pick = lambda q: round(s[min(len(s) - 1, int(q * len(s)))], 3)  # noqa: E731
    return {"n": len(s), "p50": pick(0.5), "p90": pick(0.9), "p99": pick(0.99), "max": round(s[-1], 3),
            "mean": round(statistics.fmean(s), 3)}


def create_cases(factory, actor, first_n: int, dues: list[datetime]) -> None:  # noqa: ANN001
    """One real intake per due time: received 24 h before it, registered 12 h + 1 s later (advis already due)."""
    from bench.http_lifecycle import cpr
    from service import clock
    from service.cases import service as cases
    from service.demo_payloads import UNDERRETNING
    from service.uow import UnitOfWork
    frozen = clock.FrozenClock(dues[0])
    previous = clock.use(frozen)
    try:
        for start in range(0, len(dues), 100):
            with UnitOfWork(factory) as uow:
                for k, due in enumerate(dues[start:start + 100], start):
                    frozen.set(due - timedelta(hours=12) + timedelta(seconds=1))
                    n = first_n + k
                    received = cases.receive_underretning(uow, actor, {
                        **UNDERRETNING, "cpr": cpr(n), "barnets_navn": f"Barn {n}",
                        "modtaget": due - timedelta(hours=24)})
                    assert not received.joined, f"CPR {cpr(n)} joined an open case"
                uow.commit()
    finally:
        clock.use(previous)


FILLER_SQL = """
INSERT INTO timers (id, instance_id, case_id, team_id, bpmn_id, name, deadline_id, kind, guards, due_at, status,
                    next_attempt_at, attempts, created_at)
SELECT md5('filler' || i::text), t.instance_id, t.case_id, t.team_id, 'bench_filler', 'Bench filler', 'bench',
       'frist', NULL, d, 'aaben', d, 0, now()
FROM generate_series(1, :n) AS i,
     LATERAL (SELECT timestamptz '2030-01-01 00:00Z' + (i * 157766400.0 / :n) * interval '1 second' AS d) AS dd,
     (SELECT instance_id, case_id, team_id FROM timers LIMIT 1) AS t
"""

COUNTS_SQL = """
SELECT bpmn_id, status, count(*) FROM timers
WHERE (bpmn_id = 'frist_vurdering_24t' AND due_at BETWEEN :lo AND :hi)
   OR (bpmn_id = 'advis_vurdering_24t' AND due_at BETWEEN :lo - interval '12 hours' AND :hi - interval '12 hours')
GROUP BY bpmn_id, status ORDER BY 1, 2
"""


def firing_stats(db, lo: datetime, hi: datetime) -> tuple[dict, float, float]:  # noqa: ANN001
    """Lag of the 24-hour breach timers due in [lo, hi]; their rate from first due to last closed."""
    rows = db.execute(text("SELECT due_at, closed_at FROM timers WHERE bpmn_id = 'frist_vurdering_24t' "
                           "AND status = 'udloest' AND due_at BETWEEN :lo AND :hi"), {"lo": lo, "hi": hi}).all()
    if not rows:
        return {"n": 0}, 0.0, 0.0
    span = (max(r.closed_at for r in rows) - min(r.due_at for r in rows)).total_seconds()
    return lag_stats([(r.closed_at - r.due_at).total_seconds() for r in rows]), span, len(rows) / span


def start(args: list[str], env: dict, log_dir: str, name: str) -> subprocess.Popen:
    from service.config import ROOT
    log = open(os.path.join(log_dir, f"{name}.log"), "w")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen([sys.executable, "-m", "celery", *args], env=env, cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT)


def stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)


def measure_noop(total: int, workers: int, env: dict, log_dir: str) -> float:
    """Completions/s of `total` pre-enqueued no-op tasks drained by `workers` solo workers."""
    r = redis.Redis.from_url(BROKER)
    r.flushdb()
    for _ in range(total):
        noop.apply_async(args=(total,))
    procs = [start(["-A", "bench.timers:noop_app", "worker", "--pool", "solo", "-Q", NOOP_QUEUE, "-n",
                    f"noop{i}@%h", "--without-gossip", "--without-mingle", "--loglevel", "WARNING"], env, log_dir,
                   f"noop-worker{i}") for i in range(workers)]
    try:
        until = time.monotonic() + 180
        while (int(r.get("bench:noop:done") or 0) < total and time.monotonic() < until
               and all(p.poll() is None for p in procs)):
            time.sleep(0.2)
    finally:
        stop(procs)
    done = int(r.get("bench:noop:done") or 0)
    if done < total:
        raise RuntimeError(f"no-op workers finished only {done}/{total} (logs {log_dir}/noop-worker*.log)")
    return (total - 1) / (float(r.get("bench:noop:last")) - float(r.get("bench:noop:first")))


def prepare(settings):  # noqa: ANN001, ANN201
    """Migrate and deploy a fresh database, seed the demo people; returns engine, session factory and a caseworker."""
    from service.bootstrap import configure_engine
    from service.cli import deploy, migrate
    from service.db import make_engine, make_session_factory
    from service.demo import seed_people
    from service.uow import UnitOfWork
    migrate(settings)
    if not deploy(settings):
        raise RuntimeError(f"no process model to deploy in {settings.workflows_dir}")
    configure_engine(settings)
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    with UnitOfWork(factory) as uow:
        actor = seed_people(uow)["raadgiver1"]
        uow.commit()
        uow.session.refresh(actor)
        uow.session.expunge(actor)
    return engine, factory, actor


def run(args: argparse.Namespace, settings, db, out: dict, log_dir: str) -> None:  # noqa: ANN001, C901
    engine, factory, actor = prepare(settings)

    # Warm-up intakes (deadlines 12/24 h ahead, never due in the run) time one intake and anchor the filler.
    t = time.perf_counter()
    create_cases(factory, actor, 0, [datetime.now(UTC) + timedelta(hours=24)] * 20)
    per_case = (time.perf_counter() - t) / 20
    t = time.perf_counter()
    db.execute(text(FILLER_SQL), {"n": args.open})
    db.execute(text("ANALYZE timers"))
    out["setup"] = {"intake_ms": round(per_case * 1000, 1), "filler_rows": args.open,
                    "filler_s": round(time.perf_counter() - t, 1)}
    print(f"  filler: {args.open} open timers (2030–2035) in {out['setup']['filler_s']} s; "
          f"one intake ≈ {per_case * 1000:.1f} ms", flush=True)

    n, b = args.due, args.burst
    created_by = datetime.now(UTC) + timedelta(seconds=per_case * (n + b) * 1.3 + 5)
    window_start = created_by + timedelta(seconds=args.lead)
    window_end = window_start + timedelta(seconds=(n - 1) / args.rate)
    burst_at = (window_end + timedelta(seconds=args.lead)).replace(microsecond=0)
    t = time.perf_counter()
    create_cases(factory, actor, 20, [window_start + timedelta(seconds=i / args.rate) for i in range(n)])
    create_cases(factory, actor, 20 + n, [burst_at] * b)
    db.execute(text("ANALYZE timers"))
    margin = (window_start - datetime.now(UTC)).total_seconds()
    bounds = {"lo": window_start, "hi": burst_at + timedelta(seconds=1)}
    counts = {f"{bpmn} {status}": c for bpmn, status, c in db.execute(text(COUNTS_SQL), bounds)}
    early = db.execute(text("SELECT count(*) FROM timers WHERE status = 'aaben' AND due_at < :s"),
                       {"s": window_start}).scalar()
    out["setup"].update(cases=n + b, create_s=round(time.perf_counter() - t, 1), window_lead_s=round(margin, 1),
                        timer_counts=counts, open_due_before_window=early)
    print(f"  {n + b} cases in {out['setup']['create_s']} s; window starts in {margin:.1f} s; timers: {counts}; "
          f"open and due before the window: {early}", flush=True)
    # The advis was due at intake: the engine fires it inside receive_underretning, so it never gets a row.
    if counts.get("frist_vurdering_24t aaben") != n + b or counts.get("advis_vurdering_24t aaben"):
        print(f"  WARNING: expected exactly {n + b} open breach timers and no open advis", flush=True)

    redis.Redis.from_url(BROKER).flushdb()
    env = {**os.environ, "SAGSFLOW_DATABASE_URL": settings.database_url, "SAGSFLOW_BROKER_URL": BROKER,
           "SAGSFLOW_FIRING_HELPERS": str(max(args.workers - 1, 0))}
    common = ["-A", "tasks.celery_app"]
    procs = [start([*common, "worker", "--pool", "solo", "-n", f"w{i}@%h", "--without-gossip", "--without-mingle",
                    "--loglevel", "WARNING"], env, log_dir, f"worker{i}") for i in range(args.workers)]
    procs.append(start([*common, "beat", "--schedule", os.path.join(log_dir, "beat-schedule"), "--loglevel",
                        "WARNING"], env, log_dir, "beat"))
    try:
        left_sql = text("SELECT count(*) FROM timers WHERE bpmn_id = 'frist_vurdering_24t' "
                        "AND due_at BETWEEN :lo AND :hi AND (status <> 'udloest' OR closed_at IS NULL)")
        until = burst_at + timedelta(seconds=args.timeout)
        while (left := db.execute(left_sql, bounds).scalar()) and datetime.now(UTC) < until:
            if any(p.poll() is not None for p in procs):
                raise RuntimeError(f"a worker/beat process exited early; logs in {log_dir}")
            time.sleep(0.5)
    finally:
        stop(procs)
    lag, span, rate = firing_stats(db, window_start, window_end + timedelta(seconds=1))
    w = out["window"] = {"offered_per_s": args.rate, "timers": n, "fired": lag["n"], "not_fired_at_timeout": left,
                         "span_s": round(span, 2), "fired_per_s": round(rate, 1),
                         "kept_up": lag["n"] == n and rate >= 0.95 * args.rate and lag.get("p99", 99) <= 1.0,
                         "lag_s": lag}
    blag, bspan, _ = firing_stats(db, burst_at, burst_at + timedelta(seconds=1))
    bu = out["burst"] = {"timers": b, "fired": blag["n"], "drain_s": round(bspan, 2),
                         "drain_per_s": round(blag["n"] / bspan, 1) if bspan else 0.0, "lag_s": blag}
    errors = db.execute(text("SELECT count(*), max(last_error) FROM timers WHERE attempts > 0")).one()
    out["failed_attempts"] = {"timers": errors[0], "example": errors[1]}

    # The baseline runs on as many solo workers as the firing did (the fair comparison), and on one.
    noop_rate = measure_noop(args.noop, args.workers, env, log_dir)
    noop_one = measure_noop(args.noop, 1, env, log_dir) if args.workers != 1 else noop_rate
    out["noop"] = {"tasks": args.noop, "workers": args.workers, "per_s": round(noop_rate, 1),
                   "per_s_one_worker": round(noop_one, 1)}
    out["ratios"] = {"window_fired_per_s_vs_noop": round(w["fired_per_s"] / noop_rate, 3),
                     "burst_drain_per_s_vs_noop": round(bu["drain_per_s"] / noop_rate, 3),
                     "burst_drain_per_s_vs_noop_one_worker": round(bu["drain_per_s"] / noop_one, 3)}
    lg, bl = w["lag_s"], bu["lag_s"]
    print(f"\nWindow: {n} breach timers offered at {args.rate}/s among {args.open} open timers, "
          f"{args.workers} solo workers + beat\n  fired {w['fired']}/{n} in {w['span_s']} s = {w['fired_per_s']}/s"
          f" ({'kept up' if w['kept_up'] else 'DID NOT keep up'} with {args.rate}/s)\n"
          f"  lag p50 {lg.get('p50')} s  p90 {lg.get('p90')}  p99 {lg.get('p99')}  max {lg.get('max')}"
          f"   (goal p99 ≤ 1 s: {'ok' if lg.get('p99', 99) <= 1 else 'MISSED'})", flush=True)
    print(f"Burst: {b} breach timers all due at {burst_at:%H:%M:%S}Z\n  fired {bu['fired']}/{b}, drained in "
          f"{bu['drain_s']} s = {bu['drain_per_s']}/s; lag p50 {bl.get('p50')} s  p99 {bl.get('p99')}  "
          f"max {bl.get('max')}")
    print(f"No-op Celery baseline ({args.noop} pre-enqueued): {out['noop']['per_s']}/s on {args.workers} solo "
          f"workers, {out['noop']['per_s_one_worker']}/s on one\n"
          f"  window fired/s ÷ no-op/s = {out['ratios']['window_fired_per_s_vs_noop']} (bounded by --rate)\n"
          f"  burst drain/s ÷ no-op/s = {out['ratios']['burst_drain_per_s_vs_noop']}   (goal ≥ 0.4: "
          f"{'ok' if out['ratios']['burst_drain_per_s_vs_noop'] >= 0.4 else 'MISSED'}; against one no-op worker "
          f"{out['ratios']['burst_drain_per_s_vs_noop_one_worker']})")
    if errors[0]:
        print(f"  {errors[0]} timers had failed firing attempts, e.g.: {errors[1]}")
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for flag, default, help_ in (("open", 1_000_000, "filler open timers, due 2030–2035"),
                                 ("due", 3000, "breach timers due in the window"), ("rate", 50.0, "per second"),
                                 ("burst", 2000, "breach timers all due at one second after the window"),
                                 ("workers", 2, "Celery solo workers"), ("lead", 20.0, "seconds before window/burst"),
                                 ("noop", 5000, "no-op tasks for the baseline"),
                                 ("timeout", 300.0, "seconds after the burst is due before giving up")):
        p.add_argument(f"--{flag}", type=type(default), default=default, help=help_)
    p.add_argument("--pg-admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--json", help="write the results here instead of stdout's last line")
    args = p.parse_args(argv)

    from bench.http_lifecycle import admin_sql
    from service.config import Settings
    name = f"sagsflow_bench_{secrets.token_hex(4)}"
    log_dir = tempfile.mkdtemp(prefix="sagsflow_bench_timers_")
    out: dict = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
                 "config": {k: v for k, v in vars(args).items() if k not in ("json", "pg_admin_url")}}
    print(f"Sagsflow timer benchmark — {os.cpu_count()} CPUs; database {name}; logs {log_dir}", flush=True)
    db = None
    try:
        admin_sql(args.pg_admin_url, f'CREATE DATABASE "{name}"')
        settings = Settings(database_url=args.pg_admin_url.rsplit("/", 1)[0] + f"/{name}")
        db = create_engine(settings.database_url, isolation_level="AUTOCOMMIT").connect()
        run(args, settings, db, out, log_dir)
    except Exception as err:
        traceback.print_exc()
        out["fatal"] = f"{type(err).__name__}: {err}"
    finally:
        if db is not None:
            db.close()
            db.engine.dispose()
        admin_sql(args.pg_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        redis.Redis.from_url(BROKER).flushdb()
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2, ensure_ascii=False, default=str)
    else:
        print(json.dumps(out, ensure_ascii=False, default=str))
    return 1 if "fatal" in out else 0


if __name__ == "__main__":
    raise SystemExit(main())
