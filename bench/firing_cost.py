"""In-process cost of one timer firing: no Celery, one process, PostgreSQL.

    python -m bench.firing_cost [--due 600] [--profile] [--json out.json]

Creates `--due` real cases whose 24-hour breach timers are all due, then fires them with the firing service
(`fire_due`) under a clock set past their due time. Prints firings/s, wall and CPU ms per firing, and SQL
statements per firing; `--profile` adds the top of a cProfile run over a second batch. Throw-away database.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import secrets
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, text


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--due", type=int, default=600)
    p.add_argument("--profile", action="store_true")
    p.add_argument("--procs", type=int, default=1, help="firing processes sharing the due timers (forked)")
    p.add_argument("--pg-admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--json")
    p.add_argument("--dump-state", help="write one fired instance's engine state here")
    args = p.parse_args(argv)

    from bench.http_lifecycle import admin_sql
    from bench.timers import create_cases, prepare
    from service import clock
    from service.config import Settings
    from service.deadlines.firing import fire_due

    name = f"sagsflow_bench_{secrets.token_hex(4)}"
    admin_sql(args.pg_admin_url, f'CREATE DATABASE "{name}"')
    out: dict = {}
    try:
        settings = Settings(database_url=args.pg_admin_url.rsplit("/", 1)[0] + f"/{name}")
        engine, factory, actor = prepare(settings)
        due = datetime.now(UTC) + timedelta(days=1)
        halves = [args.due // 2, args.due - args.due // 2] if args.profile else [args.due]
        create_cases(factory, actor, 0, [due] * sum(halves))
        statements = 0

        def count(*_a: object) -> None:
            nonlocal statements
            statements += 1

        event.listen(engine, "before_cursor_execute", count)
        previous = clock.use(clock.FrozenClock(due + timedelta(seconds=1)))
        try:
            busy = _machine_busy()
            wall, cpu = time.perf_counter(), time.process_time()
            if args.procs > 1:
                engine.dispose()
                fired, cpu = _fire_in_processes(factory, args.procs, halves[0])
            else:
                fired = fire_due(factory, batch=halves[0])
                cpu = time.process_time() - cpu
            wall = time.perf_counter() - wall
            busy_share = _machine_busy(busy)
            out = {"fired": fired, "per_s": round(fired / wall, 1), "wall_ms": round(wall / fired * 1000, 2),
                   "python_cpu_ms": round(cpu / fired * 1000, 2), "statements": round(statements / fired, 1)}
            out["machine_busy"] = round(busy_share, 2)
            print(f"fired {fired} in {wall:.2f} s = {out['per_s']}/s with {args.procs} process(es); per firing: "
                  f"wall {out['wall_ms']} ms, Python CPU {out['python_cpu_ms']} ms, {out['statements']} SQL "
                  f"statements (counted with one process only); machine CPU busy {busy_share:.0%}", flush=True)
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                fire_due(factory, batch=halves[1])
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        finally:
            clock.use(previous)
        with engine.connect() as conn:
            left = conn.execute(text("SELECT count(*) FROM timers WHERE status = 'aaben' AND due_at <= :d"),
                                {"d": due}).scalar()
            out["state_bytes"] = int(conn.execute(text("SELECT avg(length(state)) FROM process_instances")).scalar())
            if args.dump_state:
                with open(args.dump_state, "w") as f:
                    f.write(conn.execute(text("SELECT state FROM process_instances LIMIT 1")).scalar())
        out["left_open"] = left
        engine.dispose()
    finally:
        admin_sql(args.pg_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(json.dumps(out))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2)
    return 0


def _machine_busy(since: tuple[int, int] | None = None):  # noqa: ANN202
    """All cores' busy share since `since` (from /proc/stat), or the counters to measure from."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle, total = fields[3] + fields[4], sum(fields)
    if since is None:
        return idle, total
    return 1 - (idle - since[0]) / max(total - since[1], 1)


def _fire_in_processes(factory, procs: int, most: int) -> tuple[int, float]:  # noqa: ANN001
    """Forked processes fire until nothing is due; returns the total fired and the summed CPU seconds."""
    import multiprocessing

    from service.deadlines.firing import fire_due

    def work(queue) -> None:  # noqa: ANN001
        cpu = time.process_time()
        fired = fire_due(factory, batch=most)
        queue.put((fired, time.process_time() - cpu))

    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    children = [ctx.Process(target=work, args=(queue,)) for _ in range(procs)]
    for c in children:
        c.start()
    results = [queue.get() for _ in children]
    for c in children:
        c.join()
    return sum(r[0] for r in results), sum(r[1] for r in results)


if __name__ == "__main__":
    raise SystemExit(main())
