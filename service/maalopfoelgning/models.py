"""Each goal of barnets plan assessed at each follow-up: goal attainment over time as rows, not free text
(seed 004: «feltet i handleplan til beskrivelse af målopfølgning», target 100 %)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime

VURDERINGER = {"opnaaet": "Opnået", "delvist": "Delvist opnået", "ikke_opnaaet": "Ikke opnået", "udgaaet": "Udgået"}


class Maalvurdering(Base):
    __tablename__ = "maalvurderinger"
    __table_args__ = (Index("ix_maalvurderinger_case_dato", "case_id", "opfoelgning_dato"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    task_id: Mapped[str] = mapped_column(String(36))  # the follow-up task whose form held the assessment
    maal_nr: Mapped[int] = mapped_column(Integer)  # the goal's place in the plan in force at the follow-up
    # The goal as the plan worded it then: a later revision of the plan does not rewrite history.
    domaene: Mapped[str | None] = mapped_column(String(40))
    maal: Mapped[str] = mapped_column(String(300))
    maalbart_kriterium: Mapped[str | None] = mapped_column(String(300))
    opfoelgning_dato: Mapped[date] = mapped_column(Date)
    vurdering: Mapped[str] = mapped_column(String(20))
    begrundelse: Mapped[str] = mapped_column(Text)
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    registered_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
