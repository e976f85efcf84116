"""Connection pool sizes come from the settings, so they can be sized against PostgreSQL's max_connections."""

from __future__ import annotations

from dataclasses import replace

from service.app import create_app
from service.config import Settings
from tests.conftest import _settings


def test_the_pool_size_and_overflow_given_in_the_environment_bound_the_app_engine(postgres_url):
    given = Settings.from_env({"SAGSFLOW_DB_POOL_SIZE": "3", "SAGSFLOW_DB_MAX_OVERFLOW": "1"})
    app = create_app(replace(_settings(postgres_url), db_pool_size=given.db_pool_size,
                             db_max_overflow=given.db_max_overflow))
    engine = app.extensions["sagsflow"]["engine"]
    connections = [engine.connect() for _ in range(4)]  # pool 3 + overflow 1: all four at once
    try:
        assert engine.pool.size() == 3 and engine.pool.overflow() == 1
        assert engine.pool.checkedout() == 4
    finally:
        for conn in connections:
            conn.close()
    assert engine.pool.checkedin() == 3  # the overflow connection is closed again, the pool's three stay open
    engine.dispose()
