"""Throwaway PostgreSQL and Redis for the drills, on loopback ports of their own, in a temporary directory.

Debian's binaries only (postgresql-15's initdb/pg_ctl, redis-server): `make drills` installs them when missing.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

PG_PORT = int(os.environ.get("SAGSFLOW_DRILL_PG_PORT", "55432"))
REDIS_PORT = int(os.environ.get("SAGSFLOW_DRILL_REDIS_PORT", "56379"))


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError("PostgreSQL's server binaries mangler (apt-get install postgresql)")
    return Path(found[-1]).parent


def _free(port: int) -> None:
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(f"port {port} er optaget; øvelserne kører på deres egne porte")


def wait_port(port: int, *, up: bool, seconds: float = 30) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        with socket.socket() as s:
            if (s.connect_ex(("127.0.0.1", port)) == 0) == up:
                return
        time.sleep(0.05)
    raise RuntimeError(f"port {port} blev ikke {'åben' if up else 'lukket'} inden for {seconds} s")


class Postgres:
    """A cluster of its own (initdb), run as the postgres user when we are root (initdb refuses root)."""

    def __init__(self, base: Path, port: int = PG_PORT) -> None:
        self.port, self.bin = port, _pg_bin()
        self.dir = base / "pg"
        self.data, self.log = self.dir / "data", self.dir / "postgres.log"
        self.admin_url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/sagsflow"

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    def start(self) -> None:
        _free(self.port)
        if not self.data.exists():
            self.dir.mkdir(parents=True)
            if os.geteuid() == 0:
                os.chmod(self.dir.parent, 0o755)  # noqa: S103 - the postgres user must reach its data dir
                shutil.chown(self.dir, "postgres", "postgres")
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8")
        # fsync off: a throwaway cluster; no drill crashes the machine, so commits stay durable for them.
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=300 "
                   "-c fsync=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")
        wait_port(self.port, up=True)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


class Redis:
    def __init__(self, base: Path, port: int = REDIS_PORT) -> None:
        self.port, self.dir = port, base / "redis"
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server mangler (apt-get install redis-server)")
        _free(self.port)
        self.dir.mkdir(exist_ok=True)
        log = open(self.dir / "redis.log", "a")  # noqa: SIM115 - lives as long as the process
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir), "--save", "",
             "--appendonly", "no"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_port(self.port, up=True)

    def kill(self) -> None:
        """SIGKILL: nothing saved (no persistence), queued messages are gone, as after a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        wait_port(self.port, up=False)

    stop = kill
