"""d. A web node is SIGKILLed while caseworkers complete tasks on both nodes; the other node carries on."""

from __future__ import annotations

import threading
import time
from collections import Counter

from sqlalchemy import select

from bench.http_lifecycle import CLOSING, FORTSAET, TO_MEASURE
from drills import http
from drills.conftest import report
from drills.stack import WEB_PORTS, Stack
from service.engine import instances
from service.engine.models import RUNNING, ProcessInstance, ProcessVersion
from service.uow import UnitOfWork
from tests.projection_check import projection_differences

CLIENTS = 4
FORMS_BY_TASK = {**dict(TO_MEASURE), "opfoelgning": FORTSAET, "afslutning": dict(CLOSING)["afslutning"]}


def _walk(up: Stack, case_ids: list[str], stop: threading.Event, answers: Counter, lock: threading.Lock) -> None:
    """Complete each case's open tasks in turn, alternating nodes; a node that does not answer is skipped,
    as a load balancer would, and the case is read again (the answer, not the change, may be what was lost)."""
    n = 0
    for case_id in case_ids:
        while not stop.is_set():
            n += 1
            order = WEB_PORTS if n % 2 else WEB_PORTS[::-1]
            case = next((a for p in order if (a := http.call(p, "GET", f"/api/cases/{case_id}",
                                                             token=up.tokens["raadgiver1"])).status), None)
            task = next((t for t in (case.body or {}).get("aktiviteter", []) if t["bpmn_id"] in FORMS_BY_TASK),
                        None) if case and case.ok else None
            if task is None:
                break
            token = up.tokens["teamleder1" if task["rolle"] == "teamleder" else "raadgiver1"]
            body = {"data": FORMS_BY_TASK[task["bpmn_id"]]}
            for attempt, port in enumerate(order):
                answer = http.call(port, "POST", f"/api/tasks/{task['id']}/complete", body, token)
                # A retry after no answer may find the task done: the dead node had committed it (409).
                where = f"web{WEB_PORTS.index(port) + 1}{' retry' if attempt else ''}"
                with lock:
                    answers[f"{where} {answer.status or 'no answer'}"] += 1
                    if answer.status >= 400 and answer.status != 409:
                        answers[f"{task['bpmn_id']} {answer.body}"[:300]] += 1  # shown in the failure
                if answer.status:
                    break


def test_a_web_node_killed_under_a_stream_of_completions_leaves_every_instance_matching_its_engine(up: Stack):
    case_ids = up.intakes(CLIENTS * 10, up.tokens["raadgiver1"])
    answers: Counter[str] = Counter()
    lock, stop = threading.Lock(), threading.Event()
    threads = [threading.Thread(target=_walk, args=(up, case_ids[n::CLIENTS], stop, answers, lock))
               for n in range(CLIENTS)]
    for t in threads:
        t.start()
    time.sleep(4)
    with lock:
        before_kill = Counter(answers)
    up.processes["web1"].kill()
    time.sleep(4)
    stop.set()
    for t in threads:
        t.join(60)

    checked, mismatched = 0, []
    with UnitOfWork(up.factory) as uow:
        for instance in uow.session.scalars(select(ProcessInstance).where(ProcessInstance.status == RUNNING)):
            waited = instances.waiting(instance, uow.session.get(ProcessVersion, instance.process_version_id))
            problems = projection_differences(uow.session, instance.id, ready=waited.ready,
                                              timers={t.task_id for t in waited.timers}, messages=waited.messages)
            checked += 1
            if problems:
                mismatched.append((instance.case_id, problems))
    after_kill = answers - before_kill
    report(f"d. web1 SIGKILLed under a stream of completions from {CLIENTS} clients: answers before the kill "
           f"{dict(sorted(before_kill.items()))}, after {dict(sorted(after_kill.items()))}; running instances "
           f"checked against their engine state {checked}, mismatched {len(mismatched)}")
    assert not [k for k in answers if k.endswith(("500", "502", "503")) or k.endswith("409") and "retry" not in k], \
        answers
    assert after_kill["web2 200"] > 0 and before_kill["web1 200"] > 0, answers
    assert checked >= len(case_ids) and not mismatched, mismatched[:5]
