"""Beat's heartbeat in the database: every tick notes its time, so any node's /metrics can tell a stopped beat."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from service import clock
from service.metrics.models import BEAT, Heartbeat
from service.uow import UnitOfWork

STALE_AFTER = timedelta(seconds=30)  # beat ticks every second: 30 s without one means no timer fires


def record_tick(session_factory: sessionmaker) -> None:
    """Note that a tick ran now (its own small transaction; an upsert, so no row needs to exist first)."""
    with UnitOfWork(session_factory) as uow:
        now = clock.now()
        dialect = postgresql if uow.session.get_bind().dialect.name == "postgresql" else sqlite
        uow.session.execute(dialect.insert(Heartbeat).values(name=BEAT, beat_at=now)
                            .on_conflict_do_update(index_elements=["name"], set_={"beat_at": now}))
        uow.commit()


def last_tick(session: Session) -> datetime | None:
    return session.scalar(select(Heartbeat.beat_at).where(Heartbeat.name == BEAT))


def is_stale(last: datetime | None) -> bool:
    return last is None or clock.now() - last > STALE_AFTER
