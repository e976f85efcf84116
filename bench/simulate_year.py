"""A municipality's time simulated through the public API, and Sagsflow's deadlines checked against ground truth.

First slice of issue 23 (in-process, one team): seeded arrivals of underretninger on working days, each case worked
by a caseworker who is sometimes late on purpose, the one clock moved forward hour by hour with the timer firing
run at every hour, as the embedded loop and Celery do. The simulator keeps its own truth: when each task was really
done, and when each deadline really fell by the law's counting (its own calendar from the `holidays` package, not
Sagsflow's). At the end it compares, case by case: deadlines missed, the team leader's escalation tasks (exactly one
per breach, none otherwise) and the management information's counts per deadline.

    .venv/bin/python -m bench.simulate_year [--days 30] [--per-day 8] [--late-share 0.15] [--seed 1]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/<db>]

Without --database-url it uses a fresh SQLite file. Exit status 0 when everything equals the ground truth.
"""

from __future__ import annotations

import argparse
import random
import secrets
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from service import clock
from service.config import Settings
from service.demo_payloads import UNDERRETNING, form

CPH = ZoneInfo("Europe/Copenhagen")
START = datetime(2026, 1, 5, 8, 0, tzinfo=CPH)  # a Monday
DRIVEN = ("vurdering_24t", "kvittering", "faglig_vurdering", "tilbagemelding_underretter", "bfu")
WEEKDAY_SHAPE = (1.3, 1.1, 1.0, 1.0, 0.8)  # more underretninger early in the week (domain.md §8's weekly shape)


# ---------------------------------------------------------------- the law's counting, kept apart from Sagsflow's

def _days_off(year: int) -> set[date]:
    off = set(holidays.Denmark(years=[year, year + 1]))  # Store Bededag is gone from 2024 in the package too
    return off | {date(y, 12, 24) for y in (year, year + 1)} | {date(y, 12, 31) for y in (year, year + 1)}


def _end_of_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, 999999, tzinfo=CPH)


def law_due(deadline: str, t0: datetime) -> datetime:
    """When the deadline falls (domain.md §3): clock hours exactly; days, weeks and months to the end of the day."""
    day = t0.astimezone(CPH).date()
    if deadline == "vurdering_24t":
        return (t0.astimezone(UTC) + timedelta(hours=24)).astimezone(CPH)
    if deadline == "kvittering":
        off, left = _days_off(day.year), 6
        while left:
            day += timedelta(days=1)
            if day.weekday() < 5 and day not in off:
                left -= 1
        return _end_of_day(day)
    if deadline == "faglig_vurdering":
        return _end_of_day(day + timedelta(weeks=4))
    if deadline == "tilbagemelding_underretter":
        return _end_of_day(day + relativedelta(months=3))
    if deadline == "bfu":  # from T0, however long the decision to investigate takes
        return _end_of_day(day + relativedelta(months=4))
    raise ValueError(deadline)


# ---------------------------------------------------------------- ground truth of one case

@dataclass
class Child:
    n: int
    t0: datetime
    professional: bool
    case_id: str | None = None
    planned: dict[str, datetime] = field(default_factory=dict)  # task → when the caseworker will do it
    done: dict[str, datetime] = field(default_factory=dict)  # task → when it was really done

    def deadlines(self) -> list[str]:
        return [d for d in DRIVEN if self.professional or d not in ("kvittering", "tilbagemelding_underretter")]


def _plan(rng: random.Random, child: Child, late_share: float) -> None:
    """The caseworker's intentions: each task done before its deadline, or on purpose after it."""
    hours = timedelta(hours=1)
    for deadline in child.deadlines():
        due = law_due(deadline, child.t0)
        earliest = child.t0 + hours
        if deadline == "faglig_vurdering":
            earliest = child.planned["vurdering_24t"] + hours  # the screening opens after the 24-hour assessment
        if deadline == "tilbagemelding_underretter":
            earliest = child.planned["kvittering"] + hours  # the feedback opens once the receipt is sent
        if deadline == "bfu":  # the screening routes to a BFU; the § 20 decision comes first
            child.planned["bfu_beslutning"] = child.planned["faglig_vurdering"] + timedelta(
                hours=rng.randint(1, 5 * 24))
            earliest = child.planned["bfu_beslutning"] + hours
        if rng.random() < late_share:
            when = due + timedelta(minutes=rng.randint(61, 5 * 24 * 60))
        else:
            when = earliest + (due - earliest) * rng.uniform(0.05, 0.95)
        child.planned[deadline] = max(when, earliest)
    child.planned["registrering"] = child.t0 + timedelta(minutes=30)


