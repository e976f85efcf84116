from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UtcDateTime


class ModelDraft(Base):
    """A process owner's unfinished change to a model, kept on the server so it survives another browser or PC."""

    __tablename__ = "model_drafts"
    __table_args__ = (UniqueConstraint("user_id", "filename"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(200))
    base: Mapped[str] = mapped_column(String(100))  # what the draft started from, e.g. "version 3"
    xml: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime)
