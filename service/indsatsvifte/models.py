"""Catalogue rows (seed 001's indsatsbeskrivelse), providers and contracts (seed 002)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base, JsonDoc, UtcDateTime

PRISENHEDER = ("time", "døgn", "uge", "måned", "forløb")
LEVERANDOER_TYPER = ("kommunal", "regional", "privat", "frivillig")


class Indsats(Base):
    """One measure in the indsatsvifte. Never deleted: a measure no longer offered is deactivated."""

    __tablename__ = "indsatser"

    id: Mapped[int] = mapped_column(primary_key=True)
    kode: Mapped[str] = mapped_column(String(40), unique=True)
    navn: Mapped[str] = mapped_column(String(200), unique=True)
    maalgruppe: Mapped[str] = mapped_column(Text)
    formaal: Mapped[str] = mapped_column(Text)
    indhold: Mapped[str] = mapped_column(Text)
    lovgrundlag: Mapped[str] = mapped_column(String(300))
    omfang: Mapped[str] = mapped_column(Text)
    hyppighed: Mapped[str] = mapped_column(String(300))
    varighed: Mapped[str] = mapped_column(String(300))
    opfoelgning: Mapped[str] = mapped_column(Text)
    revisionsinterval_maaneder: Mapped[int] = mapped_column(Integer)
    samarbejdspartnere: Mapped[str | None] = mapped_column(Text)
    leverandoerkrav: Mapped[str] = mapped_column(Text)
    pris: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    prisenhed: Mapped[str | None] = mapped_column(String(20))
    aktiv: Mapped[bool] = mapped_column(Boolean, default=True)
    oprettet: Mapped[datetime] = mapped_column(UtcDateTime)
    aendret: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Leverandoer(Base):
    __tablename__ = "leverandoerer"

    id: Mapped[int] = mapped_column(primary_key=True)
    kode: Mapped[str] = mapped_column(String(40), unique=True)
    navn: Mapped[str] = mapped_column(String(200), unique=True)
    type: Mapped[str] = mapped_column(String(20))
    cvr: Mapped[str | None] = mapped_column(String(8))
    adresse: Mapped[str | None] = mapped_column(String(300))
    kontaktperson: Mapped[str | None] = mapped_column(String(200))
    telefon: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    aktiv: Mapped[bool] = mapped_column(Boolean, default=True)
    oprettet: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Standardkontrakt(Base):
    """The general contract with one provider for one measure type; individual contracts hang on it."""

    __tablename__ = "standardkontrakter"
    __table_args__ = (UniqueConstraint("indsats_id", "leverandoer_id", name="uq_standardkontrakter_indsats_lev"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indsats_id: Mapped[int] = mapped_column(ForeignKey("indsatser.id"), index=True)
    leverandoer_id: Mapped[int] = mapped_column(ForeignKey("leverandoerer.id"), index=True)
    gyldig_fra: Mapped[date] = mapped_column(Date)
    gyldig_til: Mapped[date | None] = mapped_column(Date)
    pris: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    prisenhed: Mapped[str] = mapped_column(String(20))
    betalingsbetingelser: Mapped[str] = mapped_column(Text)
    samarbejdsbetingelser: Mapped[str | None] = mapped_column(Text)
    opfoelgning: Mapped[str] = mapped_column(Text)
    opsigelse: Mapped[str | None] = mapped_column(Text)
    oprettet: Mapped[datetime] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class IndividuelKontrakt(Base):
    """Bilag to a standard contract for one child, made at iværksættelse (seed 002's individuel kontrakt)."""

    __tablename__ = "individuelle_kontrakter"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    standardkontrakt_id: Mapped[int] = mapped_column(ForeignKey("standardkontrakter.id"), index=True)
    indsats_id: Mapped[int] = mapped_column(ForeignKey("indsatser.id"))
    leverandoer_id: Mapped[int] = mapped_column(ForeignKey("leverandoerer.id"))
    task_id: Mapped[str | None] = mapped_column(String(36))
    maal: Mapped[list] = mapped_column(JsonDoc)
    omfang: Mapped[str] = mapped_column(String(300))
    hyppighed: Mapped[str] = mapped_column(String(300))
    startdato: Mapped[date] = mapped_column(Date)
    forventet_varighed_maaneder: Mapped[int] = mapped_column(Integer)
    opfoelgning: Mapped[str] = mapped_column(Text)
    saerlige_aftaler_oekonomi: Mapped[str | None] = mapped_column(Text)
    pris: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    prisenhed: Mapped[str] = mapped_column(String(20))
    # How many price units (prisenhed) per period (enheder_pr): price × units × frequency is the expected cost
    # (service/oekonomi/). Empty on contracts made before; the caseworker can add them.
    antal_enheder: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    enheder_pr: Mapped[str | None] = mapped_column(String(10))
    oprettet: Mapped[datetime] = mapped_column(UtcDateTime)
    oprettet_af: Mapped[int] = mapped_column(ForeignKey("users.id"))

    indsats: Mapped[Indsats] = relationship(lazy="joined")
    leverandoer: Mapped[Leverandoer] = relationship(lazy="joined")
