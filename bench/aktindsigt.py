"""Indsigt lookup over a year of journal, beside a bare indexed GET in the same run (PostgreSQL).

    python -m bench.aktindsigt [--children 1000] [--per-child 2000] [--lookups 200] [--json out.json]

Creates a throw-away database, migrates it, seeds the demo people, then fills `--children` cases of Team Nord
(every tenth child with a second, closed case) and `--per-child` journal entries per child spread over the last
365 days (reads, task completions, CPR shown; inserted server-side with generate_series). Then, in one process
through the Flask test client and the real auth, alternates `POST /api/indsigt/cpr` for a random child (which
also journals the lookup and commits) with `GET /api/me` (a token lookup by a unique index: the bare indexed
GET), and prints p50/p99 of each and the query plan of one lookup. Goal: the lookup under 1 s.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import secrets
import statistics
import time

from sqlalchemy import text

FILL_CASES = """
INSERT INTO cases (id, sagsnummer, cpr, child_name, team_id, status, phase, opened_at, closed_at, version)
SELECT 'bench-' || n || '-' || k, 'B' || n || '-' || k, (CAST(:cprs AS text[]))[n], 'Barn ' || n, :team,
       CASE WHEN k = 1 THEN 'aaben' ELSE 'afsluttet' END, '', now() - interval '400 days',
       CASE WHEN k = 1 THEN NULL ELSE now() - interval '200 days' END, 1
FROM generate_series(1, :children) AS n, generate_series(1, 2) AS k
WHERE k = 1 OR n % 10 = 0
"""
FILL_JOURNAL = """
INSERT INTO journal (case_id, at, actor_id, action, title)
SELECT 'bench-' || n || '-' || CASE WHEN n % 10 = 0 AND i % 4 = 0 THEN 2 ELSE 1 END,
       now() - random() * interval '365 days',
       (CAST(:actors AS int[]))[1 + (i % cardinality(CAST(:actors AS int[])))],
       (ARRAY['laest','laest','laest','opgave_udfoert','cpr_vist','opgave_taget'])[1 + (i % 6)],
       (ARRAY['Sagen er læst','Sagen er læst','Sagens breve er læst','Opgave udført','CPR-nummeret er vist',
              'Opgave taget'])[1 + (i % 6)]
FROM generate_series(1, :children) AS n, generate_series(1, :per_child) AS i
"""


def cpr(n: int) -> str:
    """A distinct valid CPR per n (births 2012–2024)."""
    serial, rest = n % 6000, n // 6000
    day, rest = rest % 28 + 1, rest // 28
    month, rest = rest % 12 + 1, rest // 12
    return f"{day:02d}{month:02d}{12 + rest % 13:02d}{4000 + serial:04d}"


def percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
            "max_ms": round(ordered[-1] * 1000, 2), "n": len(ordered)}


def fill(engine, children: int, per_child: int) -> dict:  # noqa: ANN001
    with engine.begin() as conn:
        team = conn.scalar(text("SELECT id FROM teams WHERE navn = 'Team Nord'"))
        actors = list(conn.scalars(text("SELECT id FROM users WHERE team_id IS NOT NULL")))
        started = time.perf_counter()
        conn.execute(text(FILL_CASES),
                     {"cprs": [cpr(n) for n in range(1, children + 1)], "team": team, "children": children})
        conn.execute(text(FILL_JOURNAL), {"actors": actors, "children": children, "per_child": per_child})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE journal"))
        conn.execute(text("ANALYZE cases"))
        rows = conn.scalar(text("SELECT count(*) FROM journal"))
    return {"journal_rows": rows, "fill_s": round(time.perf_counter() - started, 1)}


def plan(engine, child: int) -> list[str]:  # noqa: ANN001
    with engine.connect() as conn:
        return list(conn.scalars(text(
            "EXPLAIN (ANALYZE, BUFFERS OFF) SELECT j.at, j.case_id, j.action, j.title, u.full_name, u.username "
            "FROM journal j LEFT JOIN users u ON u.id = j.actor_id WHERE j.case_id IN "
            "(SELECT id FROM cases WHERE cpr = :cpr AND team_id IS NOT NULL) ORDER BY j.at DESC, j.id DESC"),
            {"cpr": cpr(child)}))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--children", type=int, default=1000)
    p.add_argument("--per-child", type=int, default=2000)
    p.add_argument("--lookups", type=int, default=200)
    p.add_argument("--pg-admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--json")
    args = p.parse_args(argv)

    from bench.http_lifecycle import admin_sql
    from bench.timers import prepare
    from service.app import create_app
    from service.config import Settings

    name = f"sagsflow_bench_{secrets.token_hex(4)}"
    admin_sql(args.pg_admin_url, f'CREATE DATABASE "{name}"')
    try:
        settings = Settings(database_url=args.pg_admin_url.rsplit("/", 1)[0] + f"/{name}")
        engine, _factory, _actor = prepare(settings)
        out: dict = {"children": args.children, "per_child": args.per_child, **fill(engine, args.children,
                                                                                      args.per_child)}
        print(f"journal: {out['journal_rows']:,} rows, filled in {out['fill_s']} s", flush=True)
        app = create_app(settings)
        logging.getLogger("sagsflow.request").setLevel(logging.WARNING)  # one line per request would drown the result
        client = app.test_client()
        token = client.post("/api/auth/token", json={"username": "teamleder1", "password": "demo"}).get_json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        rng = random.Random(14)
        lookups, gets, entries = [], [], []
        for _ in range(args.lookups):
            child = rng.randint(1, args.children)
            t = time.perf_counter()
            response = client.post("/api/indsigt/cpr", json={"cpr": cpr(child)}, headers=headers)
            lookups.append(time.perf_counter() - t)
            assert response.status_code == 200, response.get_json()
            entries.append(len(response.get_json()["adgange"]))
            t = time.perf_counter()
            response = client.get("/api/me", headers=headers)
            gets.append(time.perf_counter() - t)
            assert response.status_code == 200
        out["lookup"] = {**percentiles(lookups), "entries_median": statistics.median(entries)}
        out["bare_get"] = percentiles(gets)
        out["plan"] = plan(engine, 10)
        print(f"POST /api/indsigt/cpr  p50 {out['lookup']['p50_ms']} ms  p99 {out['lookup']['p99_ms']} ms  "
              f"max {out['lookup']['max_ms']} ms  ({out['lookup']['entries_median']:.0f} entries per answer)")
        print(f"GET /api/me            p50 {out['bare_get']['p50_ms']} ms  p99 {out['bare_get']['p99_ms']} ms  "
              f"max {out['bare_get']['max_ms']} ms")
        print("plan (child with two cases):\n  " + "\n  ".join(out["plan"]))
        app.extensions["sagsflow"]["engine"].dispose()
        engine.dispose()
        if args.json:
            with open(args.json, "w") as f:
                json.dump(out, f, indent=2)
        return 0 if out["lookup"]["p99_ms"] < 1000 else 1
    finally:
        admin_sql(args.pg_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    raise SystemExit(main())
