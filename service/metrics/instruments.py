"""What each process counts itself: request latency, timers fired, firing lag and firing failures.

Production runs several gunicorn workers and Celery worker processes, and each keeps its own counts. With
PROMETHEUS_MULTIPROC_DIR set (before the process starts), every process writes its counts to files there and a
scrape adds up the files, so whichever worker answers /metrics, the answer is the same. Counts of what lies in
the database (due timers, open tasks, outbox, beat's last tick) are not kept here at all: they are counted by
SQL when scraped (service/database_figures.py), so every node gives the same figures without shared files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.metrics_core import Metric

from service import clock


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


if multiprocess_dir():  # a missing directory would stop every worker at the first metric below
    Path(multiprocess_dir()).mkdir(parents=True, exist_ok=True)

REQUEST_SECONDS = Histogram(
    "sagsflow_http_request_duration_seconds", "Svartid pr. endepunkt (URL-regel, aldrig stien med id'er)",
    ["method", "endpoint", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))
TIMERS_FIRED = Counter("sagsflow_timers_fired_total", "Affyrede timere (frist, advis, timer)", ["kind"])
FIRING_LAG = Histogram(
    "sagsflow_timer_firing_lag_seconds", "Tid fra en timers forfald, til den er affyret",
    buckets=(0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0))
FIRING_FAILURES = Counter(
    "sagsflow_timer_firing_failures_total",
    "Affyringer, der fejlede og prøves igen (model: procesmodellen fejlede; not_fired: motoren affyrede ikke; "
    "database: databasen svarede ikke; conflict: en anden arbejder nåede sagen først; error: anden fejl)",
    ["reason"])
LETTER_PDFS_MADE = Counter("sagsflow_letter_pdfs_made_total", "Brev-PDF'er dannet efter commit")
LETTER_PDF_FAILURES = Counter(
    "sagsflow_letter_pdf_failures_total", "Brev-PDF'er, hvis dannelse fejlede og prøves igen senere")


def timers_fired(fired: Iterable[tuple[str, datetime]], at: datetime | None = None) -> None:
    """Count committed firings: (kind, due time) each; the lag is measured on the business clock."""
    now = at or clock.now()
    for kind, due_at in fired:
        TIMERS_FIRED.labels(kind=kind).inc()
        FIRING_LAG.observe(max((now - due_at).total_seconds(), 0.0))


def firing_failed(reason: str) -> None:
    FIRING_FAILURES.labels(reason=reason).inc()


class _Forward:
    """This process's own metrics in a registry built for one scrape."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def process_registry() -> CollectorRegistry:
    """A registry for one scrape: every process's counts (multiprocess mode) or this process's."""
    registry = CollectorRegistry()
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Forward())
    return registry


def start_afresh() -> None:
    """At a service's start (gunicorn master, Celery worker main process): forget the last run's counts, which
    would otherwise be added to this run's. Each service needs its own directory, or it wipes the other's."""
    if multiprocess_dir():
        for stale in Path(multiprocess_dir()).glob("*.db"):
            stale.unlink(missing_ok=True)


def process_ended(pid: int) -> None:
    """A worker process ended (gunicorn child_exit, Celery worker_process_shutdown): drop its live gauges."""
    if multiprocess_dir():
        multiprocess.mark_process_dead(pid)
