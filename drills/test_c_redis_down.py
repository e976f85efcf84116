"""c. Redis (the Celery broker) is killed for 30 s: the API does not need it; timers wait and then fire."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime

from drills import http
from drills.conftest import report
from drills.processes import wait_until
from drills.stack import BREACH, WEB_PORTS, Stack
from service.demo_payloads import FORMS

DOWN_SECONDS = 30
DUE_WHILE_DOWN = 50


def test_with_redis_killed_the_api_answers_and_timers_due_meanwhile_fire_soon_after_it_returns(up: Stack):
    token = up.tokens["raadgiver1"]
    case_ids = up.intakes(DOWN_SECONDS, token)
    tasks = dict(up.sql("SELECT case_id, id FROM human_tasks WHERE bpmn_id = 'registrering' AND status = 'aaben' "
                        "AND case_id = ANY(:c)", c=case_ids))

    up.redis.kill()
    down_until = time.monotonic() + DOWN_SECONDS
    answers: Counter[str] = Counter()
    due_ids: list[str] = []
    for n, case_id in enumerate(case_ids):  # one read and one completion a second, alternating nodes
        if time.monotonic() >= down_until - 1:
            break
        port = WEB_PORTS[n % 2]
        answers[f"GET {http.call(port, 'GET', f'/api/cases/{case_id}', token=token).status}"] += 1
        complete = http.call(port, "POST", f"/api/tasks/{tasks[case_id]}/complete",
                             {"data": FORMS["registrering"]}, token)
        answers[f"complete {complete.status}"] += 1
        if n == 5:
            due_ids = up.due_cases(DUE_WHILE_DOWN)  # due at once, but beat cannot reach a worker
        time.sleep(max(0.0, min(1.0, down_until - time.monotonic())))
    time.sleep(max(0.0, down_until - time.monotonic()))
    unfired_at_return = up.unfired(due_ids)
    up.redis.start()
    back_at = datetime.now(UTC)
    try:
        wait_until(lambda: up.unfired(due_ids) == 0, 15, "timere forfaldne under udfaldet affyret", every=0.2)
    finally:
        closed = [r[0] for r in up.sql("SELECT closed_at FROM timers WHERE bpmn_id = :b AND case_id = ANY(:c) "
                                       "AND closed_at IS NOT NULL", b=BREACH, c=due_ids)]
        last = max(((c - back_at).total_seconds() for c in closed), default=float("nan"))
        report(f"c. Redis killed for {DOWN_SECONDS} s: API answers meanwhile {dict(sorted(answers.items()))}; "
               f"{len(due_ids)} timers made due meanwhile, {unfired_at_return} still waiting when Redis returned, "
               f"{len(closed)} fired, the last {last:.1f} s after its return")
    assert set(answers) == {"GET 200", "complete 200"} and answers["complete 200"] >= DOWN_SECONDS // 2, answers
    assert unfired_at_return == DUE_WHILE_DOWN  # nothing fired without the broker: the wait was real
