"""Ends the PostgreSQL backend of the service's own connection at a chosen point of a request, from a second
connection, as a fail-over, a restart or an administrator's pg_terminate_backend does: the next thing the service
sends on that connection fails as it would in production. Armed for one point, it fires once; `fired` tells a test
that it hit what it meant to."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

from tests.conftest import PG_ADMIN_URL

BEFORE_STATEMENT = "before the statement"  # the first statement matching the pattern
AT_COMMIT = "at commit"
AFTER_COMMIT = "after commit"  # the first statement after a commit
AT_ROLLBACK = "at rollback"  # e.g. the request's teardown


class ConnectionKiller:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        admin = make_url(PG_ADMIN_URL)
        self._admin = psycopg.connect(host=admin.host, port=admin.port or 5432, user=admin.username,
                                      dbname=admin.database, autocommit=True)
        self.point: str | None = None
        self.pattern: re.Pattern[str] | None = None
        self.fired = False
        self._committed = False
        event.listen(engine, "before_cursor_execute", self._before_statement)
        event.listen(engine, "commit", self._before_commit)
        event.listen(engine, "rollback", self._before_rollback)

    def arm(self, point: str, pattern: str | None = None) -> None:
        self.point, self.fired, self._committed = point, False, False
        self.pattern = re.compile(pattern, re.IGNORECASE) if pattern else None

    @contextmanager
    def armed(self, point: str, pattern: str | None = None) -> Iterator[ConnectionKiller]:
        """Armed for what the block does (one request), and no longer after it."""
        self.arm(point, pattern)
        try:
            yield self
        finally:
            self.point = None

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before_statement)
        event.remove(self.engine, "commit", self._before_commit)
        event.remove(self.engine, "rollback", self._before_rollback)
        self._admin.close()

    def _kill(self, conn: Any) -> None:
        pid = conn.connection.dbapi_connection.info.backend_pid
        self.fired, self.point = True, None
        # With a timeout the call waits until the backend has ended: the service's next step meets it gone.
        self._admin.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])

    def _before_statement(self, conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if self.point == BEFORE_STATEMENT and (self.pattern is None or self.pattern.search(statement)):
            self._kill(conn)
        elif self.point == AFTER_COMMIT and self._committed:
            self._kill(conn)

    def _before_commit(self, conn: Any) -> None:
        if self.point == AT_COMMIT:
            self._kill(conn)
        self._committed = True

    def _before_rollback(self, conn: Any) -> None:
        if self.point == AT_ROLLBACK:
            self._kill(conn)
