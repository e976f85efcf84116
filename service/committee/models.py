from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, JsonDoc, UtcDateTime

# The committees the kompetenceplan can route to; a case waits for the BPMN message "beslutning_<udvalg>".
COMMITTEES = {"visitationsudvalg": "Visitationsudvalget", "boerne_og_ungeudvalg": "Børne- og ungeudvalget"}

WAITING = "venter"
ON_AGENDA = "paa_dagsorden"
DECIDED = "afgjort"
WITHDRAWN = "bortfaldet"  # the case stopped waiting without a meeting (e.g. closed)
OPEN_STATES = (WAITING, ON_AGENDA)  # the case still waits for the committee

PLANNED = "planlagt"
HELD = "afholdt"


class CommitteeMeeting(Base):
    """One meeting of a committee: one piece of work with an agenda of several waiting cases."""

    __tablename__ = "committee_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    committee: Mapped[str] = mapped_column(String(40))
    meeting_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=PLANNED)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    held_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    held_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class CommitteeReferral(Base):
    """A case waiting for a committee's decision; the projection opens and withdraws these with the engine."""

    __tablename__ = "committee_referrals"
    __table_args__ = (Index("ix_committee_referrals_waiting", "team_id", "committee", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    instance_id: Mapped[str] = mapped_column(ForeignKey("process_instances.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    committee: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=WAITING)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("committee_meetings.id"), index=True)
    referred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decision: Mapped[dict | None] = mapped_column(JsonDoc)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
