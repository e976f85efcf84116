from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, JsonDoc, UtcDateTime

OPEN = "aaben"
DONE = "udfoert"
CANCELLED = "annulleret"


class HumanTask(Base):
    """Projection of the engine's ready user tasks, kept in the same commit, for fast inboxes."""

    __tablename__ = "human_tasks"
    __table_args__ = (
        Index("ix_human_tasks_inbox", "team_id", "status", "role"),
        # Open tasks are few beside the finished ones of years: the inbox's filters on a partial index.
        Index("ix_human_tasks_open_team", "team_id", "role", "claimed_by", "created_at",
              postgresql_where=text("status = 'aaben'"), sqlite_where=text("status = 'aaben'")),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the engine's task id
    instance_id: Mapped[str] = mapped_column(ForeignKey("process_instances.id"), index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    bpmn_id: Mapped[str] = mapped_column(String(100))
    # The activity whose deadlines cover the task (Timer.guards_task_id): its own id, or its subprocess's.
    scope_id: Mapped[str | None] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    form_key: Mapped[str] = mapped_column(String(100))
    process_name: Mapped[str | None] = mapped_column(String(200))  # the called process the task belongs to
    message: Mapped[str | None] = mapped_column(Text)  # what the model tells the user with the task
    status: Mapped[str] = mapped_column(String(20), default=OPEN)
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    draft: Mapped[dict | None] = mapped_column(JsonDoc)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    completed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
