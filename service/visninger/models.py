from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, JsonDoc, UtcDateTime


class Visning(Base):
    """A named filter of the inbox or case list: the owner's own, or shared with her team."""

    __tablename__ = "visninger"
    __table_args__ = (UniqueConstraint("owner_id", "liste", "name"), Index("ix_visninger_team", "team_id", "shared"))

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    liste: Mapped[str] = mapped_column(String(20))  # "opgaver" (the inbox) or "sager" (the case list)
    name: Mapped[str] = mapped_column(String(80))
    filter: Mapped[dict] = mapped_column(JsonDoc)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
