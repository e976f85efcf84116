"""Exactly one beat sends ticks: two real `celery beat` processes on Redis and PostgreSQL, the first one killed."""

from __future__ import annotations

import json
import os
import re
import signal
import time
from collections import Counter
from pathlib import Path

import redis

from tests.support import start_celery

TAKEOVER_SECONDS = 30


def _ticks_by_sender(broker: str) -> Counter[int]:
    """How many tick messages each beat process put on the queue (no worker runs, so they stay there)."""
    senders: Counter[int] = Counter()
    for raw in redis.Redis.from_url(broker).lrange("celery", 0, -1):
        headers = json.loads(raw)["headers"]
        if headers["task"] == "sagsflow.fire_due_timers":
            senders[int(re.match(r"gen(\d+)@", headers["origin"]).group(1))] += 1
    return senders


def _wait_for(condition, seconds: float, what: str) -> float:  # noqa: ANN001
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, f"{what} skete ikke inden for {seconds} s"
        time.sleep(0.2)
    return time.monotonic() - started


def test_a_second_beat_sends_nothing_until_the_first_dies_then_takes_over(postgres_url, broker, tmp_path: Path):
    env = {**os.environ, "SAGSFLOW_DATABASE_URL": postgres_url, "SAGSFLOW_BROKER_URL": broker}

    def beat(name: str):  # noqa: ANN202
        return start_celery(["beat", "--schedule", str(tmp_path / f"{name}-schedule"), "--loglevel", "WARNING"],
                            env, tmp_path / f"{name}.log")

    first = beat("first")
    second = None
    try:
        _wait_for(lambda: _ticks_by_sender(broker)[first.pid] >= 2, 20, "den første beats ticks")
        second = beat("second")
        _wait_for(lambda: "venter" in (tmp_path / "second.log").read_text(), 20, "den anden beat venter")
        before = _ticks_by_sender(broker)[first.pid]
        _wait_for(lambda: _ticks_by_sender(broker)[first.pid] >= before + 3, 10, "tre ticks mere fra den første")
        assert _ticks_by_sender(broker)[second.pid] == 0, "den anden beat sendte, mens den første kørte"

        first.send_signal(signal.SIGKILL)
        first.wait(10)
        took = _wait_for(lambda: _ticks_by_sender(broker)[second.pid] >= 1, TAKEOVER_SECONDS,
                         "den anden beats overtagelse")
        print(f"den anden beat overtog {took:.1f} s efter at den første blev dræbt")
        sent = _ticks_by_sender(broker)
        assert set(sent) == {first.pid, second.pid}, sent
    finally:
        for process in (first, second):
            if process is not None:
                process.kill()
                process.wait(10)
