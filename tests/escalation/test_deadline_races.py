"""Real races on PostgreSQL: a late completion and the timer firing, started together, give the same record."""

from __future__ import annotations

import random
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from service.access.models import User
from service.cases import service as case_service
from service.deadlines import service as deadlines
from service.deadlines.firing import fire_due, fire_one
from service.deadlines.models import FIRED, Notification, Timer
from service.demo_payloads import UNDERRETNING, form
from service.inbox import service as inbox
from service.inbox.models import DONE, OPEN, HumanTask
from service.journal.models import JournalEntry
from service.uow import UnitOfWork

RACES = 50  # each a real race for one instance's lock; 50 keep the test well under a minute


def _receive_cases(factory, frozen_clock, start) -> list[str]:  # noqa: ANN001
    """One case a minute from `start`, so each race has exactly one deadline due: its own."""
    ids = []
    with UnitOfWork(factory) as uow:
        caseworker = uow.session.scalar(select(User).where(User.username == "raadgiver1"))
        for n in range(RACES):
            frozen_clock.set(start + timedelta(minutes=n))
            received = case_service.receive_underretning(uow, caseworker, {
                **UNDERRETNING, "cpr": f"{1 + n % 28:02d}0{1 + n // 28}20-{4000 + n:04d}", "barnets_navn": f"Barn {n}"})
            ids.append(received.case.id)
        uow.commit()
    return ids


def _complete_late(factory, case_id: str, go: threading.Barrier) -> None:  # noqa: ANN001
    with UnitOfWork(factory) as uow:
        user = uow.session.scalar(select(User).where(User.username == "raadgiver1"))
        task_id = uow.session.scalar(select(HumanTask.id).where(
            HumanTask.case_id == case_id, HumanTask.bpmn_id == "vurdering_24t"))
        uow.rollback()
        go.wait()
        time_to_think = random.random() / 200  # vary who reaches the instance lock first
        threading.Event().wait(time_to_think)
        inbox.complete(uow, user, task_id, form("vurdering_24t"))
        uow.commit()


def _fire(factory, go: threading.Barrier) -> None:  # noqa: ANN001
    go.wait()
    threading.Event().wait(random.random() / 200)
    fire_one(factory)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_late_completion_racing_the_firing_gives_the_same_breach_either_way(app, frozen_clock, database_url):
    factory = app.extensions["sagsflow"]["session_factory"]
    start = frozen_clock.now()
    case_ids = _receive_cases(factory, frozen_clock, start)
    frozen_clock.set(start + timedelta(hours=23))
    fire_due(factory, batch=10 * RACES)  # the 12-hour warnings, sent while each deadline is still ahead

    errors: list[BaseException] = []

    def run(work, *args) -> None:  # noqa: ANN001
        try:
            work(*args)
        except BaseException as err:  # noqa: BLE001 - reported by the assertion below
            errors.append(err)

    for n, case_id in enumerate(case_ids):
        frozen_clock.set(start + timedelta(minutes=n, hours=24, seconds=1))  # this case's deadline just passed
        go = threading.Barrier(2)
        racers = [threading.Thread(target=run, args=(_complete_late, factory, case_id, go)),
                  threading.Thread(target=run, args=(_fire, factory, go))]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join(60)
    assert not errors, errors

    firing_first = completion_first = 0
    with UnitOfWork(factory) as uow:
        for case_id in case_ids:
            timers = {t.bpmn_id: t for t in uow.session.scalars(select(Timer).where(Timer.case_id == case_id))}
            assert timers["frist_vurdering_24t"].status == FIRED
            notices = sorted(uow.session.scalars(select(Notification.kind).where(Notification.case_id == case_id)))
            assert notices == ["advis", "frist_overskredet"]
            tasks = list(uow.session.scalars(select(HumanTask).where(HumanTask.case_id == case_id)))
            assert [t.status for t in tasks if t.bpmn_id == "vurdering_24t"] == [DONE]
            escalations = [t for t in tasks if t.bpmn_id == "eskalering_vurdering_24t"]
            assert [t.status for t in escalations] == [OPEN]
            assert deadlines.breached_task_done(uow, escalations[0])  # so it offers only «Kvittér»
            journal = list(uow.session.scalars(select(JournalEntry).where(JournalEntry.case_id == case_id)
                                               .order_by(JournalEntry.id)))
            breach = [e.id for e in journal if e.action == "frist_overskredet"]
            done = [e.id for e in journal if e.action == "opgave_udfoert"]
            assert len(breach) == 1 and len(done) == 1
            firing_first += breach[0] < done[0]
            completion_first += done[0] < breach[0]
    # Both orders really happened, or the test proved nothing about them.
    assert firing_first and completion_first, (firing_first, completion_first)
