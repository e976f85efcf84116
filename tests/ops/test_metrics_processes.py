"""Metrics across real processes: every gunicorn worker answers /metrics with the same sums, and a Celery worker
node serves what its worker processes fired (PROMETHEUS_MULTIPROC_DIR)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from service.config import ROOT
from service.deadlines.models import FIRED, Timer
from service.uow import UnitOfWork
from tests.support import cases_overdue_by_the_wall_clock, start_celery


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310 - loopback, http
        return response.read().decode()


def _samples(text: str, name: str) -> dict[frozenset, float]:
    return {frozenset(s.labels.items()): s.value for f in text_string_to_metric_families(text)
            for s in f.samples if s.name == name}


def _wait_for_answer(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, log.read_text()
        try:
            _get(url)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):  # still booting (a loaded machine)
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)


def test_every_gunicorn_worker_answers_metrics_with_the_sum_of_all_workers(sqlite_template, tmp_path):
    database = tmp_path / "sagsflow.db"
    shutil.copy(sqlite_template, database)
    counts = tmp_path / "prometheus"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAGSFLOW_")}
    env.update({"SAGSFLOW_DATABASE_URL": f"sqlite:///{database}", "PROMETHEUS_MULTIPROC_DIR": str(counts),
                "SAGSFLOW_WEB_WORKERS": "2", "SAGSFLOW_WEB_THREADS": "1"})
    log = tmp_path / "gunicorn.log"
    web = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--bind",  # noqa: S603
                            f"127.0.0.1:{port}", "service.app:create_app()"], env=env, cwd=ROOT,
                           stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        # Up when /metrics answers: a /healthz the wait gave up on (a loaded machine) may still be served and counted.
        _wait_for_answer(f"http://127.0.0.1:{port}/metrics", web, log)
        sent = 0
        while len(writers := {p.stem for p in counts.glob("histogram_*.db")}) < 2 or sent < 40:
            assert sent < 2000, f"kun én worker svarede: {writers}"  # both must have served for the test to mean much
            _get(f"http://127.0.0.1:{port}/healthz")
            sent += 1
        scrapes = [_get(f"http://127.0.0.1:{port}/metrics") for _ in range(6)]
    finally:
        web.terminate()
        web.wait(15)
    healthz = frozenset({("method", "GET"), ("endpoint", "/healthz"), ("status", "200")})
    answers = [_samples(text, "sagsflow_http_request_duration_seconds_count").get(healthz) for text in scrapes]
    assert answers == [sent] * len(scrapes)


def test_a_celery_worker_node_serves_what_its_worker_processes_fired(postgres_url, broker, tmp_path):
    engine, factory = cases_overdue_by_the_wall_clock(postgres_url, 3)
    port = _free_port()
    env = {**os.environ, "SAGSFLOW_DATABASE_URL": postgres_url, "SAGSFLOW_BROKER_URL": broker,
           "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "worker-counts"),
           "SAGSFLOW_WORKER_METRICS_BIND": f"127.0.0.1:{port}"}
    worker = start_celery(["worker", "--concurrency", "2", "--without-gossip", "--without-mingle", "--loglevel",
                           "WARNING"], env, tmp_path / "worker.log")
    beat = start_celery(["beat", "--schedule", str(tmp_path / "schedule"), "--loglevel", "WARNING"], env,
                        tmp_path / "beat.log")

    def fired_in_database() -> int:
        with UnitOfWork(factory) as uow:
            return uow.session.scalar(select(func.count()).select_from(Timer).where(Timer.status == FIRED))

    try:
        deadline = time.monotonic() + 45
        while fired_in_database() < 6:
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            time.sleep(0.3)
        _wait_for_answer(f"http://127.0.0.1:{port}/metrics", worker, tmp_path / "worker.log")
        text = _get(f"http://127.0.0.1:{port}/metrics")
    finally:
        for process in (worker, beat):
            process.terminate()
            process.wait(20)
    fired = _samples(text, "sagsflow_timers_fired_total")
    assert fired == {frozenset({("kind", "advis")}): 3, frozenset({("kind", "frist")}): 3}, fired
    assert _samples(text, "sagsflow_timer_firing_lag_seconds_count") == {frozenset(): 6}
    lag = _samples(text, "sagsflow_timer_firing_lag_seconds_sum")[frozenset()]
    assert lag > 6 * 6 * 3600  # the advis came due 18 hours ago, the breach 6 hours ago
    engine.dispose()
