"""The embedded timer loop: `make run` fires timers from a thread, through the same code as Celery."""

from __future__ import annotations

import logging
import threading

from sqlalchemy.orm import sessionmaker

from service.config import Settings
from service.deadlines.firing import tick
from service.notifications.email import deliver_pending

log = logging.getLogger(__name__)


def start(session_factory: sessionmaker, settings: Settings, *, interval: float = 1.0) -> threading.Event:
    """Start the loop in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                tick(session_factory, seconds=interval)  # what comes due within the second fires at once
                deliver_pending(session_factory, settings)
            except Exception:  # noqa: BLE001 - the loop must survive a bad tick; it is logged without case data
                log.exception("fristløkken fejlede; prøver igen")
                stop.wait(interval)

    threading.Thread(target=run, name="sagsflow-timers", daemon=True).start()
    return stop
