"""Figures counted in the database when /metrics is scraped: the same answer from every node and worker.

Each is an index range scan: due timers on ix_timers_due, open tasks per team on ix_human_tasks_inbox (one
range per team), unsent e-mails on ix_outbox_unsent, letters waiting for their PDF on ix_breve_pdf_due, beat's
heartbeat by primary key.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from service import clock
from service.access.models import Team
from service.deadlines.models import OPEN as TIMER_OPEN
from service.deadlines.models import OutboxEmail, Timer
from service.inbox.models import OPEN as TASK_OPEN
from service.inbox.models import HumanTask
from service.letters.models import Brev
from service.metrics import heartbeat

log = logging.getLogger(__name__)
DUE_COUNTED_UP_TO = 100_000  # beyond this the alert has long fired; the count stays an index scan of bounded size


class DatabaseCollector:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("sagsflow_metrics_database_up", "1 når databasetallene kunne tælles ved denne scrape")
        try:
            with Session(self._engine) as session:
                figures = list(_figures(session))
        except SQLAlchemyError as err:
            log.warning("metrics: databasetallene kunne ikke tælles (%s)", type(err).__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from figures


def _figures(session: Session) -> Iterator[Metric]:
    now = clock.now()
    due = select(Timer.id).where(Timer.status == TIMER_OPEN, Timer.next_attempt_at < now).limit(DUE_COUNTED_UP_TO)
    yield GaugeMetricFamily("sagsflow_timers_due", "Åbne timere, der er forfaldne nu (ikke affyret endnu)",
                            value=session.scalar(select(func.count()).select_from(due.subquery())) or 0)
    oldest = session.scalar(select(func.min(Timer.next_attempt_at)).where(
        Timer.status == TIMER_OPEN, Timer.next_attempt_at < now))
    yield GaugeMetricFamily("sagsflow_timers_oldest_due_seconds", "Hvor længe den ældste forfaldne timer har ventet",
                            value=(now - oldest).total_seconds() if oldest else 0.0)

    tasks = GaugeMetricFamily("sagsflow_tasks_open", "Åbne opgaver pr. team", labels=["team"])
    open_in_team = (select(func.count()).select_from(HumanTask)
                    .where(HumanTask.team_id == Team.id, HumanTask.status == TASK_OPEN).scalar_subquery())
    for name, count in session.execute(select(Team.navn, open_in_team).order_by(Team.navn)):
        tasks.add_metric([name], count)
    yield tasks

    yield GaugeMetricFamily("sagsflow_outbox_waiting", "E-mails i udbakken, der endnu ikke er sendt",
                            value=session.scalar(select(func.count()).select_from(OutboxEmail)
                                                 .where(OutboxEmail.sent_at.is_(None))) or 0)
    yield GaugeMetricFamily("sagsflow_letters_pdf_waiting", "Breve, hvis PDF er under udarbejdelse (ikke dannet endnu)",
                            value=session.scalar(select(func.count()).select_from(Brev)
                                                 .where(Brev.pdf_next_attempt_at.is_not(None))) or 0)

    last = heartbeat.last_tick(session)
    yield GaugeMetricFamily("sagsflow_beat_last_tick_timestamp_seconds",
                            "Hvornår beat (eller den indlejrede løkke) sidst tikkede, Unix-tid; 0: aldrig",
                            value=last.timestamp() if last else 0.0)
    yield GaugeMetricFamily("sagsflow_beat_stale",
                            f"1 når beat ikke har tikket i {int(heartbeat.STALE_AFTER.total_seconds())} s: "
                            "ingen frister affyres", value=1 if heartbeat.is_stale(last) else 0)
