"""f. One machine: honcho runs deploy/Procfile — the release once, then web, worker and beat together."""

from __future__ import annotations

import subprocess
import time

from drills import http
from drills.conftest import report
from drills.processes import Process, wait_until
from drills.services import wait_port
from drills.stack import Stack

HONCHO = "honcho -f deploy/Procfile start"
PORT = 55490


def test_honcho_runs_the_release_then_brings_up_web_worker_and_beat_that_answer_and_fire(up: Stack):
    # Only honcho's worker and beat may fire the timer below.
    for name in ("worker1", "worker2", "beat"):
        up.processes[name].stop()
    env = {**up.env, "SAGSFLOW_BIND": f"127.0.0.1:{PORT}", "SAGSFLOW_WEB_WORKERS": "1",
           "SAGSFLOW_WORKER_CONCURRENCY": "1"}
    started = time.monotonic()
    # `release` is a one-shot: honcho stops every process once any of them ends, so it runs on its own first.
    release = Process("honcho-release", "release", env, up.logs, command=f"{HONCHO} release")
    release.start()
    assert release.popen.wait(180) == 0, release.tail()
    released = time.monotonic() - started

    honcho = Process("honcho", "", env, up.logs, command=f"exec {HONCHO} web worker beat")
    honcho.start()
    try:
        wait_until(lambda: http.call(PORT, "GET", "/api/docs", timeout=5).status == 200, 60, "/api/docs via honcho",
                   every=0.2)
        answered = time.monotonic() - started - released
        case_ids = up.due_cases(1)
        due = time.monotonic()
        wait_until(lambda: up.unfired(case_ids) == 0, 60, "timer affyret af honchos worker og beat", every=0.2)
        fired = time.monotonic() - due
        honcho.popen.terminate()  # honcho alone: it must stop its children (each in a session of its own) itself
        honcho.popen.wait(30)
        stopped = honcho.popen.returncode
        wait_port(PORT, up=False, seconds=15)
        wait_until(lambda: not up.sql("SELECT 1 FROM pg_stat_activity WHERE application_name = 'honcho'"), 15,
                   "honchos processer har lukket deres databaseforbindelser")
    except (AssertionError, subprocess.TimeoutExpired):
        print(honcho.tail(40))
        raise
    finally:
        honcho.stop()
    report(f"f. honcho: `{HONCHO} release` exited 0 after {released:.1f} s; `{HONCHO} web worker beat` answered "
           f"/api/docs {answered:.1f} s later; a due timer fired through its worker and beat in {fired:.1f} s; "
           f"on SIGTERM honcho exited {stopped} and stopped web, worker and beat (port closed, no database "
           f"connection left)")
