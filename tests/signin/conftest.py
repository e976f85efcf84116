"""A real OpenID Connect provider (npm oidc-provider) on a loopback port, and the app configured to use it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from service import clock
from service.config import Settings

PROVIDER_DIR = Path(__file__).resolve().parent.parent / "oidc_provider"
CLIENT_ID = "sagsflow-test"
CLIENT_SECRET = "test-only-client-secret"
REDIRECT_URI = "http://localhost/log-ind/oidc/retur"  # what the app derives in Flask's test client

GROUP_MAP = """\
# The first group from the top that a person is in decides.
"sagsflow-teamledere-nord" = { rolle = "teamleder", team = "Team Nord" }
"sagsflow-raadgivere-nord" = { rolle = "raadgiver", team = "Team Nord" }
"sagsflow-raadgivere-syd" = { rolle = "raadgiver", team = "Team Syd" }
"CN=Sagsflow Procesejere,OU=Grupper,DC=kommune,DC=dk" = { rolle = "procesejer" }
"""


@dataclass
class Provider:
    issuer: str
    accounts_file: Path

    def set_accounts(self, accounts: dict[str, dict[str, Any]], *, tamper_id_token: bool = False) -> None:
        """What the provider knows about each person (by `sub`) from the next log-in on."""
        self.accounts_file.write_text(json.dumps({"accounts": accounts, "tamper_id_token": tamper_id_token}))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_provider(tmp_path_factory: pytest.TempPathFactory, **extra_env: str) -> Iterator[Provider]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node (Node.js 20+) is needed for the OpenID Connect tests")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, check=True,  # noqa: S607
                       capture_output=True, timeout=300)
    port = _free_port()
    provider = Provider(f"http://127.0.0.1:{port}", tmp_path_factory.mktemp("oidc") / "accounts.json")
    provider.set_accounts({})
    env = {**os.environ, "PORT": str(port), "ISSUER": provider.issuer, "CLIENT_ID": CLIENT_ID,
           "CLIENT_SECRET": CLIENT_SECRET, "REDIRECT_URI": REDIRECT_URI,
           "ACCOUNTS_FILE": str(provider.accounts_file), **extra_env}
    process = subprocess.Popen([node, "provider.mjs"], cwd=PROVIDER_DIR, env=env, stdout=subprocess.PIPE,  # noqa: S603
                               stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()  # blocks until the provider listens (or dies: then it is empty)
        assert line.startswith("ready"), f"oidc-provider did not start: {line!r}"
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """Groups in the ID token (as AD FS and Entra ID send them)."""
    yield from _run_provider(tmp_path_factory)


@pytest.fixture(scope="session")
def userinfo_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """Groups only from the userinfo endpoint, not in the ID token."""
    yield from _run_provider(tmp_path_factory, CONFORM_ID_TOKEN_CLAIMS="1")


@pytest.fixture
def frozen_clock() -> Iterator[clock.FrozenClock]:
    """The provider stamps tokens with the real time, so our clock starts there (and moves only when told)."""
    fixed = clock.FrozenClock(datetime.now(UTC))
    previous = clock.use(fixed)
    yield fixed
    clock.use(previous)


@pytest.fixture
def group_map(tmp_path: Path) -> Path:
    path = tmp_path / "grupper.toml"
    path.write_text(GROUP_MAP, encoding="utf-8")
    return path


@pytest.fixture
def settings(database_url: str, oidc_provider: Provider, group_map: Path) -> Settings:
    from tests.conftest import _settings
    return replace(_settings(database_url), oidc_issuer=oidc_provider.issuer, oidc_client_id=CLIENT_ID,
                   oidc_client_secret=CLIENT_SECRET, oidc_group_map=group_map,
                   oidc_scopes="openid profile email groups")


@pytest.fixture
def provider(oidc_provider: Provider) -> Iterator[Provider]:
    oidc_provider.set_accounts({})
    yield oidc_provider
    oidc_provider.set_accounts({})
