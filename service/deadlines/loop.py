"""The embedded timer loop: `make run` fires timers, queues the daily digests, sends e-mails and makes letters' PDFs
from a thread, through the same code as Celery."""

from __future__ import annotations

import logging
import threading

from sqlalchemy.orm import sessionmaker

from service.config import Settings
from service.deadlines.firing import guarded, tick
from service.letters.pdf_jobs import render_pending
from service.notifications.digest import send_digests
from service.notifications.email import deliver_pending

log = logging.getLogger(__name__)


def start(session_factory: sessionmaker, settings: Settings, *, interval: float = 1.0) -> threading.Event:
    """Start the loop in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            # A tick logs and counts its own errors and never raises; the e-mails and PDFs are tried however it went.
            guarded("fristløkkens tik", lambda: tick(session_factory, seconds=interval), 0)
            failed = False
            for name, job in (("den daglige e-mailoversigt", lambda: send_digests(session_factory)),
                              ("e-mailudsendelsen", lambda: deliver_pending(session_factory, settings)),
                              ("dannelsen af brev-PDF'er", lambda: render_pending(session_factory))):
                try:
                    job()
                except Exception:  # noqa: BLE001 - the loop must survive; logged without case data
                    log.exception("%s i fristløkken fejlede; prøver igen", name)
                    failed = True
            if failed:
                stop.wait(interval)

    threading.Thread(target=run, name="sagsflow-timers", daemon=True).start()
    return stop
