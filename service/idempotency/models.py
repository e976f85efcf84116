"""The answers to state-changing requests sent with an Idempotency-Key, kept 24 hours for retries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, JsonDoc, UtcDateTime


class IdempotencyKey(Base):
    """One row per (user, key), written in the transaction of the change it answers: a change is never committed
    without its key, nor a key without its change. The unique constraint makes a second request with the same key
    wait for the first and then read its answer."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(String(255))
    request: Mapped[str] = mapped_column(String(300))  # "POST /api/tasks/…/claim": ids only, never case data
    fingerprint: Mapped[str] = mapped_column(String(64))  # SHA-256 of method, path and body
    status: Mapped[int | None] = mapped_column(Integer)  # None only while the request that holds it runs
    body: Mapped[dict | list | None] = mapped_column(JsonDoc)
    headers: Mapped[dict | None] = mapped_column(JsonDoc)  # those a replay must repeat (Location)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
