"""Nodes started at the same moment on a fresh PostgreSQL database all come up: migrate and deploy take turns."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, text

from service.config import ROOT
from tests.conftest import PG_ADMIN_URL, REQUIRE_PG

NODES = 3


@pytest.fixture
def fresh_postgres_url():  # noqa: ANN201
    name = f"sagsflow_fresh_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as err:  # noqa: BLE001 - any connection failure means "no server here"
        admin.dispose()
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL kræves (SAGSFLOW_REQUIRE_POSTGRES=1), men er ikke tilgængelig: {err}")
        pytest.skip(f"PostgreSQL ikke tilgængelig: {err}")
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_three_nodes_migrating_and_deploying_at_once_all_come_up_with_one_version_per_process(fresh_postgres_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAGSFLOW_")}
    env["SAGSFLOW_DATABASE_URL"] = fresh_postgres_url
    sagsflow = f"'{sys.executable}' -m service.cli"  # this checkout's code, as the `sagsflow` script runs it
    command = f"{sagsflow} migrate && {sagsflow} deploy"
    nodes = [subprocess.Popen(["/bin/sh", "-c", command], env=env, cwd=ROOT, stdout=subprocess.PIPE,  # noqa: S603
                              stderr=subprocess.STDOUT, text=True) for _ in range(NODES)]
    outputs = [node.communicate(timeout=120)[0] for node in nodes]
    assert [node.returncode for node in nodes] == [0] * NODES, "\n---\n".join(outputs)

    engine = create_engine(fresh_postgres_url)
    with engine.connect() as conn:
        versions = {process: n for process, n in conn.execute(text(
            "SELECT process_id, count(*) FROM process_versions GROUP BY process_id"))}
    engine.dispose()
    assert versions and set(versions.values()) == {1}, versions
    created = sum(line.count("(ny)") for line in outputs)
    assert created == len(versions), "hver proces skal være oprettet af præcis én node"
