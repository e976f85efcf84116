"""The production processes, started with deploy/Procfile's own command lines, one process group each.

The drills read the Procfile (with the reader the layout tests use) instead of repeating its commands, so they
cannot drift apart.
Each process runs through a shell in a session of its own, so a SIGKILL reaches the whole group (a gunicorn
master and its workers, a Celery worker and its pool), as when a machine or container dies.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from service.config import ROOT
from tests.deploy.layout import procfile


def environment(**settings: str) -> dict[str, str]:
    """This environment with the virtualenv's scripts (gunicorn, celery, sagsflow) first on PATH, importing
    this checkout's code (an installed `sagsflow` script may point at another one)."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return {**os.environ, "PATH": path, "PYTHONPATH": str(ROOT), **settings}


class Process:
    """One Procfile process (or `command`, e.g. honcho itself); its output goes to `<logs>/<name>.log`."""

    def __init__(self, name: str, kind: str, env: dict[str, str], logs: Path, command: str | None = None) -> None:
        self.name, self.kind, self.logs, self.command = name, kind, logs, command
        # PGAPPNAME names its database connections, so a drill can tell which backends are this process's.
        self.env = {**env, "PGAPPNAME": name}
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.logs / f"{self.name}.log", "a")  # noqa: SIM115 - lives as long as the process
        self.popen = subprocess.Popen(["/bin/sh", "-c", self.command or procfile()[self.kind]], cwd=ROOT, env=self.env,
                                      stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal(self, sig: int) -> None:
        if self.popen is not None:
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        """SIGKILL to the whole group: no shutdown code runs, open transactions die with their connections."""
        self.signal(signal.SIGKILL)
        if self.popen is not None:
            self.popen.wait(10)

    def stop(self, grace: float = 10) -> None:
        if not self.alive:
            self.signal(signal.SIGKILL)  # children of a dead shell, if any
            return
        self.signal(signal.SIGTERM)
        try:
            self.popen.wait(grace)
        except subprocess.TimeoutExpired:
            pass
        self.signal(signal.SIGKILL)
        self.popen.wait(5)

    def tail(self, lines: int = 15) -> str:
        path = self.logs / f"{self.name}.log"
        text = path.read_text(errors="replace").splitlines() if path.exists() else []
        return f"--- {self.name} ---\n" + "\n".join(line[:400] for line in text[-lines:])


def run_release(env: dict[str, str], logs: Path) -> None:
    """The Procfile's one-shot `release` (migrate, deploy), run to its end like a release phase."""
    with open(logs / "release.log", "w") as log:
        done = subprocess.run(["/bin/sh", "-c", procfile()["release"]], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT, timeout=180)
    if done.returncode != 0:
        raise RuntimeError(f"release fejlede ({done.returncode}):\n{(logs / 'release.log').read_text()[-2000:]}")


def wait_until(check, seconds: float, what: str, every: float = 0.1):  # noqa: ANN001, ANN201
    """Poll `check()` until it returns something truthy; fail naming `what` after `seconds` (wall clock)."""
    until = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > until:
            raise AssertionError(f"{what}: ikke inden for {seconds} s")
        time.sleep(every)
