"""b. 2,000 deadlines fall due at once; one worker is SIGKILLed while it holds a claimed timer."""

from __future__ import annotations

import signal
import statistics
import time
from datetime import UTC, datetime

from drills.conftest import report
from drills.processes import wait_until
from drills.stack import BREACH, Stack

BURST = 2000


def _freeze_holding_a_claim(up: Stack, name: str) -> list[str]:
    """Stop the worker's whole group at a moment it holds a claimed timer (its transaction is open); those timers.

    Stopped, it cannot commit between our look at its locks and the kill, so we know what it held.
    """
    worker = up.processes[name]
    for _ in range(200):
        worker.signal(signal.SIGSTOP)
        held = up.lock_holders(name)
        if held:
            return held
        worker.signal(signal.SIGCONT)
        time.sleep(0.01)
    raise AssertionError(f"{name} holdt aldrig en timer i 200 forsøg")


def test_a_burst_of_due_timers_fires_each_exactly_once_though_a_worker_is_killed_mid_burst(up: Stack):
    # Beat is paused while the cases are registered (two processes share the work, as it is the slow part):
    # when it goes on, all 2,000 are due at that one moment, already overdue by a minute.
    started = time.monotonic()
    up.processes["beat"].signal(signal.SIGSTOP)
    try:
        case_ids = up.due_cases(BURST, processes=2)
    finally:
        up.processes["beat"].signal(signal.SIGCONT)
    visible_at = datetime.now(UTC)
    created_s = time.monotonic() - started
    assert len(case_ids) == BURST

    wait_until(lambda: BURST - up.unfired(case_ids) >= BURST // 5, 120, "en femtedel af timerne affyret")
    held = _freeze_holding_a_claim(up, "worker1")
    up.processes["worker1"].kill()
    killed_at = datetime.now(UTC)
    fired_at_kill = BURST - up.unfired(case_ids)
    wait_until(lambda: up.unfired(case_ids) == 0, 120, "alle forfaldne timere affyret", every=0.25)

    rows = up.sql("SELECT id, status, closed_at FROM timers WHERE bpmn_id = :b AND case_id = ANY(:c)",
                  b=BREACH, c=case_ids)
    missing = sum(r.status != "udloest" or r.closed_at is None for r in rows) + (BURST - len(rows))
    escalations = dict(up.sql("SELECT case_id, count(*) FROM human_tasks WHERE bpmn_id = 'eskalering_vurdering_24t' "
                              "AND case_id = ANY(:c) GROUP BY case_id", c=case_ids))
    notices = dict(up.sql("SELECT n.case_id, count(*) FROM notifications n JOIN timers t ON t.id = n.timer_id "
                          "WHERE t.bpmn_id = :b AND t.case_id = ANY(:c) GROUP BY n.case_id", b=BREACH, c=case_ids))
    duplicates = sum(n > 1 for n in escalations.values()) + sum(n > 1 for n in notices.values())
    without = sum(escalations.get(c, 0) == 0 or notices.get(c, 0) == 0 for c in case_ids)
    closed = {r.id: r.closed_at for r in rows}
    held_lag = [(closed[t] - killed_at).total_seconds() for t in held if t in closed]
    lags = sorted((r.closed_at - visible_at).total_seconds() for r in rows if r.closed_at)
    drain = lags[-1] if lags else float("nan")
    report(f"b. burst of {BURST} due timers ({created_s:.1f} s to register with beat paused), worker1 SIGKILLed after "
           f"{fired_at_kill} had fired, holding {len(held)} claimed timer(s): missing {missing}, duplicate firings "
           f"{duplicates}, cases without escalation or notice {without}; killed worker's timer fired "
           f"{', '.join(f'{s:.2f}' for s in held_lag)} s after the kill; lag after beat went on p50 "
           f"{statistics.median(lags):.1f} s, max {drain:.1f} s ({BURST / drain:.0f}/s)")
    assert missing == 0 and duplicates == 0 and without == 0
    assert len(held_lag) == len(held) and all(s <= 30 for s in held_lag), held_lag
