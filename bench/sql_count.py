"""SQL statements per request, counted in the benchmark's own process.

    python -m bench.sql_count [--pg-admin-url …]

gunicorn's statements cannot be seen from the client, and pg_stat_statements is not loaded on a stock server,
so the same app (the same settings and database as the HTTP phases) is started here with Flask's test client,
and every statement its engine sends to PostgreSQL (SQLAlchemy's ``before_cursor_execute``) is counted per request:
one whole lifecycle after a warm-up lifecycle (so the process's caches hold what gunicorn's warm workers hold),
and the bare write with the same bodies. The Python CPU time per request is measured alongside (CPU, not wall time,
so other load on the machine changes it little). BEGIN and COMMIT are not statements the driver executes, so they are
not counted, for either side.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import time
from collections import defaultdict
from dataclasses import replace

from sqlalchemy import event

from service.config import Settings
from service.demo_payloads import UNDERRETNING


def _counter(engine):  # noqa: ANN001, ANN202 - a tiny closure over the engine
    box = {"n": 0, "statements": []}

    def count(_conn, _cursor, statement, _params, _context, _many) -> None:  # noqa: ANN001
        box["n"] += 1
        box["statements"].append(" ".join(statement.split())[:int(os.environ.get("SQL_WIDTH", 160))])

    event.listen(engine, "before_cursor_execute", count)
    return box


def sql_per_request(settings: Settings, lifecycle: list, first_cpr: str, second_cpr: str,
                    show_statements: bool = False) -> dict:
    """Statements per completion (mean, max, per task) and per bare write, through the real app."""
    from service.app import create_app
    # testing: no request log lines; a loaded machine must not stop an expression at its 1 s limit
    app = create_app(replace(settings, bench_endpoint=True, testing=True, expression_seconds=30.0))
    engine = app.extensions["sagsflow"]["engine"]
    box = _counter(engine)
    client = app.test_client()

    def token(name: str) -> str:
        answer = client.post("/api/auth/token", json={"username": name, "password": "demo"})
        assert answer.status_code == 201, answer.get_data(as_text=True)
        return answer.get_json()["token"]

    user, leader = token("raadgiver1"), token("teamleder1")

    cpu: dict[str, list[float]] = defaultdict(list)  # this process's CPU seconds per request (the app's Python)

    def call(method: str, path: str, body: dict | None, bearer: str) -> tuple[dict, int, list[str]]:
        box["n"], box["statements"] = 0, []
        started = time.process_time()
        answer = client.open(path, method=method, json=body, headers={"Authorization": f"Bearer {bearer}"})
        cpu[path.rsplit("/", 1)[-1]].append(time.process_time() - started)
        assert 200 <= answer.status_code < 300, (path, answer.status_code, answer.get_data(as_text=True)[:500])
        return answer.get_json(), box["n"], list(box["statements"])

    def walk(cpr: str) -> dict[str, list[int]]:
        received, _, _ = call("POST", "/api/underretninger", {**UNDERRETNING, "cpr": cpr}, user)
        tasks = call("GET", f"/api/cases/{received['case_id']}", None, user)[0]["aktiviteter"]
        per_task: dict[str, list[int]] = defaultdict(list)
        for bpmn_id, data in lifecycle:
            task = next(t for t in tasks if t["bpmn_id"] == bpmn_id)
            bearer = leader if task["rolle"] == "teamleder" else user
            result, n, statements = call("POST", f"/api/tasks/{task['id']}/complete", {"data": data}, bearer)
            per_task[bpmn_id].append(n)
            if show_statements:
                print(f"--- {bpmn_id}: {n}")
                for s in statements:
                    print("   ", s)
            tasks = result["naeste_opgaver"]
        return per_task

    walk(first_cpr)  # warm-up: specs, forms and whatever the process keeps between requests
    cpu.clear()
    per_task = walk(second_cpr)
    complete_cpu = cpu["complete"]
    counts = [n for ns in per_task.values() for n in ns]
    writes = [call("POST", "/api/bench/write", {"data": data}, user)[1] for _, data in lifecycle]
    engine.dispose()
    return {"completions": len(counts), "sql_per_completion_mean": round(statistics.fmean(counts), 2),
            "sql_per_completion_max": max(counts), "sql_per_write_mean": round(statistics.fmean(writes), 2),
            "python_cpu_ms_per_completion_median": round(statistics.median(complete_cpu) * 1000, 2),
            "python_cpu_ms_per_write_median": round(statistics.median(cpu["write"]) * 1000, 2),
            "per_task": {k: v if len(v) > 1 else v[0] for k, v in per_task.items()}}


def main(argv: list[str] | None = None) -> int:
    from bench.http_lifecycle import LIFECYCLE, admin_sql, cpr, prepare_database
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pg-admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--statements", action="store_true", help="print every completion's statements")
    args = p.parse_args(argv)
    name = f"sagsflow_bench_{secrets.token_hex(4)}"
    try:
        settings = prepare_database(args.pg_admin_url, name, 2)
        out = sql_per_request(settings, LIFECYCLE, cpr(1), cpr(2), args.statements)
    finally:
        admin_sql(args.pg_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
