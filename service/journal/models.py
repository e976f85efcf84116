from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, JsonDoc, UtcDateTime


class JournalEntry(Base):
    """Append-only: a database trigger refuses UPDATE and DELETE (see the migration)."""

    __tablename__ = "journal"
    __table_args__ = (
        Index("ix_journal_case_at", "case_id", "at"),
        # Ledelsesinformation: a period's completed tasks (decisions, BFUs) without reading every year's journal.
        Index("ix_journal_completed_at", "at", postgresql_where=text("action = 'opgave_udfoert'"),
              sqlite_where=text("action = 'opgave_udfoert'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("cases.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    task_id: Mapped[str | None] = mapped_column(String(36))
    data: Mapped[dict | None] = mapped_column(JsonDoc)
