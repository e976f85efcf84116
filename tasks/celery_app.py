"""Celery for production: `celery -A tasks.celery_app worker` and `celery -A tasks.celery_app beat`.

Beat sends one `fire_due_timers` a second (never one entry or ETA task per timer); workers claim due
timers from the database with SKIP LOCKED, so any number of them can run side by side. Only the beat holding
the beat lock sends (tasks/beat.py): a second beat waits and takes over when the first stops.
"""

from __future__ import annotations

import sys

from celery import Celery
from celery.signals import setup_logging, worker_init, worker_process_init, worker_process_shutdown

from service import logs
from service.config import ConfigError, Settings

settings = Settings.from_env()
try:
    settings.check()  # a worker or beat with wrong settings stops with one line, like the web nodes
except ConfigError as err:
    print(f"Sagsflow starter ikke: {err}", file=sys.stderr)
    raise SystemExit(1) from None
app = Celery("sagsflow", broker=settings.broker_url, include=["tasks.deadlines"])
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,  # the tick is idempotent: a redelivered one finds nothing left to do
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    timezone="UTC",
    broker_connection_retry_on_startup=True,
    beat_scheduler="tasks.beat:SingleBeatScheduler",  # a second beat started by mistake waits (tasks/beat.py)
    beat_schedule={
        "fire-due-timers": {"task": "sagsflow.fire_due_timers", "schedule": 1.0, "options": {"expires": 5}},
        "deliver-emails": {"task": "sagsflow.deliver_emails", "schedule": 5.0, "options": {"expires": 30}},
        # From 07.00 Danish time each "dagligt" user's digest is queued once (claimed per user and day in the DB).
        "send-email-digests": {"task": "sagsflow.send_email_digests", "schedule": 60.0, "options": {"expires": 50}},
        # Letters' PDFs, made after the completing task's commit: ready a second or two later (Retry-After: 2).
        # It queues behind the firing ticks (each up to ~1 s): a short expiry let a busy worker discard every one
        # of them, so a round lives 15 s; a round that finds nothing waiting costs one indexed query.
        "render-letter-pdfs": {"task": "sagsflow.render_letter_pdfs", "schedule": 1.0, "options": {"expires": 15}},
    },
)


@setup_logging.connect
def _json_logs(**_kwargs: object) -> None:
    # Connected, so Celery leaves the root logger to us: the same JSON lines as the web nodes.
    logs.configure()


@worker_process_init.connect
def _reset_connections(**_kwargs: object) -> None:
    # A forked worker must not reuse its parent's database connections.
    from tasks import deadlines
    deadlines.reset()


@worker_init.connect
def _metrics(**_kwargs: object) -> None:
    # In the worker's main process, before its worker processes start: they count, this one serves the sum
    # (PROMETHEUS_MULTIPROC_DIR, a directory of the worker's own; see service/metrics/instruments.py).
    from service.metrics import exporter, instruments
    instruments.start_afresh()
    if settings.worker_metrics_bind:
        exporter.serve(settings.worker_metrics_bind, settings.metrics_token)


@worker_process_shutdown.connect
def _metrics_process_ended(pid: int | None = None, **_kwargs: object) -> None:
    import os

    from service.metrics import instruments
    instruments.process_ended(pid or os.getpid())
