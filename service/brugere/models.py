from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, JsonDoc, UtcDateTime


class UserChange(Base):
    """One administrator change to a user or a team. Append-only (a trigger refuses UPDATE and DELETE, see
    migration 0009); never holds a password, only that one was set."""

    __tablename__ = "user_changes"
    __table_args__ = (Index("ix_user_changes_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the command line
    actor: Mapped[str] = mapped_column(String(120))  # the actor's username, or "cli:<os user>"
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(String(500))
    data: Mapped[dict | None] = mapped_column(JsonDoc)  # field → [before, after]
