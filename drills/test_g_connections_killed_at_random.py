"""g. For 60 s a random database backend is ended every 0.5–2 s, while 4 clients take in underretninger, read the
cases (through the API and as the browser's page), take and complete their tasks and list their inboxes on both
nodes, and deadlines fall due for the workers
to fire.

Every answer is held against what the database shows afterwards: no 500, no success answer without its effect, no
error answer with its effect (a 503 whose change was made after all would make the client's retry a 409), and every
deadline fired exactly once."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from datetime import timedelta

import psycopg

from bench.http_lifecycle import cpr
from drills import http
from drills.conftest import report
from drills.processes import wait_until
from drills.stack import BREACH, WEB_PORTS, Stack
from service.demo import DEMO_PASSWORD
from service.demo_payloads import FORMS, UNDERRETNING

SECONDS = 60
CLIENTS = 4
DUE_BATCHES = (10, 30, 50)  # seconds into the run at which a batch of deadlines falls due
DUE_PER_BATCH = 40
RETRIES = 5  # a client retries a 503 (after its Retry-After, shortened here), as a browser's user would


def _kill_at_random(up: Stack, until: float, kills: Counter[str]) -> None:
    """One random client backend of the service's database ended every 0.5–2 s (from the postgres database): a
    busy one (in a statement or a transaction) when there is one, as an idle one in a pool is replaced unnoticed by
    the pre-ping and proves nothing."""
    rng = random.Random(24)  # noqa: S311 - a drill's pacing, not a secret
    with psycopg.connect(f"host=127.0.0.1 port={up.pg.port} user=postgres dbname=postgres", autocommit=True) as conn:
        while time.monotonic() < until:
            time.sleep(rng.uniform(0.5, 2.0))
            ended = conn.execute(
                "SELECT pg_terminate_backend(pid), state <> 'idle' FROM pg_stat_activity WHERE datname = 'sagsflow' "
                "AND backend_type = 'client backend' ORDER BY state = 'idle', random() LIMIT 1").fetchone()
            kills["ended"] += bool(ended and ended[0])
            kills["busy"] += bool(ended and ended[0] and ended[1])
            kills["rounds"] += 1


def test_connections_killed_at_random_give_no_500_and_no_answer_that_misstates_the_effect(up: Stack):
    token = up.tokens["raadgiver1"]
    tasks = [r.id for r in up.sql(
        "SELECT id FROM human_tasks WHERE bpmn_id = 'registrering' AND status = 'aaben' AND case_id = ANY(:c)",
        c=up.intakes(CLIENTS * 10, token))]
    signed_in = http.call(WEB_PORTS[0], "POST", "/api/auth/login",
                          {"username": "raadgiver1", "password": DEMO_PASSWORD})
    assert signed_in.ok, signed_in.body
    cookie = signed_in.headers["set-cookie"].split(";", 1)[0]
    started = time.monotonic()
    # Registered under a frozen clock now, due at moments during the run: the workers fire them amid the kills.
    due = [c for s in DUE_BATCHES for c in up.due_cases(DUE_PER_BATCH, overdue=-timedelta(seconds=s + 5))]
    until = time.monotonic() + SECONDS

    answers: Counter[str] = Counter()
    examples: dict[str, str] = {}
    intakes: list[tuple[str, int]] = []  # (child's name, status)
    claims: list[tuple[str, int]] = []  # (task id, status)
    completions: dict[str, list[int]] = {}  # task id -> the statuses of each try
    lock = threading.Lock()

    def note(kind: str, answer: http.Answer) -> None:
        key = f"{kind} {answer.status}"
        with lock:
            answers[key] += 1
            if not answer.ok and key not in examples:
                examples[key] = f"{answer.body} Retry-After={answer.headers.get('retry-after')}"

    def client(n: int) -> None:
        """Round after round until the time is up: a new underretning, its case read, its first task taken and
        completed (a task made before the run when the intake or the read got a 503)."""
        port, spare = WEB_PORTS[n % 2], tasks[n::CLIENTS]
        while time.monotonic() < until:
            number = next(up.numbers)
            name = f"Barn {number}"
            answer = http.call(port, "POST", "/api/underretninger",
                               {**UNDERRETNING, "cpr": cpr(number), "barnets_navn": name}, token)
            note("intake", answer)
            intakes.append((name, answer.status))
            task = None
            if answer.ok:
                read = http.call(port, "GET", f"/api/cases/{answer.body['case_id']}", None, token)
                note("read", read)
                if read.ok:
                    task = next(a["id"] for a in read.body["aktiviteter"] if a["bpmn_id"] == "registrering")
                # The case's page in the browser: it journals the reading, reads on, and renders the layout.
                note("page", http.call(port, "GET", f"/sager/{answer.body['case_id']}", cookie=cookie))
            if task is None:
                if not spare:
                    continue
                task = spare.pop()
            answer = http.call(port, "POST", f"/api/tasks/{task}/claim", None, token)
            note("claim", answer)
            claims.append((task, answer.status))
            tries = completions.setdefault(task, [])
            for _ in range(RETRIES):
                answer = http.call(port, "POST", f"/api/tasks/{task}/complete", {"data": FORMS["registrering"]}, token)
                note("complete", answer)
                tries.append(answer.status)
                if answer.status != 503:
                    break
                time.sleep(0.2)
            # A read without a commit: its transaction is still open when the request's teardown rolls it back.
            note("list", http.call(port, "GET", "/api/tasks?limit=5", None, token))

    kills: Counter[str] = Counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    threads.append(threading.Thread(target=_kill_at_random, args=(up, until, kills)))
    for t in threads:
        t.start()
    for t in threads:
        t.join(SECONDS + 120)

    # Held against the database (each kind of change leaves its own trace: the case, the journal, the task).
    names = [name for name, _ in intakes]
    cases = dict(up.sql("SELECT child_name, count(*) FROM cases WHERE child_name = ANY(:n) GROUP BY child_name",
                        n=names))
    taken = dict(up.sql("SELECT task_id, count(*) FROM journal WHERE action = 'opgave_taget' AND task_id = ANY(:t) "
                        "GROUP BY task_id", t=[t for t, _ in claims]))
    done = dict(up.sql("SELECT task_id, count(*) FROM journal WHERE action = 'opgave_udfoert' AND task_id = ANY(:t) "
                       "GROUP BY task_id", t=list(completions)))
    lies: Counter[str] = Counter()
    for name, status in intakes:
        _held(lies, "intake", status, cases.get(name, 0))
    for task, status in claims:
        _held(lies, "claim", status, taken.get(task, 0))
    for task, tries in completions.items():
        effect = done.get(task, 0)
        if effect > 1:
            lies["complete done twice"] += 1
        if 409 in tries[1:]:  # a retry refused: an earlier 503 had done the work after all
            lies["complete error with effect"] += 1
        _held(lies, "complete", tries[-1], effect)

    wait_until(lambda: up.unfired(due) == 0, 120, "alle forfaldne timere affyret efter udfaldet", every=0.5)
    escalations = dict(up.sql("SELECT case_id, count(*) FROM human_tasks WHERE bpmn_id = 'eskalering_vurdering_24t' "
                              "AND case_id = ANY(:c) GROUP BY case_id", c=due))
    notices = dict(up.sql("SELECT n.case_id, count(*) FROM notifications n JOIN timers t ON t.id = n.timer_id "
                          "WHERE t.bpmn_id = :b AND t.case_id = ANY(:c) GROUP BY n.case_id", b=BREACH, c=due))
    duplicate_firings = sum(n > 1 for n in escalations.values()) + sum(n > 1 for n in notices.values())
    missing_firings = sum(escalations.get(c, 0) == 0 or notices.get(c, 0) == 0 for c in due)

    errors_500 = sum(n for k, n in answers.items() if int(k.rsplit(" ", 1)[1]) >= 500 and not k.endswith(" 503"))
    no_answer = sum(n for k, n in answers.items() if k.endswith(f" {http.NO_ANSWER}"))
    # The problem body's Danish detail, or the Danish page's title (the drill keeps a page's first 500 characters).
    without_retry_after = [k for k, v in examples.items() if k.endswith(" 503") and not (
        "Retry-After=5" in v and ("Databasen kan ikke nås lige nu" in v or "Midlertidigt utilgængelig" in v))]
    success_without = sum(n for k, n in lies.items() if "success without effect" in k)
    error_with = sum(n for k, n in lies.items() if "error with effect" in k)
    report(f"g. {kills['ended']} database backends ended at random ({kills['busy']} busy) in {kills['rounds']} "
           f"rounds over {SECONDS} s "
           f"(set-up {until - SECONDS - started:.0f} s), {CLIENTS} clients: HTTP 500 {errors_500}, no answer "
           f"{no_answer}, success without effect {success_without}, error with effect {error_with}, missing "
           f"firings {missing_firings}, duplicate firings {duplicate_firings} (of {len(due)}); answers "
           f"{dict(sorted(answers.items()))}; {dict(lies) or 'no misstated effects'}")
    assert sum(n for k, n in answers.items() if k.endswith(" 503")) > 0, \
        "ingen 503: ingen forbindelse blev ramt midt i et kald, så drillet beviser intet"
    assert errors_500 == 0 and no_answer == 0, (dict(answers), examples)
    assert not without_retry_after, examples
    expected = {f"{kind} {status}" for kind, ok in (("intake", 201), ("claim", 200), ("complete", 200), ("read", 200),
                                                  ("list", 200), ("page", 200))
                for status in (ok, 503)}
    assert set(answers) <= expected, (dict(answers), examples)  # e.g. a 409 on a task no one else touches
    assert success_without == 0 and error_with == 0 and not lies["complete done twice"], dict(lies)
    assert missing_firings == 0 and duplicate_firings == 0
    assert answers["complete 200"] > 0 and answers["intake 201"] > 0


def _held(lies: Counter[str], kind: str, status: int, effect: int) -> None:
    """A 2xx must have left its one trace; an error none (a 409 or 404 is a refusal: it leaves the state alone)."""
    if 200 <= status < 300 and effect != 1:
        lies[f"{kind} success without effect"] += 1
    elif status == 503 and effect:
        lies[f"{kind} error with effect"] += 1
