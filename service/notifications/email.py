"""E-mail for notifications: queued in the notification's transaction, delivered by the timer loop/Celery.

Only the case number and the deadline go in a mail, never CPR or case content. Delivery is at least
once; the Message-ID is derived from the outbox row, so a mail client drops a rare duplicate.
"""

from __future__ import annotations

import smtplib
from datetime import timedelta
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from service import clock
from service.access.models import User
from service.config import Settings
from service.deadlines.models import Notification, OutboxEmail
from service.uow import UnitOfWork
from service.vagtplan import service as vagtplan

AT_ONCE, DAILY, NEVER = "straks", "dagligt", "aldrig"
FREQUENCIES = {AT_ONCE: "Straks – én e-mail pr. besked", DAILY: "Dagligt – én samlet e-mail om morgenen",
               NEVER: "Aldrig – kun i indbakken"}


def queue_for(uow: UnitOfWork, note: Notification) -> None:
    """One outbox row per recipient with an e-mail address who wants her notices at once ("straks"); those who
    chose "dagligt" get it in the morning's digest (service/notifications/digest.py), "aldrig" not by mail."""
    if note.user_id is not None:  # usually already loaded (the rota, the task's caseworker): no query
        user = uow.session.get(User, note.user_id)
        recipients = [user] if user is not None and user.active and user.email else []
    elif note.role == "teamleder":  # a breach: the same transaction has asked who the team leaders are
        recipients = [u for u in vagtplan.team_leaders(uow, note.team_id).active if u.email]
    else:
        recipients = list(uow.session.scalars(select(User).where(
            User.active.is_(True), User.email.is_not(None), User.team_id == note.team_id, User.role == note.role,
            User.email_frekvens == AT_ONCE)))
    now = clock.now()
    for user in (u for u in recipients if u.email_frekvens == AT_ONCE):
        uow.session.add(OutboxEmail(notification=note, to_address=user.email, subject=f"Sagsflow: {note.text}",
                                    body=f"{note.text}\n\nÅbn Sagsflow for at se sagen.\n", created_at=now,
                                    next_attempt_at=now, attempts=0))


def deliver_pending(session_factory: sessionmaker, settings: Settings, *, batch: int = 50) -> int:
    """Send queued mails one by one; a failure is retried later with backoff. No SMTP host: nothing is sent."""
    if not settings.smtp_host:
        return 0
    sent = 0
    for _ in range(batch):
        with UnitOfWork(session_factory) as uow:
            mail = uow.session.scalar(select(OutboxEmail).where(
                OutboxEmail.sent_at.is_(None), OutboxEmail.next_attempt_at <= clock.now())
                .order_by(OutboxEmail.id).limit(1).with_for_update(skip_locked=True))
            if mail is None:
                break
            message = EmailMessage()
            message["From"], message["To"], message["Subject"] = settings.smtp_from, mail.to_address, mail.subject
            message["Message-ID"] = f"<outbox-{mail.id}@sagsflow>"
            message.set_content(mail.body)
            try:
                with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
                    smtp.send_message(message)
            except (OSError, smtplib.SMTPException) as err:
                mail.attempts += 1
                mail.last_error = str(err)[:500]
                mail.next_attempt_at = clock.now() + timedelta(seconds=min(30 * 2 ** mail.attempts, 3600))
                uow.commit()
                continue
            mail.sent_at = clock.now()
            uow.commit()
            sent += 1
    return sent
