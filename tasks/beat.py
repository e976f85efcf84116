"""Exactly one beat sends ticks: a second `celery beat` started by mistake waits, and takes over when the first dies.

The ticks themselves are harmless twice over (workers claim due timers with SKIP LOCKED), but two beats would
double the load and every helper call-in. So beat holds a lock for as long as it lives:

- PostgreSQL: a session advisory lock on its own connection. A killed process closes its socket and frees the
  lock at once; a machine that dies outright is noticed by the server's TCP keepalives, set short on that
  session, so the standby takes over within about 30 s either way.
- SQLite (one machine only): an flock on a file beside the database, freed by the kernel when the process ends.

The waiting beat tries again every second. A beat that loses its connection stops sending and waits again.
"""

from __future__ import annotations

import fcntl
import logging
import time
from pathlib import Path
from typing import IO, Any

from celery.beat import PersistentScheduler
from sqlalchemy import create_engine, exc, pool
from sqlalchemy.engine import Connection

from service import locks

log = logging.getLogger("sagsflow.beat")

WAIT_SECONDS = 1.0  # how often a waiting beat tries for the lock: how soon it takes over
CHECK_SECONDS = 5.0  # how often the beat that sends checks that it still holds the lock
# The lock's session: keepalives so the server frees the lock ~25 s after the beat's machine vanishes.
_KEEPALIVE = ("-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3 "
              "-c tcp_user_timeout=25000")


class BeatLock:
    """Held by at most one beat process across all machines sharing the database."""

    def __init__(self, database_url: str) -> None:
        self._url = database_url
        self._engine = None if database_url.startswith("sqlite") else create_engine(
            database_url, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT",
            connect_args={"connect_timeout": 5, "options": _KEEPALIVE})
        self._conn: Connection | None = None
        self._file: IO[str] | None = None
        self._checked = 0.0
        self._said_waiting = False

    def held(self) -> bool:
        """True while this process holds the lock; tries to take it when not (never blocks)."""
        if self._url.startswith("sqlite"):
            return self._file is not None or self._take_file()
        if self._conn is not None:
            return self._still_connected()
        return self._take_advisory()

    def _take_advisory(self) -> bool:
        assert self._engine is not None
        try:
            conn = self._engine.connect()
            got = conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({locks.BEAT})").scalar()
        except exc.DBAPIError as err:
            log.warning("beat kan ikke nå databasen for at tage beat-låsen (%s); prøver igen", type(err).__name__)
            return False
        if not got:
            conn.close()
            self._waiting()
            return False
        self._conn, self._checked = conn, time.monotonic()
        log.warning("beat har beat-låsen og sender ticks")
        return True

    def _still_connected(self) -> bool:
        assert self._conn is not None
        if time.monotonic() - self._checked < CHECK_SECONDS:
            return True
        try:
            self._conn.exec_driver_sql("SELECT 1")
        except exc.DBAPIError:
            # The server frees a lock whose session is gone; another beat may hold it by now.
            log.error("beat mistede forbindelsen, der holder beat-låsen; stopper ticks og venter på låsen")
            self._conn.invalidate()
            self._conn = None
            return False
        self._checked = time.monotonic()
        return True

    def _take_file(self) -> bool:
        path = Path(self._url.removeprefix("sqlite:///") + ".beat.lock")
        handle = path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            self._waiting()
            return False
        self._file = handle
        log.warning("beat har beat-låsen og sender ticks")
        return True

    def _waiting(self) -> None:
        if not self._said_waiting:  # once, not every second
            log.warning("en anden beat sender ticks; denne beat venter og overtager, hvis den stopper")
            self._said_waiting = True

    def release(self) -> None:
        if self._conn is not None:
            self._conn.close()  # closing the session frees the advisory lock
            self._conn = None
        if self._file is not None:
            self._file.close()
            self._file = None


class SingleBeatScheduler(PersistentScheduler):
    """Celery's own scheduler, sending only while this beat holds the lock (`beat_scheduler` in celery_app)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from tasks.celery_app import settings
        self.lock = BeatLock(settings.database_url)
        super().__init__(*args, **kwargs)

    def tick(self, *args: Any, **kwargs: Any) -> float:
        if not self.lock.held():
            return WAIT_SECONDS
        return min(super().tick(*args, **kwargs), CHECK_SECONDS)

    def close(self) -> None:
        super().close()
        self.lock.release()
