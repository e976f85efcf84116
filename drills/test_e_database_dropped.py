"""e. PostgreSQL drops every connection for 10 s, while clients read cases and complete tasks on both nodes."""

from __future__ import annotations

import threading
import time
from collections import Counter

import psycopg

from drills import http
from drills.conftest import report
from drills.stack import WEB_PORTS, Stack
from service.demo_payloads import FORMS

DROP_SECONDS = 10
CLIENTS = 4


def _terminate_for(up: Stack, seconds: float, rounds: Counter) -> None:
    """Every 20 ms, end every connection to the app's database (from the postgres database, so not ours)."""
    with psycopg.connect(f"host=127.0.0.1 port={up.pg.port} user=postgres dbname=postgres", autocommit=True) as conn:
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            ended = conn.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                 "WHERE datname = 'sagsflow' AND backend_type = 'client backend'").fetchone()[0]
            rounds["terminated"] += ended
            rounds["rounds"] += 1
            time.sleep(0.02)


def _count(up: Stack, table: str) -> int:
    return up.sql(f"SELECT count(*) FROM {table}")[0][0]  # noqa: S608 - our own table names


def test_dropped_database_connections_give_503_never_500_and_lose_nothing_committed(up: Stack):
    token = up.tokens["raadgiver1"]
    case_ids = up.intakes(CLIENTS * 50, token)
    tasks = list(up.sql("SELECT id, case_id FROM human_tasks WHERE bpmn_id = 'registrering' AND status = 'aaben' "
                        "AND case_id = ANY(:c)", c=case_ids))
    before = {t: _count(up, t) for t in ("cases", "journal", "human_tasks", "timers")}

    phase = ["før"]
    answers: Counter[str] = Counter()
    committed: list[str] = []  # tasks whose completion was answered 2xx (or 409 on a retry after a 503)
    examples: dict[int, str] = {}
    lock, done = threading.Lock(), threading.Event()

    def client(n: int) -> None:
        port, mine, retry = WEB_PORTS[n % 2], tasks[n::CLIENTS], False
        while mine and not done.is_set():
            task = mine[0]
            for kind, method, path, body in (
                    ("GET", "GET", f"/api/cases/{task.case_id}", None),
                    ("complete", "POST", f"/api/tasks/{task.id}/complete", {"data": FORMS["registrering"]})):
                answer = http.call(port, method, path, body, token, timeout=20)
                with lock:
                    answers[f"{phase[0]} {kind} {answer.status}"] += 1
                    if not answer.ok and answer.status not in examples:
                        examples[answer.status] = f"{answer.body} Retry-After={answer.headers.get('retry-after')}"
                if kind == "complete":
                    # A client retries on 503; a 409 then means the first try was committed after all.
                    if answer.ok or (answer.status == 409 and retry):
                        with lock:
                            committed.append(task.id)
                        mine.pop(0)
                    retry = answer.status == 503
            time.sleep(0.1)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    time.sleep(2)
    phase[0] = "under"
    rounds: Counter[str] = Counter()
    terminator = threading.Thread(target=_terminate_for, args=(up, DROP_SECONDS, rounds))
    terminator.start()
    terminator.join(DROP_SECONDS + 30)
    phase[0] = "efter"
    time.sleep(4)
    done.set()
    for t in threads:
        t.join(60)

    after = {t: _count(up, t) for t in before}
    still_done = up.sql("SELECT count(*) FROM human_tasks WHERE id = ANY(:t) AND status = 'udfoert'", t=committed)[0][0]
    during = {k: v for k, v in answers.items() if k.startswith("under")}
    report(f"e. database connections dropped for {DROP_SECONDS} s ({rounds['terminated']} connections ended in "
           f"{rounds['rounds']} rounds): answers {dict(sorted(answers.items()))}; completions committed "
           f"{len(committed)}, still completed afterwards {still_done}; rows before {before}, after {after}")
    assert not [k for k in answers if k.endswith((" 500", " 502", " 504"))], f"{dict(answers)} {examples}"
    assert during.get("under GET 503", 0) + during.get("under complete 503", 0) > 0, "ingen 503: beviser intet"
    allowed = {f"{p} {k} {s}" for p in ("før", "under", "efter") for k in ("GET", "complete") for s in (200, 503)}
    assert set(answers) <= allowed | {"under complete 409", "efter complete 409"}, (dict(answers), examples)
    assert "Retry-After=5" in examples[503] and "Databasen kan ikke nås lige nu" in examples[503]
    assert still_done == len(committed)
    assert all(after[t] >= before[t] for t in before)
    assert answers["efter complete 200"] > 0, "ingen fuldførelse efter udfaldet"