def outcome(child: Child, deadline: str, now: datetime) -> str:
    due = law_due(deadline, child.t0)
    done = child.done.get(deadline)
    if done is not None:
        return "overholdt" if done <= due else "overskredet"  # the engine breaches strictly after the due time
    return "overskredet" if now > due else "afventer"


# ---------------------------------------------------------------- driving the API

class Api:
    def __init__(self, app: Any) -> None:
        self.client = app.test_client()
        self.tokens: dict[str, str] = {}
        self.calls = Counter[str]()
        self.seconds = Counter[str]()

    def call(self, method: str, path: str, user: str, kind: str, **kwargs: Any) -> Any:
        began = time.perf_counter()
        for _ in range(2):  # a token runs out as the clock moves on: log in again, as a person would
            if user not in self.tokens:
                answer = self.client.post("/api/auth/token", json={"username": user, "password": "demo"})
                if answer.status_code != 201:
                    raise RuntimeError(f"log-ind som {user}: {answer.status_code} "
                                       f"{answer.get_data(as_text=True)[:300]}")
                self.tokens[user] = answer.get_json()["token"]
            response = self.client.open(path, method=method,
                                        headers={"Authorization": f"Bearer {self.tokens[user]}"}, **kwargs)
            if response.status_code != 401:
                break
            del self.tokens[user]
        self.seconds[kind] += time.perf_counter() - began
        self.calls[kind] += 1
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.get_data(as_text=True)[:300]}")
        return response.get_json()

    def complete(self, child: Child, bpmn_id: str) -> None:
        case = self.call("GET", f"/api/cases/{child.case_id}", "raadgiver1", "sag")
        task = next((t for t in case["aktiviteter"] if t["bpmn_id"] == bpmn_id), None)
        if task is None:
            raise RuntimeError(f"{bpmn_id} er ikke åben; åbne: {[t['bpmn_id'] for t in case['aktiviteter']]}; "
                               f"udført: {child.done}; journal: {[e['tekst'] for e in case['journal']][-6:]}")
        self.call("POST", f"/api/tasks/{task['id']}/complete", "raadgiver1", "udfoer", json={"data": form(bpmn_id)})


def _arrivals(rng: random.Random, days: int, per_day: float) -> list[Child]:
    children, n = [], 0
    for offset in range(days):
        day = START.date() + timedelta(days=offset)
        if day.weekday() >= 5 or day in _days_off(day.year):
            continue
        for _ in range(_poisson(rng, per_day * WEEKDAY_SHAPE[day.weekday()])):
            minute = rng.randint(8 * 60, 16 * 60 - 1)
            t0 = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=CPH)
            children.append(Child(n, t0, professional=rng.random() < 0.7))
            n += 1
    return sorted(children, key=lambda c: c.t0)


def _poisson(rng: random.Random, mean: float) -> int:
    count, limit, product = 0, pow(2.718281828459045, -mean), rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _cpr(n: int) -> str:
    return f"{1 + n % 28:02d}{1 + n // 28 % 12:02d}15-{1000 + n:04d}"


