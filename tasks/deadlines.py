"""Thin Celery adapters: the tick, the e-mails, the daily digests and the letters' PDFs call the same services as
the embedded loop."""

from __future__ import annotations

from sqlalchemy.orm import sessionmaker

from service.bootstrap import configure_engine
from service.db import make_engine, make_session_factory
from service.deadlines.firing import HELPER_SECONDS, fire_for, guarded, helpers_wanted, tick
from service.letters.pdf_jobs import render_pending
from service.notifications.digest import send_digests
from service.notifications.email import deliver_pending
from tasks.celery_app import app, settings

_factory: sessionmaker | None = None


def reset() -> None:
    global _factory
    _factory = None


def _sessions() -> sessionmaker:
    global _factory
    if _factory is None:
        configure_engine(settings)
        _factory = make_session_factory(make_engine(settings.database_url, pool_size=settings.db_pool_size,
                                                    max_overflow=settings.db_max_overflow))
    return _factory


TICK_SECONDS = 0.9  # just under beat's 1 s interval, so ticks do not queue up behind each other


@app.task(name="sagsflow.fire_due_timers")
def fire_due_timers() -> int:
    factory = _sessions()
    # Beat sends one tick to one worker; when many timers are due at once, other workers are called in
    # (each claims with SKIP LOCKED, so the work is shared, never doubled): at the start of the tick, or
    # as soon as a burst comes due during it. Helpers not picked up within a second expire.
    called_in = guarded("indkaldelsen af hjælpere", lambda: _call_in_helpers(factory), 0)  # never costs the tick
    return tick(factory, seconds=TICK_SECONDS, on_backlog=None if called_in else lambda: _call_in_helpers(factory))


def _call_in_helpers(factory: sessionmaker) -> int:
    wanted = helpers_wanted(factory, most=settings.firing_helpers)
    for _ in range(wanted):
        help_fire_due_timers.apply_async(expires=1.0)
    return wanted


@app.task(name="sagsflow.help_fire_due_timers")
def help_fire_due_timers() -> int:
    return fire_for(_sessions(), seconds=HELPER_SECONDS, poll=None)


@app.task(name="sagsflow.deliver_emails")
def deliver_emails() -> int:
    return deliver_pending(_sessions(), settings)


@app.task(name="sagsflow.send_email_digests")
def send_email_digests() -> int:
    return send_digests(_sessions())


@app.task(name="sagsflow.render_letter_pdfs")
def render_letter_pdfs() -> int:
    return render_pending(_sessions())
