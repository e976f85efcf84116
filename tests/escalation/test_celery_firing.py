"""Exactly-once firing with real Celery workers and beat on Redis and PostgreSQL, one worker killed."""

from __future__ import annotations

import os
import signal
import time

from sqlalchemy import func, select

from service import clock
from service.deadlines.models import FIRED, OPEN, Notification, Timer
from service.inbox.models import HumanTask
from service.uow import UnitOfWork
from tests.support import cases_overdue_by_the_wall_clock, start_celery

CASES = 120


def _open_due(factory) -> int:  # noqa: ANN001
    with UnitOfWork(factory) as uow:
        return uow.session.scalar(select(func.count()).select_from(Timer).where(
            Timer.status == OPEN, Timer.due_at <= clock.Clock().now()))


def _count_fired(factory) -> int:  # noqa: ANN001
    with UnitOfWork(factory) as uow:
        return uow.session.scalar(select(func.count()).select_from(Timer).where(Timer.status == FIRED))


def test_two_workers_and_beat_fire_every_due_timer_exactly_once_despite_a_killed_worker(
        postgres_url, broker, tmp_path):
    engine, factory = cases_overdue_by_the_wall_clock(postgres_url, CASES)

    env = {**os.environ, "SAGSFLOW_DATABASE_URL": postgres_url, "SAGSFLOW_BROKER_URL": broker}
    common = ["--pool", "solo", "--without-gossip", "--without-mingle", "--loglevel", "WARNING"]
    workers = [start_celery(["worker", "-n", f"w{i}@%h", *common], env, tmp_path / f"worker{i}.log") for i in (1, 2)]
    beat = start_celery(["beat", "--schedule", str(tmp_path / "beat-schedule"), "--loglevel", "WARNING"], env,
                        tmp_path / "beat.log")
    try:
        # Kill worker 1 as soon as firing is under way: its claimed instance rolls back, the rest go on.
        started = time.monotonic()
        while _count_fired(factory) == 0 and time.monotonic() - started < 60:
            time.sleep(0.05)
        workers[0].send_signal(signal.SIGKILL)
        left_at_kill = _open_due(factory)
        assert left_at_kill > 0, "alt var affyret før drabet; testen beviser intet"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            left = _open_due(factory)
            if left == 0:
                break
            time.sleep(0.5)
        assert left == 0, f"{left} forfaldne timere blev aldrig affyret"
    finally:
        for process in (*workers, beat):
            process.kill()
            process.wait(10)

    with UnitOfWork(factory) as uow:
        escalations = uow.session.execute(select(HumanTask.case_id, func.count()).where(
            HumanTask.bpmn_id == "eskalering_vurdering_24t").group_by(HumanTask.case_id)).all()
        assert len(escalations) == CASES and {n for _, n in escalations} == {1}
        fired = uow.session.scalar(select(func.count()).select_from(Timer).where(Timer.status == FIRED))
        notices = uow.session.scalar(select(func.count()).select_from(Notification))
        assert fired == CASES * 2  # each case: the 12-hour advis and the 24-hour breach, once each
        assert notices == CASES  # the breach's; a warning of a deadline already past is not sent
    engine.dispose()
