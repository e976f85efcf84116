from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime

OPEN = "aaben"
CLOSED = "afsluttet"
_NOT_ARCHIVED_CLOSED = "status = 'afsluttet' AND arkiveret_at IS NULL"


class Case(Base):
    """En børnesag: one child, one open case at a time."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_cpr_status", "cpr", "status"),
        Index("ix_cases_team_status_opened", "team_id", "status", "opened_at"),
        # What is due for archiving: closed cases not yet archived, by closing time.
        Index("ix_cases_due_for_archive", "closed_at", sqlite_where=text(_NOT_ARCHIVED_CLOSED),
              postgresql_where=text(_NOT_ARCHIVED_CLOSED)),
        # One open case per child: a second concurrent intake for the same child fails instead of forking.
        Index("uq_cases_open_cpr", "cpr", unique=True, sqlite_where=text("status = 'aaben'"),
              postgresql_where=text("status = 'aaben'")),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sagsnummer: Mapped[str] = mapped_column(String(20), unique=True)
    cpr: Mapped[str] = mapped_column(String(10))
    child_name: Mapped[str] = mapped_column(String(200))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=OPEN)
    phase: Mapped[str] = mapped_column(String(200), default="")
    # The latest 24-hour assessment found the child in acute danger (a marker in the lists).
    akut: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Archived (service/arkiv/): read-only, out of the lists and the inbox, kept for good (nothing is deleted).
    arkiveret_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    arkiveret_af: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Underretning(Base):
    __tablename__ = "underretninger"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    modtaget: Mapped[datetime] = mapped_column(UtcDateTime)
    underretter_type: Mapped[str] = mapped_column(String(20))
    kanal: Mapped[str] = mapped_column(String(40))
    overgreb: Mapped[bool] = mapped_column(Boolean, default=False)
    beskrivelse: Mapped[str] = mapped_column(Text)
    registered_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CaseCounter(Base):
    """Per-year running number for sagsnumre; incremented atomically (concurrent intakes never collide)."""

    __tablename__ = "case_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)