def run(args: argparse.Namespace) -> int:
    from service.app import create_app
    from service.cli import deploy, migrate
    from service.db import make_engine, make_session_factory
    from service.deadlines.firing import fire_due
    from service.deadlines.models import FIRED, GONE, Timer
    from service.deadlines.service import ESCALATION_FORM
    from service.demo import seed_catalogue, seed_people
    from service.inbox.models import HumanTask
    from service.uow import UnitOfWork

    workdir = tempfile.mkdtemp(prefix="sagsflow-sim-")
    url = args.database_url or f"sqlite:///{Path(workdir) / 'sim.db'}"
    settings = Settings(database_url=url, secret_key=secrets.token_hex(32))
    frozen = clock.FrozenClock(START)
    previous = clock.use(frozen)
    try:
        migrate(settings)
        deploy(settings)
        factory = make_session_factory(make_engine(url))
        with UnitOfWork(factory) as uow:
            seed_people(uow)
            seed_catalogue(uow)
            uow.commit()
        # The simulated people log in once: a year passes in minutes of real time, and the log-in throttle counts
        # real minutes, so a token per simulated working day would be refused as an attack.
        app = create_app(replace(settings, testing=True, token_hours=24 * (args.days + 400)))
        api = Api(app)
        rng = random.Random(args.seed)
        children = _arrivals(rng, args.days, args.per_day)
        for child in children:
            _plan(rng, child, args.late_share)
        end = START + timedelta(days=args.days)
        print(f"{len(children)} underretninger over {args.days} dage ({args.per_day}/hverdag), "
              f"andel bevidst for sent: {args.late_share:.0%}, frø {args.seed}")

        began, firings, hour = time.perf_counter(), 0, START
        while hour < end:
            nxt = hour + timedelta(hours=1)
            events = [(c.t0, c, "modtag") for c in children if hour <= c.t0 < nxt]
            events += [(when, c, task) for c in children for task, when in c.planned.items()
                       if hour <= when < nxt]  # planned after the intake and after the task each one waits for
            for when, child, what in sorted(events, key=lambda e: (e[0], e[1].n, e[2])):
                frozen.set(when)
                if what == "modtag":
                    answer = api.call("POST", "/api/underretninger", "raadgiver1", "modtag", json={
                        **UNDERRETNING, "cpr": _cpr(child.n), "barnets_navn": f"Barn {child.n}",
                        "underretter_type": "fagperson" if child.professional else "borger"})
                    child.case_id = answer["case_id"]
                else:
                    api.complete(child, what)
                    child.done[what] = when
            frozen.set(nxt)
            firings += fire_due(factory)
            hour = nxt
        frozen.set(end)
        firings += fire_due(factory)
        wall = time.perf_counter() - began

        # ------------------------------------------------------------ the comparison
        mismatches: list[str] = []
        expected = Counter[str]()
        with UnitOfWork(factory) as uow:
            timers = [(t.case_id, t.deadline_id, t.name, t.status) for t in uow.session.scalars(
                select(Timer).where(Timer.kind == "frist", Timer.deadline_id.in_(DRIVEN)))]
            escalations = Counter((t.case_id, t.name) for t in uow.session.scalars(
                select(HumanTask).where(HumanTask.form_key == ESCALATION_FORM)))
        by_case = {(case_id, deadline): (name, status) for case_id, deadline, name, status in timers}
        for child in children:
            for deadline in child.deadlines():
                truth = outcome(child, deadline, end)
                expected[(deadline, truth)] += 1
                name, status = by_case.get((child.case_id, deadline), (None, None))
                # No timer yet: the task it sits on has not opened (it waits for an earlier one), so nothing is due.
                told = ("overskredet" if status == FIRED else "overholdt" if status == GONE
                        else "afventer") if status else "afventer (ikke åbnet)"
                truth = "afventer (ikke åbnet)" if status is None and truth == "afventer" else truth
                if told != truth:
                    mismatches.append(f"barn {child.n} {deadline}: sandhed {truth}, Sagsflow {told}")
                breaches = escalations.get((child.case_id, name), 0)
                if breaches != (truth == "overskredet"):
                    mismatches.append(f"barn {child.n} {deadline}: {breaches} eskaleringsopgaver ved {truth}")
        report = api.call("GET", f"/api/ledelsesinformation/frister?fra={START.date()}&til="
                                 f"{(end - timedelta(days=1)).date()}", "teamleder1", "ledelsesinformation")
        due_in_period = Counter[tuple[str, str]]()
        for child in children:
            for deadline in child.deadlines():
                if law_due(deadline, child.t0) < end:
                    due_in_period[(deadline, outcome(child, deadline, end))] += 1
        for row in report["frister"]:
            if row["frist"] in DRIVEN:
                for key in ("overholdt", "overskredet"):
                    if row[key] != due_in_period[(row["frist"], key)]:
                        mismatches.append(f"ledelsesinformation {row['frist']} {key}: {row[key]}, sandhed "
                                          f"{due_in_period[(row['frist'], key)]}")

        print(f"Simuleret på {wall:.1f} s; {firings} timere affyret; kald: "
              + ", ".join(f"{k} {n} ({1000 * api.seconds[k] / n:.0f} ms i snit)" for k, n in api.calls.items()))
        for deadline in DRIVEN:
            print(f"  {deadline:<28} overholdt {expected[(deadline, 'overholdt')]:>4}  overskredet "
                  f"{expected[(deadline, 'overskredet')]:>4}  afventer {expected[(deadline, 'afventer')]:>4}")
        if mismatches:
            print(f"AFVIGELSER fra sandheden: {len(mismatches)}")
            for line in mismatches[:40]:
                print("  " + line)
            return 1
        print("Frister, eskaleringer og ledelsesinformation er lig sandheden, sag for sag.")
        return 0
    finally:
        clock.use(previous)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--per-day", type=float, default=8.0, help="underretninger pr. hverdag i snit")
    parser.add_argument("--late-share", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=None)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
