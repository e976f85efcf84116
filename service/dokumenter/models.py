from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime


class Dokument(Base):
    """A file added to a case. Its bytes are in the document store under `noegle` (service/dokumenter/lager.py),
    written before this row was committed. Never deleted: a database trigger refuses DELETE (see the migration)."""

    __tablename__ = "dokumenter"
    __table_args__ = (Index("ix_dokumenter_case_created", "case_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    filnavn: Mapped[str] = mapped_column(String(255))
    indholdstype: Mapped[str] = mapped_column(String(100))  # read from the bytes (service/dokumenter/filtyper.py)
    stoerrelse: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    lager: Mapped[str] = mapped_column(String(10))  # the store it was written to: disk or s3
    # Unique: a key is written once (a new uuid per upload); the clean-up looks files up by it.
    noegle: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
