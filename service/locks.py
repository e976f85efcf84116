"""Cross-node turn-taking on the database: who migrates, who deploys, which beat fires.

PostgreSQL advisory locks need no table and die with their connection (a killed process frees its turn at
once). The keys are named here, once, so two uses can never share one by accident.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

MIGRATE = 74210901  # service/migrations/env.py: one node migrates, the others wait, then find nothing to do
DEPLOY = 74210902  # process_models.store: parallel `sagsflow deploy` store each version once
BEAT = 74210903  # tasks/beat.py: held for life by the one beat that sends ticks


def take_turn(session: Session, key: int, *, sqlite_table: Any) -> None:
    """Wait for our turn; it lasts until the transaction ends (commit or rollback).

    SQLite has no advisory locks: a write statement that changes nothing takes its write lock for the rest of
    the transaction (what BEGIN IMMEDIATE would do); the other writer waits, up to the busy timeout.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    else:
        column = next(iter(sqlite_table.primary_key.columns))
        session.execute(sqlite_table.update().where(text("0 = 1")).values({column.name: column}))
