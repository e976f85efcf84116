"""The daily digest: at 07.00 Danish time each user who chose "dagligt" gets one mail with yesterday's notices.

Called often (the embedded loop each tick, Celery beat each minute); before 07.00, and once every such user has her
day, it costs one small query. A day's digest is claimed by a conditional UPDATE of the user's `email_digest_dag`
in the same transaction as the queued mail: of several workers at once, one wins, the others update no row.
Like the notices themselves, the mail holds case numbers and the notices' texts, never a CPR number or a name.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import sessionmaker

from service import clock
from service.access.models import User
from service.deadlines.calendar import COPENHAGEN
from service.deadlines.models import Notification, OutboxEmail
from service.deadlines.service import addressed_to
from service.notifications.email import DAILY
from service.uow import UnitOfWork

SEND_AT = time(7)  # Danish time: before the working day, after the night's deadlines
MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")


def _due_users(uow: UnitOfWork, today: date) -> list[int]:
    return list(uow.session.scalars(select(User.id).where(
        User.active.is_(True), User.email.is_not(None), User.email_frekvens == DAILY,
        or_(User.email_digest_dag.is_(None), User.email_digest_dag < today)).order_by(User.id)))


def send_digests(session_factory: sessionmaker) -> int:
    """Queue today's digests not yet queued; returns how many mails were queued (a day without notices: none)."""
    local = clock.now().astimezone(COPENHAGEN)
    if local.time() < SEND_AT:
        return 0
    today = local.date()
    with UnitOfWork(session_factory) as uow:
        due = _due_users(uow, today)
    return sum(_digest_for(session_factory, user_id, today) for user_id in due)


def _digest_for(session_factory: sessionmaker, user_id: int, today: date) -> int:
    with UnitOfWork(session_factory) as uow:
        claimed = uow.session.execute(update(User).where(
            User.id == user_id, User.email_frekvens == DAILY,
            or_(User.email_digest_dag.is_(None), User.email_digest_dag < today)).values(email_digest_dag=today))
        if claimed.rowcount != 1:  # another worker has it, or she changed her mind in between
            return 0
        user = uow.session.get(User, user_id)
        assert user is not None and user.email
        day = today - timedelta(days=1)
        start, end = (datetime.combine(d, time(0), COPENHAGEN) for d in (day, today))
        notes = list(uow.session.scalars(select(Notification).where(
            addressed_to(user), Notification.created_at >= start, Notification.created_at < end)
            .order_by(Notification.created_at, Notification.id)))
        if notes:
            now = clock.now()
            uow.session.add(OutboxEmail(notification_id=None, to_address=user.email, subject=_subject(day, notes),
                                        body=_body(notes), created_at=now, next_attempt_at=now, attempts=0))
        uow.commit()  # the day is hers either way: a quiet day sends nothing and is not tried again
        return 1 if notes else 0


def _subject(day: date, notes: list[Notification]) -> str:
    count = f"{len(notes)} besked" + ("er" if len(notes) != 1 else "")
    return f"Sagsflow: {count} fra {day.day}. {MONTHS[day.month - 1]}"


def _body(notes: list[Notification]) -> str:
    lines = [f"- {n.created_at.astimezone(COPENHAGEN):%H.%M} {n.text}" for n in notes]
    return ("Dine beskeder i Sagsflow fra i går:\n\n" + "\n".join(lines)
            + "\n\nÅbn Sagsflow for at se sagerne. Du får beskederne samlet én gang om dagen; det kan du ændre "
            "under «Mine indstillinger».\n")
