"""The journal is append-only in the database itself."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.support import receive


def test_database_refuses_to_update_or_delete_journal_rows(api, uow):
    receive(api)
    count = uow.session.execute(text("SELECT count(*) FROM journal")).scalar()
    assert count >= 2
    for statement in ("UPDATE journal SET title = 'ændret'", "DELETE FROM journal"):
        with pytest.raises(DBAPIError):
            uow.session.execute(text(statement))
        uow.session.rollback()
    assert uow.session.execute(text("SELECT count(*) FROM journal")).scalar() == count
