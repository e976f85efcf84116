"""One set-up for all drills (started once: ~20 s); each drill finds every process up again."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from drills.stack import Stack

_counts: list[str] = []
_stack: list[Stack] = []
_failures: list[str] = []


def report(line: str) -> None:
    """A drill's counts: printed now (with -s) and again in the summary at the end of the run."""
    print(line, flush=True)
    _counts.append(line)


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    base = Path(tempfile.mkdtemp(prefix="sagsflow_drills_"))
    started = time.monotonic()
    s = Stack(base)
    _stack.append(s)
    try:
        try:
            s.start()
        except BaseException:
            _failures.append("set-up")
            raise
        report(f"set-up: PostgreSQL :{s.pg.port}, Redis :{s.redis.port}, web ×2, worker ×2, beat ×1 "
               f"up in {time.monotonic() - started:.1f} s; load average {os.getloadavg()[0]:.1f} on "
               f"{os.cpu_count()} cores (logs {s.logs})")
        yield s
    finally:
        s.stop()
        if not _failed():
            shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def up(stack: Stack) -> Stack:
    stack.ensure_up()
    return stack


def _failed() -> bool:
    return bool(_failures)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.failed:
        _failures.append(report.nodeid)


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001
    if _counts:
        terminalreporter.write_sep("-", "drills: counts")
        for line in _counts:
            terminalreporter.write_line(line)
    if _failed() and _stack:
        terminalreporter.write_sep("-", "drills: last log lines (logs kept)")
        terminalreporter.write_line(_stack[0].tails())
