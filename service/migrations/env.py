"""Alembic environment: runs against the URL the sagsflow CLI (or tests) put in the config."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

import service.models  # noqa: F401 - registers every table on Base.metadata
from service import locks
from service.db import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with connectable.connect() as connection:
        if connection.dialect.name == "postgresql":
            # Several nodes may start at once: only one migrates, the others wait for it.
            connection.exec_driver_sql(f"SELECT pg_advisory_lock({locks.MIGRATE})")
            connection.commit()
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_unlock({locks.MIGRATE})")
            connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
