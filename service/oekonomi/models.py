"""Payments on a measure (manual or from the finance system) and the yearly budget per team and measure type.

Amounts are whole øre (integers): money is never a float.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime

KILDER = ("manuel", "import")


class Betalingsimport(Base):
    """One file from the finance system, imported whole or not at all."""

    __tablename__ = "betalingsimporter"

    id: Mapped[int] = mapped_column(primary_key=True)
    filnavn: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    linjer: Mapped[int] = mapped_column(Integer)
    nye: Mapped[int] = mapped_column(Integer)
    kendte: Mapped[int] = mapped_column(Integer)
    indlaest: Mapped[datetime] = mapped_column(UtcDateTime)
    indlaest_af: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Betaling(Base):
    """A payment for one measure (individual contract). Team and measure are kept as they were when it was paid,
    so a case moving to another team later does not move last year's spending with it."""

    __tablename__ = "betalinger"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    kontrakt_id: Mapped[str] = mapped_column(ForeignKey("individuelle_kontrakter.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    indsats_id: Mapped[int] = mapped_column(ForeignKey("indsatser.id"))
    betalingsdato: Mapped[date] = mapped_column(Date, index=True)
    beloeb_oere: Mapped[int] = mapped_column(BigInteger)
    tekst: Mapped[str | None] = mapped_column(Text)
    kilde: Mapped[str] = mapped_column(String(10))
    # The finance system's own id of the payment: a re-imported file finds it and adds nothing.
    ekstern_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("betalingsimporter.id"))
    oprettet: Mapped[datetime] = mapped_column(UtcDateTime)
    oprettet_af: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Budget(Base):
    """The year's budget for one team and one measure type (indsats)."""

    __tablename__ = "budgetter"
    __table_args__ = (UniqueConstraint("aar", "team_id", "indsats_id", name="uq_budgetter_aar_team_indsats"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    aar: Mapped[int] = mapped_column(Integer)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    indsats_id: Mapped[int] = mapped_column(ForeignKey("indsatser.id"))
    beloeb_oere: Mapped[int] = mapped_column(BigInteger)
    aendret: Mapped[datetime] = mapped_column(UtcDateTime)
    aendret_af: Mapped[int] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
