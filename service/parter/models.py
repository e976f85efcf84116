"""The parties on a case besides the child: custody holders, other parents, and the young person's own consent.

The child is a party too (from 10 years, BL § 3), but is not a row: name and CPR are the case's own, and the age
comes from the CPR on the day it is asked. Nothing here is deleted: a party who stops being one is ended
(`ophoert_at`), and a consent is superseded by a newer row.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime

ROLLER = {"mor": "Mor", "far": "Far", "vaerge": "Værge"}
SAMTYKKER = {"givet": "Givet", "ikke_givet": "Ikke givet"}


class Part(Base):
    __tablename__ = "parter"
    __table_args__ = (Index("ix_parter_case_id", "case_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    rolle: Mapped[str] = mapped_column(String(20))
    # Holds custody (forældremyndighed); a mother or father without it is one of the child's other parents.
    foraeldremyndighed: Mapped[bool] = mapped_column(Boolean)
    navn: Mapped[str] = mapped_column(String(200))
    cpr: Mapped[str | None] = mapped_column(String(10))  # a parent living abroad may have none
    adresse: Mapped[str] = mapped_column(Text)
    telefon: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    ophoert_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class UngSamtykke(Base):
    """The young person's own consent (from 15, BL § 46 stk. 3): the newest row is in force."""

    __tablename__ = "ung_samtykker"
    __table_args__ = (Index("ix_ung_samtykker_case_at", "case_id", "registered_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    samtykke: Mapped[str] = mapped_column(String(20))
    dato: Mapped[date] = mapped_column(Date)
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    registered_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
