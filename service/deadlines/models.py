from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base, UtcDateTime

OPEN = "aaben"
FIRED = "udloest"
GONE = "bortfaldet"  # the task it guarded finished first: the deadline was met


class Timer(Base):
    """Projection of the engine's waiting timers, indexed by due time for the firing loop."""

    __tablename__ = "timers"
    __table_args__ = (
        Index("ix_timers_due", "status", "next_attempt_at"),
        # A task's deadline (the inbox) and a case's next deadline (the case list): breach timers still in play.
        Index("ix_timers_task_deadline", "guards_task_id", "due_at",
              postgresql_where=text("kind = 'frist' AND status IN ('aaben', 'udloest')"),
              sqlite_where=text("kind = 'frist' AND status IN ('aaben', 'udloest')")),
        Index("ix_timers_case_deadline", "case_id", "due_at",
              postgresql_where=text("kind = 'frist' AND status IN ('aaben', 'udloest')"),
              sqlite_where=text("kind = 'frist' AND status IN ('aaben', 'udloest')")),
        # Ledelsesinformation: a period's deadlines by due time (and team), every status, never all years' timers.
        Index("ix_timers_mi", "due_at", "team_id", "deadline_id", "status",
              postgresql_where=text("kind = 'frist'"), sqlite_where=text("kind = 'frist'")),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the engine's task id
    instance_id: Mapped[str] = mapped_column(ForeignKey("process_instances.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    bpmn_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    # From the timer expression frist("bfu", ...) / advis("bfu", ...): which deadline, and warning or breach.
    deadline_id: Mapped[str | None] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(10))  # "frist", "advis" or "timer"
    guards: Mapped[str | None] = mapped_column(String(100))  # BPMN id of the task the deadline is on
    # The engine id of that activity this time round: a task whose scope_id it is, is covered by the deadline.
    guards_task_id: Mapped[str | None] = mapped_column(String(36))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(20), default=OPEN)
    # When the firing loop should try next: due_at at first, later with backoff after a failure.
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Notification(Base):
    """What the inbox shows besides tasks: warnings, breaches and escalations (and what an e-mail says)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_recipient", "team_id", "role", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    role: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: everyone in team+role
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    timer_id: Mapped[str | None] = mapped_column(String(36), unique=True)  # one notice per firing, ever
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class OutboxEmail(Base):
    """E-mails written in the same transaction as their notification, sent afterwards (at least once)."""

    __tablename__ = "outbox_emails"
    __table_args__ = (Index("ix_outbox_unsent", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a daily digest, which speaks of several notices.
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notifications.id"), index=True)
    # Set instead of notification_id when queued, so the insert order is the flush's business, not ours.
    notification: Mapped[Notification | None] = relationship()
    to_address: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
