"""Nodes started at the same moment on a fresh PostgreSQL database all come up: migrate and deploy take turns."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from service.config import ROOT
from tests.conftest import empty_postgres_database

NODES = 3


@pytest.fixture
def fresh_postgres_url() -> Iterator[str]:
    with empty_postgres_database("sagsflow_fresh") as url:
        yield url


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
