from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime


class Stikproeve(Base):
    """Monthly ledelsestilsyn: one randomly drawn open case per caseworker, reviewed by a team leader."""

    __tablename__ = "ledelsestilsyn"
    __table_args__ = (UniqueConstraint("team_id", "maaned", "raadgiver_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    maaned: Mapped[date] = mapped_column(Date)  # the first day of the month
    raadgiver_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    udtrukket_at: Mapped[datetime] = mapped_column(UtcDateTime)
    udtrukket_af: Mapped[int] = mapped_column(ForeignKey("users.id"))
    gennemgaaet_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    gennemgaaet_af: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    bemaerkning: Mapped[str | None] = mapped_column(Text)
    maerke: Mapped[str | None] = mapped_column(String(20))  # the reviewer's verdict: "i_orden" or "opfoelgning"
