"""Firing due timers: the one code path used by Celery beat/workers and by the embedded loop.

No error stops the firing: each is logged (where, the timer's id and the exception's type; never case data) and
counted in `sagsflow_timer_firing_failures_total`, and the next tick starts afresh.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from service.deadlines import service as deadlines
from service.deadlines.models import OPEN
from service.engine import followers, instances
from service.metrics import heartbeat, instruments
from service.uow import UnitOfWork

log = logging.getLogger(__name__)
T = TypeVar("T")


def fire_one(session_factory: sessionmaker) -> bool:
    """Advance the instance of the most overdue timer, in its own transaction. False when none is due.

    A timer whose step fails (the model, or anything else but the database) is tried again later with backoff,
    so it cannot hold up the timers behind it; database errors go up to `fire_due`.
    """
    with UnitOfWork(session_factory) as uow:
        due = deadlines.claim_next_due(uow)
        if due is None:
            return False
        timer_id = due.timer.id
        try:
            result = instances.fire_timers(due.instance, due.version)
            followers.follow(uow, instance=due.instance, case=due.case, result=result, actor_id=None)
            if due.timer.status == OPEN:  # the engine did not fire it: never claim it in a loop
                deadlines.postpone_after_failure(uow, timer_id, "Motoren affyrede ikke timeren; prøves igen.")
                uow.after_commit(lambda: instruments.firing_failed("not_fired"))
                log.warning("timeren %s blev ikke affyret af motoren; prøves igen", timer_id)
            uow.commit()
            return True
        except instances.ModelFailure as failure:
            reason, message = "model", failure.message
            # The model's own words may quote case data: the log names the timer, the row keeps the text.
            log.warning("procesmodellen fejlede ved timeren %s; prøves igen", timer_id)
        except SQLAlchemyError:
            raise
        except Exception as err:  # noqa: BLE001 - a bug in one step must not stop the others; logged, counted
            reason, message = "error", f"Uventet fejl ved affyringen ({type(err).__name__}); prøves igen."
            log.error("affyringen af timeren %s fejlede; prøves igen", timer_id, exc_info=True)
        uow.rollback()
        deadlines.postpone_after_failure(uow, timer_id, message)
        uow.commit()
        instruments.firing_failed(reason)
        return True


def fire_due(session_factory: sessionmaker, *, batch: int = 200) -> int:
    """Fire up to `batch` due instances; each in its own transaction, so one failure stops only itself."""
    return _fire_batch(session_factory, batch)[0]


def _fire_batch(session_factory: sessionmaker, batch: int) -> tuple[int, bool]:
    """(fired, failed): a failure ends the batch, as a database gone fails every claim alike."""
    fired = 0
    for _ in range(batch):
        try:
            if not fire_one(session_factory):
                break
        except StaleDataError:
            # Another worker advanced the same instance meanwhile; its timers are handled.
            log.info("en anden arbejder førte samme sag videre; timeren er allerede behandlet")
            instruments.firing_failed("conflict")
            continue
        except Exception as err:  # noqa: BLE001 - the database went away, or worse: stop this batch, not the next
            _failed("affyringen", err)
            return fired, True
        fired += 1
    return fired, False


def _failed(what: str, err: BaseException) -> None:
    reason = "database" if isinstance(err, SQLAlchemyError) else "error"
    instruments.firing_failed(reason)
    log.error("%s fejlede (%s); prøves igen", what, type(err).__name__, exc_info=err)


def guarded(what: str, work: Callable[[], T], default: T) -> T:
    """One part of a tick, whose failure is logged and counted but stops nothing after it."""
    try:
        return work()
    except Exception as err:  # noqa: BLE001 - see the module docstring
        _failed(what, err)
        return default


def tick(session_factory: sessionmaker, *, seconds: float, on_backlog: Callable[[], None] | None = None) -> int:
    """One tick of beat (or of the embedded loop): note it for /metrics (`sagsflow_beat_stale`), then fire."""
    guarded("tikkets hjerteslag", lambda: heartbeat.record_tick(session_factory), None)
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
        batch, failed = _fire_batch(session_factory, _STEP)
        fired += batch
        if failed:  # logged and counted; the next tick tries again rather than this one spinning on it
            return fired
        if on_backlog is not None and batch == _STEP:
            guarded("indkaldelsen af hjælpere", on_backlog, None)
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

    def count() -> int:
        with UnitOfWork(session_factory) as uow:
            return deadlines.count_due(uow, limit=HELPER_SHARE * (most + 1))

    # Guarded like the firing itself: a lost connection here must not cost the tick its firing.
    return min(most, guarded("optællingen af forfaldne timere", count, 0) // HELPER_SHARE)
