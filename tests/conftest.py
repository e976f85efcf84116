"""Real databases (SQLite and PostgreSQL), migrated with Alembic; a frozen clock; real engine."""

from __future__ import annotations

import gc
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import create_engine, text

from service import clock
from service.app import create_app
from service.cli import migrate
from service.config import ROOT, Settings
from service.db import make_engine, make_session_factory
from service.demo import seed_people
from service.indsatsvifte.demo import seed_catalogue
from service.uow import UnitOfWork
from service.wiring import install as install_followers
from tests.support import ApiClient

PG_ADMIN_URL = os.environ.get("SAGSFLOW_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REQUIRE_PG = os.environ.get("SAGSFLOW_REQUIRE_POSTGRES") == "1"
REDIS_SERVER = "redis://127.0.0.1:6379"
REDIS_URL = os.environ.get("SAGSFLOW_TEST_REDIS_URL")  # a fixed database; otherwise one is claimed per process

install_followers()  # as every entrypoint does at start-up: tests also call the services without an app


def _settings(url: str) -> Settings:
    # Tokens outlive the months a test moves its clock through; tests/api/test_login_security.py tests expiry.
    return Settings(database_url=url, secret_key="test", workflows_dir=ROOT / "workflows",
                    forms_dir=ROOT / "forms", demo_mode=True, testing=True, token_hours=24 * 365 * 5)


def pytest_configure(config: pytest.Config) -> None:
    # A test process builds and drops thousands of apps, engines and workflows: with Python's default
    # thresholds the collector walks that heap again and again (a fifth of the suite's CPU time, measured).
    # Collected less often, every cycle is still freed; only the suite's own process is tuned.
    gc.set_threshold(100_000, 20, 1000)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "template.db"
    migrate(_settings(f"sqlite:///{path}"))
    return path


@contextmanager
def empty_postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for the duration (skipped, or failed in CI, when there is no server)."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as err:  # noqa: BLE001 - any connection failure means "no server here"
        admin.dispose()
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL kræves (SAGSFLOW_REQUIRE_POSTGRES=1), men er ikke tilgængelig: {err}")
        pytest.skip(f"PostgreSQL ikke tilgængelig: {err}")
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        if url in _emptying:
            _emptying.pop(url)[0].dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with empty_postgres_database("sagsflow_test") as url:
        migrate(_settings(url))
        yield url


_emptying: dict[str, tuple[Any, str]] = {}  # url -> (engine, the statements that empty its tables)


def _truncate_all(url: str) -> None:
    """Every table empty and every id from 1 again, as after the migration.

    DELETE, not TRUNCATE: on tables this small it is ten times faster (TRUNCATE makes new files for every
    table), and with the replica role no foreign key or append-only trigger is consulted, so the order of the
    tables does not matter. The engine is kept for the process: a new connection per test costs as much again.
    """
    if url not in _emptying:
        engine = create_engine(url, pool_pre_ping=True)  # some tests end every connection to the database
        with engine.connect() as conn:
            tables = [r[0] for r in conn.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'"))]
            sequences = [r[0] for r in conn.execute(text(
                "SELECT sequencename FROM pg_sequences WHERE schemaname='public'"))]
            # The replica role needs a superuser (as in CI); a role that only owns its test databases truncates.
            superuser = conn.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
        quoted = ", ".join(f'"{t}"' for t in tables)
        _emptying[url] = (engine, "; ".join(
            ["SET LOCAL session_replication_role = replica",
             *(f'DELETE FROM "{t}"' for t in tables),  # noqa: S608 - names from pg_tables
             *(f'ALTER SEQUENCE "{q}" RESTART' for q in sequences)]
            if superuser else [f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"]))
    engine, statements = _emptying[url]
    with engine.begin() as conn:
        conn.exec_driver_sql(statements)


def _redis_unavailable(err: Exception) -> None:
    if os.environ.get("SAGSFLOW_REQUIRE_REDIS") == "1":
        pytest.fail(f"Redis kræves (SAGSFLOW_REQUIRE_REDIS=1), men svarer ikke: {err}")
    pytest.skip(f"Redis svarer ikke: {err}")


@pytest.fixture(scope="session")
def redis_database() -> Iterator[str]:
    """A Redis database (1-15) that no other test process uses while this one runs.

    Two suites at once (pytest-xdist's workers, or a second `make test` beside the first) would otherwise flush
    each other's Celery queues. The claim is a key in database 0 with an expiry, so a killed run frees it.
    """
    if REDIS_URL:
        yield REDIS_URL
        return
    claims = redis.Redis.from_url(f"{REDIS_SERVER}/0")
    owner = uuid.uuid4().hex
    try:
        number = next((n for n in range(15, 0, -1)
                       if claims.set(f"sagsflow-test:redis-db:{n}", owner, nx=True, ex=3 * 3600)), None)
    except redis.RedisError as err:
        _redis_unavailable(err)
    if number is None:
        pytest.fail("Alle Redis-databaser 1-15 er optaget af andre testkørsler")
    try:
        yield f"{REDIS_SERVER}/{number}"
    finally:
        if claims.get(f"sagsflow-test:redis-db:{number}") == owner.encode():
            claims.delete(f"sagsflow-test:redis-db:{number}")


@pytest.fixture
def broker(redis_database: str) -> str:
    """An empty Redis database for Celery (skipped without Redis, failed when SAGSFLOW_REQUIRE_REDIS=1)."""
    try:
        redis.Redis.from_url(redis_database).flushdb()
    except redis.RedisError as err:
        _redis_unavailable(err)
    return redis_database


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "sagsflow.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    _truncate_all(url)
    return url


@pytest.fixture
def frozen_clock() -> Iterator[clock.FrozenClock]:
    fixed = clock.FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    previous = clock.use(fixed)
    yield fixed
    clock.use(previous)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return replace(_settings(database_url), documents_dir=tmp_path / "dokumenter")


@pytest.fixture
def app(settings: Settings, frozen_clock: clock.FrozenClock):  # noqa: ANN201
    from service.cli import deploy
    deploy(settings)
    application = create_app(settings)
    with UnitOfWork(application.extensions["sagsflow"]["session_factory"]) as unit:
        seed_people(unit)
        seed_catalogue(unit)  # iværksættelse needs a measure and provider from the indsatsvifte
        unit.commit()
    yield application
    application.extensions["sagsflow"]["engine"].dispose()


@pytest.fixture
def uow(settings: Settings) -> Iterator[UnitOfWork]:
    engine = make_engine(settings.database_url)
    with UnitOfWork(make_session_factory(engine)) as unit:
        yield unit
    engine.dispose()


@pytest.fixture
def api(app) -> ApiClient:  # noqa: ANN001
    return ApiClient(app)


@pytest.fixture(autouse=True)
def projection_matches_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """After every engine step of every test, our tables hold exactly what the engine waits for.

    The followers touch only what a step changed (they trust that the rows matched when the step began),
    so a drift would otherwise go unnoticed until a task or deadline silently went missing.
    """
    from service.engine import followers
    real = followers.follow

    def checked(uow: UnitOfWork, **kw: object) -> followers.Step:
        step = real(uow, **kw)
        assert_projection_matches(uow, kw["instance"], kw["result"])
        return step

    monkeypatch.setattr(followers, "follow", checked)


def assert_projection_matches(uow: UnitOfWork, instance: object, result: object) -> None:
    from tests.projection_check import projection_differences
    uow.session.flush()
    problems = projection_differences(uow.session, instance.id, ready={t.id for t in result.ready_tasks},
                                      timers={t.task_id for t in result.waiting_timers},
                                      messages=result.waiting_messages)
    assert not problems, problems


@pytest.fixture(autouse=True)
def answers_read_before_commit() -> Iterator[None]:
    """An API request that changes state builds its answer from what it read before its commit
    (tests/answers_before_commit.py): a lost connection after the commit cannot turn done work into an error."""
    from tests.answers_before_commit import reads_after_commit
    with reads_after_commit() as late:
        yield
    assert not late, f"læst efter commit: {late}"
