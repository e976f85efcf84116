from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, column_property, mapped_column

from service.db import Base, UtcDateTime

_PDF_DUE = "pdf_next_attempt_at IS NOT NULL"


class Brev(Base):
    """A letter as sent: its HTML and PDF are kept as made, with the hash of the templates that made it.

    The HTML is made in the completing task's transaction; the PDF after commit by a job
    (service/letters/pdf_jobs.py). Until then the letter is «under udarbejdelse» (`pdf` is NULL).
    """

    __tablename__ = "breve"
    # Only letters waiting for their PDF are in it, so the job's poll stays cheap however many letters there are.
    __table_args__ = (Index("ix_breve_pdf_due", "pdf_next_attempt_at", postgresql_where=text(_PDF_DUE),
                            sqlite_where=text(_PDF_DUE)),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    dato: Mapped[date] = mapped_column(Date)  # the date the letter carries (sent / decided)
    html: Mapped[str] = mapped_column(Text)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)  # loaded only when the PDF is asked for
    # Whether the PDF is there, without loading it (the letter list).
    pdf_ready: Mapped[bool] = column_property(pdf.is_not(None))
    # When the job (next) tries to make the PDF: set with the letter, cleared when made, pushed back after a failure.
    pdf_next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    pdf_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    template_hash: Mapped[str] = mapped_column(String(64))
    task_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The party the letter is addressed to (one letter per recipient); none on a case with no parties registered,
    # and none for the child, who is a party by the case's own CPR. Name and address as on the letter that day.
    part_id: Mapped[str | None] = mapped_column(ForeignKey("parter.id"))
    modtager_navn: Mapped[str | None] = mapped_column(String(200))
    modtager_adresse: Mapped[str | None] = mapped_column(Text)
    # The municipality's child-friendly version, for a party aged 10–14.
    boernevenlig: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
