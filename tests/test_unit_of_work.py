"""UnitOfWork.rows: the projection's way to the rows a step closes, without a query when the session has them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event

from service.deadlines.models import Timer


def _timer(timer_id: str) -> Timer:
    now = datetime(2026, 3, 2, tzinfo=UTC)
    return Timer(id=timer_id, instance_id="i", case_id="c", team_id=1, bpmn_id="b", name="n", kind="frist",
                 due_at=now, next_attempt_at=now, created_at=now)


def test_rows_finds_added_rows_without_a_query_and_asks_once_for_the_rest(uow):
    added = _timer("tilfoejet")
    uow.session.add(added)  # not flushed: not in the identity map yet, nor in the database
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:  # noqa: ANN001
        statements.append(statement)

    engine = uow.session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        with uow.session.no_autoflush:  # as in the projection
            assert uow.rows(Timer, {"tilfoejet"}) == [added]
            assert statements == []
            assert uow.rows(Timer, {"tilfoejet", "findes-ikke"}) == [added]
            assert len(statements) == 1  # the rest in one query
    finally:
        event.remove(engine, "before_cursor_execute", count)
