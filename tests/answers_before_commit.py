"""Every test checks that an API request that changes state reads nothing after its commit.

After the commit the change is done: a read for the answer that then met a lost connection would answer 503 for work
that was done, and the client's retry would get 409. So the answer is read before the commit (the session keeps what
it loaded: expire_on_commit=False). Pages are not held to this: they redirect after a change, and a page that
journals a read (a case, a search, a CPR number shown) may read on after that commit, as a retry only reads again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

_CHANGES = {"POST", "PUT", "PATCH", "DELETE"}


def _committed(_session: Session) -> None:
    if has_request_context():
        g.test_committed = True


@contextmanager
def reads_after_commit() -> Iterator[list[str]]:
    """The statements API requests that change state ran after their commit, while the block runs."""
    late: list[str] = []

    def statement(_conn: Any, _cursor: Any, sql: str, *_rest: Any) -> None:
        if (has_request_context() and g.get("test_committed") and request.method in _CHANGES
                and request.path.startswith("/api/")):
            late.append(f"{request.method} {request.url_rule}: {' '.join(sql.split()[:8])} …")

    event.listen(Session, "after_commit", _committed)
    event.listen(Engine, "before_cursor_execute", statement)
    try:
        yield late
    finally:
        event.remove(Engine, "before_cursor_execute", statement)
        event.remove(Session, "after_commit", _committed)
