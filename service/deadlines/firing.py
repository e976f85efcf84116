"""Firing due timers: the one code path used by Celery beat/workers and by the embedded loop."""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from service import projection
from service.deadlines import service as deadlines
from service.deadlines.models import OPEN
from service.engine import instances
from service.metrics import heartbeat, instruments
from service.uow import UnitOfWork


def fire_one(session_factory: sessionmaker) -> bool:
    """Advance the instance of the most overdue timer, in its own transaction. False when none is due."""
    with UnitOfWork(session_factory) as uow:
        due = deadlines.claim_next_due(uow)
        if due is None:
            return False
        timer_id = due.timer.id
        try:
            result = instances.fire_timers(due.instance, due.version)
            projection.follow_engine(uow, instance=due.instance, case=due.case, result=result, actor_id=None)
            if due.timer.status == OPEN:  # the engine did not fire it: never claim it in a loop
                deadlines.postpone_after_failure(uow, timer_id, "Motoren affyrede ikke timeren; prøves igen.")
                uow.after_commit(lambda: instruments.firing_failed("not_fired"))
            uow.commit()
            return True
        except instances.ModelFailure as failure:
            uow.rollback()
            deadlines.postpone_after_failure(uow, timer_id, failure.message)
            uow.commit()
            instruments.firing_failed("model")
            return True


def fire_due(session_factory: sessionmaker, *, batch: int = 200) -> int:
    """Fire up to `batch` due instances; each in its own transaction, so one failure stops only itself."""
    fired = 0
    for _ in range(batch):
        try:
            if not fire_one(session_factory):
                break
        except StaleDataError:
            continue  # another worker advanced the same instance meanwhile; its timers are handled
        except OperationalError:
            instruments.firing_failed("database")  # a lost connection or a lock timeout: tried again next time
            continue
        fired += 1
    return fired


def tick(session_factory: sessionmaker, *, seconds: float, on_backlog: Callable[[], None] | None = None) -> int:
    """One tick of beat (or of the embedded loop): note it for /metrics (`sagsflow_beat_stale`), then fire."""
    heartbeat.record_tick(session_factory)
    return fire_for(session_factory, seconds=seconds, on_backlog=on_backlog)


def fire_for(session_factory: sessionmaker, *, seconds: float, poll: float | None = 0.1,
             sleep: Callable[[float], None] = time.sleep, on_backlog: Callable[[], None] | None = None) -> int:
    """Fire what is due, and keep firing what comes due, for about `seconds` (wall time, not the business clock).

    Beat ticks once a second; a tick that stays this long fires a timer within ~`poll` of its due time
    instead of waiting for the next tick. `poll=None` stops as soon as nothing is due (a helper called in
    by a tick). Each instance still advances in its own transaction. `on_backlog` is called once, the first
    time a whole batch was due (a burst that came due during the tick: call other workers in now).
    """
    end = time.monotonic() + seconds
    fired = 0
    while True:
        batch = fire_due(session_factory, batch=_STEP)
        fired += batch
        if on_backlog is not None and batch == _STEP:
            on_backlog()
            on_backlog = None
        left = end - time.monotonic()
        if left <= 0 or (poll is None and batch < _STEP):
            return fired
        if not batch:
            sleep(min(poll, left))


_STEP = 20  # firings between looks at the time, so a tick ends close to its `seconds`
HELPER_SHARE = 25  # due timers per helper: fewer than this the tick itself fires well within its second
# A helper drains until nothing is due instead of stopping with the tick: stopping left its worker idle until
# the next tick called it in again. Bounded, so a worker under a long backlog still takes other tasks.
HELPER_SECONDS = 30.0


def helpers_wanted(session_factory: sessionmaker, *, most: int) -> int:
    """How many more workers a tick should call in: one per HELPER_SHARE due timers, at most `most`."""
    if most <= 0:
        return 0
    with UnitOfWork(session_factory) as uow:
        due = deadlines.count_due(uow, limit=HELPER_SHARE * (most + 1))
    return min(most, due // HELPER_SHARE)
