"""The several-node set-up the drills break: PostgreSQL, Redis, two web nodes, two workers and one beat."""

from __future__ import annotations

import itertools
import multiprocessing
import secrets
import signal
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from bench.http_lifecycle import cpr
from bench.timers import create_cases
from drills import http
from drills.processes import Process, environment, run_release, wait_until
from drills.services import Postgres, Redis
from service.bootstrap import configure_engine
from service.config import Settings
from service.db import make_engine, make_session_factory
from service.demo import DEMO_PASSWORD, seed_people
from service.demo_payloads import UNDERRETNING
from service.indsatsvifte.demo import seed_catalogue
from service.uow import UnitOfWork

WEB_PORTS = (55480, 55481)
BREACH = "frist_vurdering_24t"  # the 24-hour deadline of every underretning


class Stack:
    def __init__(self, base: Path) -> None:
        self.base, self.logs = base, base / "logs"
        self.pg, self.redis = Postgres(base), Redis(base)
        self.numbers = itertools.count()  # one CPR per case across all drills: an intake never joins a case
        self.processes: dict[str, Process] = {}
        self.tokens: dict[str, str] = {}

    # -- start and stop ---------------------------------------------------------------------------------------
    def start(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        self.pg.start()
        admin = create_engine(self.pg.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE sagsflow"))
        admin.dispose()
        self.redis.start()
        self.env = env = environment(
            SAGSFLOW_PRODUCTION="1", SAGSFLOW_DATABASE_URL=self.pg.url, SAGSFLOW_BROKER_URL=self.redis.url,
            SAGSFLOW_SECRET_KEY=secrets.token_hex(32), SAGSFLOW_SECURE_COOKIES="1",
            SAGSFLOW_WEB_WORKERS="2", SAGSFLOW_WORKER_CONCURRENCY="2", SAGSFLOW_FIRING_HELPERS="3",
            SAGSFLOW_BEAT_SCHEDULE=str(self.base / "celerybeat-schedule"))
        run_release(env, self.logs)
        with create_engine(self.pg.url, isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pgrowlocks"))  # which rows a process holds
        self.settings = Settings.from_env(env)
        configure_engine(self.settings)
        self.engine = make_engine(self.pg.url)
        self.factory = make_session_factory(self.engine)
        with UnitOfWork(self.factory) as uow:
            self.actor = seed_people(uow)["raadgiver1"]
            seed_catalogue(uow)  # iværksættelse picks a measure and a provider from the indsatsvifte
            uow.commit()
            uow.session.refresh(self.actor)
            uow.session.expunge(self.actor)
        for n, port in enumerate(WEB_PORTS, 1):
            self.processes[f"web{n}"] = Process(f"web{n}", "web", {**env, "SAGSFLOW_BIND": f"127.0.0.1:{port}"},
                                                self.logs)
        for name, kind in (("worker1", "worker"), ("worker2", "worker"), ("beat", "beat")):
            self.processes[name] = Process(name, kind, env, self.logs)
        for process in self.processes.values():
            process.start()
        self.wait_web()
        for user in ("raadgiver1", "raadgiver2", "teamleder1"):
            self.tokens[user] = http.login(WEB_PORTS[0], user, DEMO_PASSWORD)
        # The firing chain works end to end (beat → Redis → a worker → PostgreSQL) before any drill starts.
        case_ids = self.due_cases(1)
        wait_until(lambda: self.unfired(case_ids) == 0, 120, "første forfaldne timer affyret")

    def stop(self) -> None:
        for process in self.processes.values():  # all told at once; then each waited for
            process.signal(signal.SIGTERM)
        for process in self.processes.values():
            process.stop()
        if hasattr(self, "engine"):
            self.engine.dispose()
        self.redis.stop()
        self.pg.stop()

    def ensure_up(self) -> None:
        """Bring back whatever an earlier drill killed, so each drill starts from the whole set-up."""
        if self.redis.process is None or self.redis.process.poll() is not None:
            self.redis.start()
        for process in self.processes.values():
            if not process.alive:
                process.start()
        self.wait_web()

    def wait_web(self, seconds: float = 60) -> None:
        for port in WEB_PORTS:
            last: list[http.Answer] = []

            def ready(p: int = port, last: list[http.Answer] = last) -> bool:
                last[:] = [http.call(p, "GET", "/readyz", timeout=5)]
                return last[0].status == 200

            try:
                wait_until(ready, seconds, f"web-node på {port} klar (/readyz)", every=0.2)
            except AssertionError as err:
                raise AssertionError(f"{err}; sidste svar {last[0].status} {last[0].body}") from None

    def tails(self) -> str:
        return "\n".join(p.tail() for p in self.processes.values())

    # -- data -------------------------------------------------------------------------------------------------
    def sql(self, query: str, **params: Any) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(text(query), params))

    def intake(self, port: int, token: str) -> http.Answer:
        """A new underretning for a new child through the API."""
        n = next(self.numbers)
        return http.call(port, "POST", "/api/underretninger",
                         {**UNDERRETNING, "cpr": cpr(n), "barnets_navn": f"Barn {n}"}, token)

    def intakes(self, count: int, token: str) -> list[str]:
        """`count` new cases through the API, four at a time, spread over both nodes; their ids."""
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda i: self.intake(WEB_PORTS[i % 2], token), range(count)))
        assert all(a.ok for a in answers), Counter(a.status for a in answers)
        return [a.body["case_id"] for a in answers]

    def due_cases(self, count: int, *, overdue: timedelta = timedelta(minutes=1), processes: int = 1) -> list[str]:
        """`count` real intakes whose 24-hour deadline fell due `overdue` ago (by wall clock); their case ids.

        They are registered under a frozen clock, here or in `processes` forked processes sharing the work;
        the workers see each commit's timers due at once.
        """
        first = next(self.numbers)
        self.numbers = itertools.count(first + count)
        due = datetime.now(UTC) - overdue
        share = -(-count // processes)
        parts = [(first + i, [due] * min(share, count - i)) for i in range(0, count, share)]
        if processes == 1:
            create_cases(self.factory, self.actor, *parts[0])
        else:
            forked = [multiprocessing.get_context("fork").Process(target=_register, args=(self.pg.url, self.actor, *p))
                      for p in parts]
            for process in forked:
                process.start()
            for process in forked:
                process.join(600)
            assert all(p.exitcode == 0 for p in forked), [p.exitcode for p in forked]
        return [r[0] for r in self.sql(
            "SELECT case_id FROM timers WHERE bpmn_id = :b AND due_at = :d", b=BREACH, d=due)]

    def unfired(self, case_ids: list[str]) -> int:
        return self.sql("SELECT count(*) FROM timers WHERE bpmn_id = :b AND status = 'aaben' "
                        "AND case_id = ANY(:c)", b=BREACH, c=case_ids)[0][0]

    def lock_holders(self, appname: str) -> list[str]:
        """Timers locked right now by connections of the process named `appname` (pgrowlocks)."""
        return [r[0] for r in self.sql(
            "SELECT t.id FROM timers t JOIN pgrowlocks('timers') l ON t.ctid = l.locked_row "
            "WHERE l.pids && ARRAY(SELECT pid FROM pg_stat_activity WHERE application_name = :a)", a=appname)]


def _register(url: str, actor: object, first: int, dues: list[datetime]) -> None:
    """In a forked process: an engine of its own (the parent's pooled connections are not ours to use)."""
    engine = make_engine(url)
    try:
        create_cases(make_session_factory(engine), actor, first, dues)
    finally:
        engine.dispose()
