from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, JsonDoc, UtcDateTime

RUNNING = "running"
COMPLETED = "completed"


class ProcessInstance(Base):
    """Engine state of one running process: one serialized document, spec stored per version."""

    __tablename__ = "process_instances"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"))
    status: Mapped[str] = mapped_column(String(20), default=RUNNING)
    state: Mapped[str] = mapped_column(Text)
    serializer_version: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": lock_version}


class ProcessVersion(Base):
    """An immutable deployed version of one process model, with its parsed spec and forms."""

    __tablename__ = "process_versions"
    __table_args__ = (
        UniqueConstraint("process_id", "version", name="uq_process_versions_process_version"),
        UniqueConstraint("process_id", "content_hash", name="uq_process_versions_process_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200))
    # Large and immutable: loaded only when asked for (the engine caches specs, forms are cached too).
    bpmn_xml: Mapped[str] = mapped_column(Text, deferred=True)
    spec_json: Mapped[str] = mapped_column(Text, deferred=True)
    forms: Mapped[dict] = mapped_column(JsonDoc, deferred=True)
    # The called BPMN and DMN files this version was deployed with (name -> content); the spec holds them too.
    files: Mapped[dict | None] = mapped_column(JsonDoc, deferred=True)
    deployed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deployed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
