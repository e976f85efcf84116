"""The administrators' change log is append-only in the database itself, like the case journal."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from service.brugere import teams
from service.brugere.changes import Actor


def test_database_refuses_to_update_or_delete_change_log_rows(uow):
    teams.create_team(uow, Actor(None, "cli:test"), "Team Vest")
    uow.commit()
    for statement in ("UPDATE user_changes SET actor = 'en anden'", "DELETE FROM user_changes"):
        with pytest.raises(DBAPIError):
            uow.session.execute(text(statement))
        uow.session.rollback()
    assert uow.session.execute(text("SELECT actor FROM user_changes")).scalars().all() == ["cli:test"]
