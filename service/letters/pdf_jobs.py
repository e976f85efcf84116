"""Making the letters' PDFs after commit: called by the embedded loop (service/deadlines/loop.py) and by Celery.

Each letter is claimed with SKIP LOCKED, rendered and stored in its own transaction, so any number of workers
share the work and none renders a letter twice. A letter whose rendering fails is logged by id only (never its
text), counted, and tried again later with backoff (`pdf_next_attempt_at`), so it neither holds up the letters
after it nor is retried in a hot loop. It is never given up: the letter stays «under udarbejdelse» and the
failure count on /metrics tells operations.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from service import clock
from service.letters import pdf
from service.letters.models import Brev
from service.metrics import instruments
from service.uow import UnitOfWork

log = logging.getLogger(__name__)

BATCH = 20  # ≈1.4 s of afgørelser: one call stays near beat's 1 s interval; the next call takes the rest


def retry_delay(attempts: int) -> timedelta:
    """30 s after the first failure, doubling, at most an hour."""
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def render_pending(session_factory: sessionmaker, *, batch: int = BATCH) -> int:
    """Make the PDFs of letters waiting for one, oldest first; returns how many were made."""
    made = 0
    for _ in range(batch):
        with UnitOfWork(session_factory) as uow:
            brev = uow.session.scalar(
                select(Brev).where(Brev.pdf_next_attempt_at <= clock.now(), Brev.pdf.is_(None))
                .order_by(Brev.pdf_next_attempt_at, Brev.id).limit(1).with_for_update(skip_locked=True))
            if brev is None:
                break
            try:
                # The letter's own time as the PDF's: the same document as if made when the task was completed.
                brev.pdf = pdf.render(brev.html, title=brev.title, created=brev.created_at)
            except Exception as err:  # noqa: BLE001 - any failure of the renderer: retry later, go on with the rest
                brev_id, attempts = brev.id, brev.pdf_attempts + 1
                brev.pdf_attempts = attempts
                brev.pdf_next_attempt_at = clock.now() + retry_delay(attempts)
                uow.commit()
                instruments.LETTER_PDF_FAILURES.inc()
                # The exception's text may quote the letter: only its type goes in the log.
                log.warning("PDF til brev %s kunne ikke dannes (%s, forsøg %d); prøves igen senere",
                            brev_id, type(err).__name__, attempts)
                continue
            brev.pdf_next_attempt_at = None
            uow.commit()
            instruments.LETTER_PDFS_MADE.inc()
            made += 1
    return made
