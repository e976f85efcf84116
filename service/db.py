"""Database engine, session factory and the declarative base."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, create_engine, event, exc
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, sessionmaker
from sqlalchemy.types import JSON, TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; SQLite forgets the zone, so it is put back on load."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# JSONB on PostgreSQL (indexable, compact), plain JSON text on SQLite.
JsonDoc = JSON().with_variant(JSONB(), "postgresql")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
    # SQLite's own lower() knows only ASCII; searches by a child's name must match Æ, Ø and Å too.
    dbapi_connection.create_function("lower", 1, lambda v: v.lower() if isinstance(v, str) else v,
                                     deterministic=True)


def make_engine(url: str, *, pool_size: int = 5, max_overflow: int = 5) -> Engine:
    """The engine; on PostgreSQL each process keeps up to `pool_size` connections, and opens up to `max_overflow`
    more for a burst (how to size them against max_connections: deploy/sagsflow.env.example)."""
    # hide_parameters: a database error must never write a CPR number or a child's name into a log.
    if url.startswith("sqlite"):
        engine = create_engine(url, json_serializer=json.dumps, connect_args={"check_same_thread": False},
                               hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow,
                         hide_parameters=True, connect_args={"connect_timeout": 5})


def check_reachable(engine: Engine) -> None:
    """Start-up check: the database answers. Raises ConfigError with one line naming where it looked."""
    from service.config import ConfigError
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except exc.DBAPIError as err:
        where = engine.url.render_as_string(hide_password=True)
        reason = " ".join(str(err.orig or type(err).__name__).split())[:300]
        raise ConfigError(f"Databasen kan ikke nås: {where} ({reason})") from None


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)


def check_start(settings: Any) -> None:
    """What every entry point checks before it starts: the settings, then (not for SQLite) the database."""
    settings.check()
    if settings.database_url.startswith("sqlite"):
        return  # the file is created by the first migration
    engine = make_engine(settings.database_url)
    try:
        check_reachable(engine)
    finally:
        engine.dispose()
