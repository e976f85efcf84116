"""deploy/backup.sh and deploy/restore.sh, as the runbook says to run them: a restore brings back every case,
journal row and open timer (and every other row), and the restored database is ready to serve."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from service.app import create_app
from service.cli import deploy
from service.demo import seed_people
from service.health import readiness_problems
from service.indsatsvifte.demo import seed_catalogue
from service.uow import UnitOfWork
from tests.conftest import PG_ADMIN_URL, _settings, _truncate_all
from tests.deploy.layout import DEPLOY
from tests.support import ApiClient, complete, receive, walk_to_running_measure

pytestmark = pytest.mark.postgres


def _run(script: str, url: str, *args: str) -> subprocess.CompletedProcess:
    for tool in ("pg_dump", "pg_restore", "psql"):
        assert shutil.which(tool), f"{tool} mangler (Debian-pakken postgresql-client; `make deploy-tools`)"
    return subprocess.run([str(DEPLOY / script), *args], env={**os.environ, "SAGSFLOW_DATABASE_URL": url},
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def fresh_database(postgres_url: str) -> Iterator[str]:
    """A new, empty database on the same server, as the runbook has the operator create one."""
    name = f"sagsflow_restore_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield postgres_url.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _snapshot(url: str) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table, in a stable order."""
    engine = create_engine(url)
    with engine.connect() as conn:
        tables = list(conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")))
        rows = {t: sorted(tuple(map(repr, row)) for row in conn.execute(text(f'SELECT * FROM "{t}"')))  # noqa: S608 - names from pg_tables
                for t in tables}
    engine.dispose()
    return rows


def _count(url: str, sql: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        value = conn.scalar(text(sql))
    engine.dispose()
    return value


def test_a_restore_brings_back_every_case_journal_row_and_open_timer(postgres_url, fresh_database, tmp_path,
                                                                     frozen_clock):
    _truncate_all(postgres_url)
    settings = _settings(postgres_url)
    deploy(settings)
    app = create_app(settings)
    with UnitOfWork(app.extensions["sagsflow"]["session_factory"]) as unit:
        seed_people(unit)
        seed_catalogue(unit)
        unit.commit()
    api = ApiClient(app)
    running = receive(api)["case_id"]
    walk_to_running_measure(api, running)  # a contract and the follow-up timers
    assessed = receive(api, cpr="020219-4322", barnets_navn="Anton Berg")["case_id"]
    complete(api, assessed, "vurdering_24t")
    receive(api, cpr="030318-4323", barnets_navn="Ida Lund")  # only the 24-hour deadline open
    app.extensions["sagsflow"]["engine"].dispose()
    before = _snapshot(postgres_url)
    assert len(before["cases"]) == 3
    assert len(before["journal"]) > 20
    open_timers = _count(postgres_url, "SELECT count(*) FROM timers WHERE status = 'aaben'")
    assert open_timers >= 3

    dump = tmp_path / "sagsflow.dump"
    backup = _run("backup.sh", postgres_url, str(dump))
    assert backup.returncode == 0, backup.stderr
    assert dump.stat().st_size > 0 and not Path(f"{dump}.tmp").exists()
    restored = _run("restore.sh", fresh_database, str(dump))
    assert restored.returncode == 0, restored.stderr

    after = _snapshot(fresh_database)
    assert after == before
    assert _count(fresh_database, "SELECT count(*) FROM timers WHERE status = 'aaben'") == open_timers
    engine = create_engine(fresh_database)
    assert readiness_problems(engine) == []  # migrations at head, models deployed: /readyz would say 200
    engine.dispose()

    # The restored database takes new work: sequences came back too, so new rows get new ids.
    restored_app = create_app(_settings(fresh_database))
    receive(ApiClient(restored_app), cpr="241012-1231", barnets_navn="Emil Holm")
    restored_app.extensions["sagsflow"]["engine"].dispose()
    assert _count(fresh_database, "SELECT count(*) FROM journal") > len(before["journal"])
    assert _count(fresh_database, "SELECT count(*) FROM cases") == 4


def test_restore_refuses_a_database_that_is_not_empty(postgres_url, tmp_path):
    dump = tmp_path / "sagsflow.dump"
    assert _run("backup.sh", postgres_url, str(dump)).returncode == 0
    refused = _run("restore.sh", postgres_url, str(dump))
    assert refused.returncode == 1
    assert "er ikke tom" in refused.stderr and "gendan kun i en ny, tom database" in refused.stderr
