"""Journal notes (notatpligt): what a caseworker learned on the case, as written."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.access.models import User
from service.db import Base, UtcDateTime
from service.inbox.models import HumanTask

TYPES = {"samtale": "Samtale", "hjemmebesoeg": "Hjemmebesøg", "telefon": "Telefon",
         "netvaerksmoede": "Netværksmøde", "andet": "Andet"}


class Notat(Base):
    """One note. Its author may change it for 24 hours; after that it stands, and a correction note (`retter_id`
    names the note it corrects) supplements it. Every version is also in the case's append-only journal."""

    __tablename__ = "notater"
    __table_args__ = (Index("ix_notater_case_dato", "case_id", "dato"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    type: Mapped[str] = mapped_column(String(20))
    dato: Mapped[date] = mapped_column(Date)  # when the conversation, visit or call took place
    tekst: Mapped[str] = mapped_column(Text)
    task_id: Mapped[str | None] = mapped_column(ForeignKey("human_tasks.id"))
    retter_id: Mapped[str | None] = mapped_column(ForeignKey("notater.id"))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    author: Mapped[User] = relationship(foreign_keys=[created_by], lazy="joined")
    task: Mapped[HumanTask | None] = relationship(foreign_keys=[task_id], lazy="joined")

    # Two changes at once: the second is a 409, not a silent overwrite.
    __mapper_args__ = {"version_id_col": version}

    @property
    def type_navn(self) -> str:
        return TYPES.get(self.type, self.type)
