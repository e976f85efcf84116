"""deploy/Caddyfile in front of two real gunicorn nodes: traffic goes only to a node whose /readyz says 200.

The site address, the TLS line and the node addresses are the only parts swapped for loopback ones.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.cli import deploy, migrate
from tests.conftest import _settings
from tests.deploy.layout import DEPLOY


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback test servers
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def _until(check, what: str, seconds: float = 30) -> None:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    pytest.fail(f"{what} skete ikke inden for {seconds:.0f} s")


class Node:
    def __init__(self, database: Path, log: Path) -> None:
        self.port, self.log = _free_port(), log
        env = {**os.environ, "SAGSFLOW_DATABASE_URL": f"sqlite:///{database}", "SAGSFLOW_SECRET_KEY": "proeve",
               "SAGSFLOW_BIND": f"127.0.0.1:{self.port}", "SAGSFLOW_WEB_WORKERS": "1", "SAGSFLOW_WEB_THREADS": "2"}
        self.process = subprocess.Popen(  # noqa: S603 - our own command from the Procfile
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py",
             "service.app:create_app()"], cwd=DEPLOY.parent, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        _until(lambda: self._answers(), "gunicorn svarer")

    def _answers(self) -> bool:
        assert self.process.poll() is None, self.log.read_text()
        try:
            return _status(f"http://127.0.0.1:{self.port}/healthz") == 200
        except OSError:
            return False

    def served(self, path: str) -> int:
        return sum(f'"path": "{path}"' in line for line in self.log.read_text().splitlines())


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen]]:
    processes: list[subprocess.Popen] = []
    yield processes
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_proxy_sends_requests_only_to_ready_nodes(sqlite_template, tmp_path, started):
    caddy = shutil.which("caddy")
    assert caddy, "caddy mangler (Debian-pakken caddy; `make deploy-tools`)"
    ready_db, later_db = tmp_path / "klar.db", tmp_path / "senere.db"
    shutil.copy(sqlite_template, ready_db)
    deploy(_settings(f"sqlite:///{ready_db}"))
    ready = Node(ready_db, tmp_path / "klar.log")
    started.append(ready.process)
    later = Node(later_db, tmp_path / "senere.log")  # no database yet: /readyz says 503
    started.append(later.process)
    assert _status(f"http://127.0.0.1:{later.port}/readyz") == 503

    config = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    assert "reverse_proxy web1:8000 web2:8000 {" in config
    config = "{\n\tadmin off\n}\n" + config.replace(
        "web1:8000 web2:8000", f"127.0.0.1:{ready.port} 127.0.0.1:{later.port}")
    config = "\n".join(line for line in config.splitlines() if not line.strip().startswith("tls "))
    (tmp_path / "Caddyfile").write_text(config)
    proxy_port = _free_port()
    proxy = subprocess.Popen(  # noqa: S603 - the Debian caddy binary
        [caddy, "run", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile"],
        env={**os.environ, "SAGSFLOW_DOMAIN": f"http://127.0.0.1:{proxy_port}", "XDG_DATA_HOME": str(tmp_path),
             "XDG_CONFIG_HOME": str(tmp_path)}, stdout=(tmp_path / "caddy.log").open("w"), stderr=subprocess.STDOUT)
    started.append(proxy)
    base = f"http://127.0.0.1:{proxy_port}"

    def proxied(path: str) -> int:
        try:
            return _status(base + path)
        except OSError:
            return 0

    # once the first health checks have run, every request lands on the ready node
    _until(lambda: all(proxied("/readyz") == 200 for _ in range(10)), "proxyen sender kun til den klare node")
    before = later.served("/healthz")
    assert [proxied("/healthz") for _ in range(30)] == [200] * 30
    assert later.served("/healthz") == before
    assert proxied("/metrics") == 404  # Prometheus scrapes the nodes, not the public name

    # the release step runs for the other node's database (migrate, deploy): it becomes ready and gets traffic
    migrate(_settings(f"sqlite:///{later_db}"))
    deploy(_settings(f"sqlite:///{later_db}"))
    assert _status(f"http://127.0.0.1:{later.port}/readyz") == 200
    _until(lambda: proxied("/healthz") == 200 and later.served("/healthz") > before, "den anden node får trafik")
