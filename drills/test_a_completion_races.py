"""a. Two caseworkers complete the same task at the same moment, through different web nodes."""

from __future__ import annotations

import threading
import time
from collections import Counter

from drills import http
from drills.conftest import report
from drills.stack import WEB_PORTS, Stack
from service.demo_payloads import FORMS

RACES = 200
RACERS = ("raadgiver1", "raadgiver2")


def _marker(race: int, user: str) -> str:
    return f"race-{race}-{user}"  # ASCII: found as it is in the engine's JSON and the journal


def _race(up: Stack, race: int, task_id: str) -> dict[str, http.Answer]:
    """Both racers send at once (a barrier), each to its own node; which node is whose alternates."""
    barrier = threading.Barrier(2)
    answers: dict[str, http.Answer] = {}

    def complete(user: str, port: int) -> None:
        body = {"data": {**FORMS["registrering"], "beskrivelse": _marker(race, user)}}
        barrier.wait(10)
        answers[user] = http.call(port, "POST", f"/api/tasks/{task_id}/complete", body, up.tokens[user])

    ports = WEB_PORTS if race % 2 == 0 else WEB_PORTS[::-1]
    threads = [threading.Thread(target=complete, args=(u, p)) for u, p in zip(RACERS, ports, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return answers


def test_two_completions_of_one_task_on_two_nodes_give_one_2xx_and_one_409_and_the_winners_data(up: Stack):
    started = time.monotonic()
    case_ids = up.intakes(RACES, up.tokens["raadgiver1"])
    tasks = dict(up.sql("SELECT case_id, id FROM human_tasks WHERE bpmn_id = 'registrering' AND status = 'aaben' "
                        "AND case_id = ANY(:c)", c=case_ids))
    assert len(tasks) == RACES
    prepared = time.monotonic() - started

    outcomes: Counter[str] = Counter()
    winners: dict[int, tuple[str, str]] = {}  # race → (winner, loser)
    for race, case_id in enumerate(case_ids):
        answers = _race(up, race, tasks[case_id])
        statuses = sorted(a.status for a in answers.values())
        ok = [u for u, a in answers.items() if a.ok]
        if len(ok) == 1 and statuses[1] == 409 and answers[[u for u in RACERS if u not in ok][0]].status == 409:
            outcomes["one 2xx + one 409"] += 1
            winners[race] = (ok[0], next(u for u in RACERS if u != ok[0]))
        else:
            outcomes[f"other {statuses}"] += 1
    raced = time.monotonic() - started - prepared

    users = dict(up.sql("SELECT username, id FROM users WHERE username = ANY(:u)", u=list(RACERS)))
    done = {r.id: r for r in up.sql("SELECT id, status, completed_by FROM human_tasks WHERE id = ANY(:t)",
                                    t=list(tasks.values()))}
    states = dict(up.sql("SELECT case_id, state FROM process_instances WHERE case_id = ANY(:c)", c=case_ids))
    journal = Counter()
    for task_id, data in up.sql("SELECT task_id, data::text FROM journal WHERE task_id = ANY(:t)",
                                t=list(tasks.values())):
        journal[(task_id, data)] += 1
    winners_only = 0
    for race, (winner, loser) in winners.items():
        case_id = case_ids[race]
        task = done[tasks[case_id]]
        lines = [d for (t, d), n in journal.items() for _ in range(n) if t == tasks[case_id]]
        if (task.status == "udfoert" and task.completed_by == users[winner]
                and _marker(race, winner) in states[case_id] and _marker(race, loser) not in states[case_id]
                and sum(_marker(race, winner) in d for d in lines) == 1
                and not any(_marker(race, loser) in d for d in lines)):
            winners_only += 1
    wins = Counter(w for w, _ in winners.values())
    report(f"a. completion races: {RACES} races on 2 nodes in {raced:.1f} s ({prepared:.1f} s to make the cases); "
           f"{dict(outcomes)}; task holds the winner's data only: {winners_only}/{RACES}; wins {dict(wins)}")
    assert outcomes["one 2xx + one 409"] == RACES, dict(outcomes)
    assert winners_only == RACES
