"""A failing firing is logged without case data and counted, and never stops the next tick or the other timers."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from service.deadlines import loop
from service.deadlines.firing import tick
from service.deadlines.models import FIRED, OPEN, Timer
from service.uow import UnitOfWork
from tests.conftest import PG_ADMIN_URL
from tests.engine.test_limits_api import _post, _with_advis_script
from tests.ops.test_metrics import grew, scrape
from tests.support import receive

FAILURES = "sagsflow_timer_firing_failures_total"
CPR = "020220-1234"


def _no_case_data(caplog: pytest.LogCaptureFixture) -> None:
    for record in caplog.records:
        text_ = record.getMessage() + str(record.exc_info[1] if record.exc_info else "")
        assert CPR not in text_ and CPR.replace("-", "") not in text_ and "Bo Jensen" not in text_


def test_a_model_that_fails_at_a_timer_is_logged_counted_and_holds_up_no_other_timer(
        api, app, uow, frozen_clock, caplog):
    # The warning's path divides by zero for a citizen's underretning: a real model failing at run time.
    script = "x = 1 / 0 if underretning['underretter_type'] == 'borger' else 1"
    assert _post(api, "/api/process-versions", _with_advis_script(script)).status_code == 201
    failing = receive(api, underretter_type="borger", cpr=CPR, barnets_navn="Bo Jensen")["case_id"]
    fine = receive(api)["case_id"]
    frozen_clock.advance(hours=13)  # both 12-hour warnings are due
    factory = app.extensions["sagsflow"]["session_factory"]
    before = scrape(app)
    with caplog.at_level(logging.INFO, logger="service.deadlines.firing"):
        tick(factory, seconds=0)
    after = scrape(app)
    advis = {t.case_id: t for t in uow.session.scalars(select(Timer).where(Timer.bpmn_id == "advis_vurdering_24t"))}
    assert advis[fine].status == FIRED
    assert advis[failing].status == OPEN and advis[failing].attempts == 1
    assert grew(before, after, FAILURES, reason="model") == 1
    logged = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(logged) == 1 and advis[failing].id in logged[0].getMessage()
    _no_case_data(caplog)


@contextmanager
def _database_gone(url: str) -> Iterator[None]:
    """The service's database refuses every connection and loses the ones it has, until the block ends."""
    name = make_url(url).database
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
    try:
        yield
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()


def _wait_for(condition, seconds: float = 30) -> bool:  # noqa: ANN001
    """Poll a thread's progress (wall time for the thread to run, never for the business clock to move)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _failures(reason: str) -> float:
    """This process's count (a scrape would ask the database, which is gone)."""
    return REGISTRY.get_sample_value(FAILURES, {"reason": reason}) or 0.0


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_database_gone_fails_celery_ticks_with_a_log_line_and_a_count_and_the_next_tick_fires(
        api, app, settings, frozen_clock, caplog, database_url):
    from tasks import deadlines as celery_tasks
    cid = receive(api, cpr=CPR, barnets_navn="Bo Jensen")["case_id"]
    frozen_clock.advance(hours=25)
    factory = app.extensions["sagsflow"]["session_factory"]
    celery_tasks._factory = factory  # the worker's own sessions, on this test's database
    try:
        before = _failures("database")
        with caplog.at_level(logging.INFO), _database_gone(database_url):
            assert celery_tasks.fire_due_timers() == 0  # returns: the helpers' count, heartbeat and firing failed
        failed = [r for r in caplog.records if r.name == "service.deadlines.firing" and r.levelno == logging.ERROR]
        assert {r.args[0] for r in failed} >= {"optællingen af forfaldne timere", "tikkets hjerteslag", "affyringen"}
        assert _failures("database") - before >= 3
        _no_case_data(caplog)
        assert celery_tasks.fire_due_timers() == 1  # the next tick: the 12-hour warning and the breach fire
    finally:
        celery_tasks.reset()
    escalation = [t for t in api.get("/api/tasks?scope=alle&limit=200", "teamleder1").get_json()["opgaver"]
                  if t["case_id"] == cid and t["bpmn_id"] == "eskalering_vurdering_24t"]
    assert len(escalation) == 1


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_embedded_loop_outlives_a_database_gone_and_fires_when_it_is_back(
        api, app, settings, frozen_clock, caplog, database_url):
    receive(api, cpr=CPR, barnets_navn="Bo Jensen")
    frozen_clock.advance(hours=13)
    factory = app.extensions["sagsflow"]["session_factory"]
    before = _failures("database")
    with caplog.at_level(logging.INFO), _database_gone(database_url):
        stop = loop.start(factory, settings, interval=0.2)
        assert _wait_for(lambda: _failures("database") - before >= 4)  # several ticks, each failed
    try:
        def fired() -> bool:
            with UnitOfWork(factory) as uow:
                return uow.session.scalar(select(Timer.status).where(
                    Timer.bpmn_id == "advis_vurdering_24t")) == FIRED
        assert _wait_for(fired)
    finally:
        stop.set()
    assert any(r.name == "service.deadlines.firing" and r.levelno == logging.ERROR for r in caplog.records)
    _no_case_data(caplog)
