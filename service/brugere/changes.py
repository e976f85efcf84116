"""Who changed which user or team, when and what: the administrators' log (never a password)."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from service import clock
from service.access.models import User
from service.brugere.models import UserChange
from service.errors import Forbidden
from service.uow import UnitOfWork


@dataclass(frozen=True)
class Actor:
    """The administrator behind a change: a logged-in user, or an operator at the command line."""

    user_id: int | None
    label: str

    @classmethod
    def admin(cls, user: User) -> Actor:
        if user.role != "admin" or not user.active:
            raise Forbidden("Kun administratorer kan ændre brugere og teams.")
        return cls(user.id, user.username)

    @classmethod
    def command_line(cls) -> Actor:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):  # no name for the uid (a container): the uid is still who it was
            import os
            name = str(os.getuid())
        return cls(None, f"cli:{name}"[:120])


def record(uow: UnitOfWork, actor: Actor, *, action: str, summary: str, user_id: int | None = None,
           team_id: int | None = None, data: dict[str, Any] | None = None) -> UserChange:
    row = UserChange(at=clock.now(), actor_id=actor.user_id, actor=actor.label, user_id=user_id, team_id=team_id,
                     action=action, summary=summary[:500], data=data or None)
    uow.session.add(row)
    return row


def recent(uow: UnitOfWork, *, user_id: int | None = None, team_id: int | None = None,
           limit: int = 200) -> list[UserChange]:
    """Newest first; of one user or one team when asked."""
    stmt = select(UserChange)
    if user_id is not None:
        stmt = stmt.where(UserChange.user_id == user_id)
    if team_id is not None:
        stmt = stmt.where(UserChange.team_id == team_id)
    return list(uow.session.scalars(stmt.order_by(UserChange.at.desc(), UserChange.id.desc()).limit(limit)))
