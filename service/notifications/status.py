"""What the header's badge and the «nyt» message need: counts and the newest ids, polled by the open pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from service.access.models import User
from service.deadlines import service as deadlines
from service.inbox import listing
from service.uow import UnitOfWork


@dataclass(frozen=True)
class InboxStatus:
    opgaver: int  # the badge: my tasks and my team's free ones, as the inbox counts them
    nyeste_opgave: datetime | None
    beskeder: int  # unread notices, as the inbox lists them
    nyeste_besked: int | None


def of(uow: UnitOfWork, user: User) -> InboxStatus:
    """Two aggregates on indexed columns; no rows loaded, nothing written (a poll keeps no session alive)."""
    tasks, newest_task = listing.badge(uow, user)
    notices, newest_notice = deadlines.unread_summary(uow, user) if user.team_id is not None else (0, None)
    return InboxStatus(tasks, newest_task, notices, newest_notice)
