"""Test helpers: people in two teams, and an API client that speaks as one of them."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.test import TestResponse


@dataclass(frozen=True)
class EngineVersion:
    """A process version as the engine module reads it (spiff.VersionSource), for tests without a database."""

    id: int
    content_hash: str
    spec_json: str


class ApiClient:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.client = app.test_client()
        self._tokens: dict[str, str] = {}

    def token(self, username: str) -> str:
        if username not in self._tokens:
            response = self.client.post("/api/auth/token", json={"username": username, "password": "demo"})
            assert response.status_code == 201, response.get_json()
            self._tokens[username] = response.get_json()["token"]
        return self._tokens[username]

    def call(self, method: str, path: str, user: str | None, **kwargs: Any) -> TestResponse:
        headers = dict(kwargs.pop("headers", {}))
        if user is not None:
            headers["Authorization"] = f"Bearer {self.token(user)}"
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path: str, user: str | None = "raadgiver1", **kw: Any) -> TestResponse:
        return self.call("GET", path, user, **kw)

    def post(self, path: str, user: str | None = "raadgiver1", **kw: Any) -> TestResponse:
        return self.call("POST", path, user, **kw)

    def put(self, path: str, user: str | None = "raadgiver1", **kw: Any) -> TestResponse:
        return self.call("PUT", path, user, **kw)


def move_to(frozen_clock: Any, day: str) -> None:
    """Forward to 10.00 Danish time on `day` (never back): what a test records as done that day may be dated so."""
    from datetime import date, datetime, time

    from service.deadlines.calendar import COPENHAGEN
    when = datetime.combine(date.fromisoformat(day), time(10), COPENHAGEN)
    if when > frozen_clock.now():
        frozen_clock.set(when)


def receive(api: ApiClient, user: str = "raadgiver1", **changes: Any) -> dict[str, Any]:
    from service.demo_payloads import UNDERRETNING
    response = api.post("/api/underretninger", user, json={**UNDERRETNING, **changes})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def tasks(api: ApiClient, user: str = "raadgiver1", query: str = "scope=alle") -> list[dict[str, Any]]:
    """The open tasks the user may take (one page of up to 200: tests have far fewer)."""
    response = api.get(f"/api/tasks?{query}&limit=200", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["opgaver"]


def cases(api: ApiClient, user: str = "raadgiver1", query: str = "") -> list[dict[str, Any]]:
    response = api.get(f"/api/cases?{query}&limit=200", user)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["sager"]


def open_task(api: ApiClient, case_id: str, bpmn_id: str, user: str = "raadgiver1") -> dict[str, Any]:
    listed = tasks(api, user)
    matching = [t for t in listed if t["case_id"] == case_id and t["bpmn_id"] == bpmn_id]
    assert matching, f"{bpmn_id} er ikke åben for {user}; åbne: {[t['bpmn_id'] for t in listed]}"
    return matching[0]


# The decision to investigate (BL § 20) comes before every BFU. A test that asks to complete the BFU and does not
# care about the decision is walked through it with the demo payload; tests of the decision complete it themselves.
_COMES_FIRST = {"bfu": "bfu_beslutning"}


def complete(api: ApiClient, case_id: str, bpmn_id: str, data: dict[str, Any] | None = None,
             user: str = "raadgiver1") -> dict[str, Any]:
    from service.demo_payloads import form
    first = _COMES_FIRST.get(bpmn_id)
    if first is not None:
        listed = tasks(api, user)
        if any(t["case_id"] == case_id and t["bpmn_id"] == first for t in listed) and not any(
                t["case_id"] == case_id and t["bpmn_id"] == bpmn_id for t in listed):
            complete(api, case_id, first, user=user)
    task = open_task(api, case_id, bpmn_id, user)
    response = api.post(f"/api/tasks/{task['id']}/complete", user, json={"data": data or form(bpmn_id)})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def make_letter_pdfs(api: ApiClient) -> int:
    """One run of the job that makes letters' PDFs after commit, as the embedded loop and Celery call it."""
    from service.letters.pdf_jobs import render_pending
    return render_pending(api.app.extensions["sagsflow"]["session_factory"])


def open_bpmn_ids(api: ApiClient, case_id: str, user: str = "teamleder1") -> set[str]:
    return {a["bpmn_id"] for a in api.get(f"/api/cases/{case_id}", user).get_json()["aktiviteter"]}


SCREENING_FALSE = ("mistanke_om_overgreb", "anbringelse_overvejes", "retur_fra_krisecenter", "afgraenset_problem",
                   "kompleks_problem", "familien_samarbejder", "et_uklart_forhold")


def screening(**answers: Any) -> dict[str, Any]:
    """A screening form with every question 'no' (concern substantiated) except the answers given."""
    from service.demo_payloads import form
    return form("faglig_vurdering", **{"udfald": None, **{k: False for k in SCREENING_FALSE},
                                       "bekymring_underbygget": True, **answers})


EARLY_OFFER = {"afgraenset_problem": True, "kompleks_problem": False, "familien_samarbejder": True}


def walk_to_decision(api: ApiClient, case_id: str) -> None:
    """From a fresh case to the decision task (a support measure the team leader decides)."""
    for step in ("vurdering_24t", "faglig_vurdering", "bfu_beslutning", "bfu", "barnets_plan", "indstilling"):
        complete(api, case_id, step)


def walk_to_running_measure(api: ApiClient, case_id: str) -> None:
    """From a fresh case to a granted, started measure (the follow-up phase)."""
    walk_to_decision(api, case_id)
    complete(api, case_id, "afgoerelse", user="teamleder1")
    complete(api, case_id, "ivaerksaettelse")


def walk_to_running_placement(api: ApiClient, case_id: str) -> None:
    """From a fresh case to a started placement with consent (BL § 46): the visitation committee grants it at a
    meeting on the day, the team leader writes the decision, the caseworker starts it (startdato in 74 days)."""
    from service import clock
    from service.demo_payloads import form
    for step in ("vurdering_24t", "faglig_vurdering", "bfu", "barnets_plan"):
        complete(api, case_id, step)
    complete(api, case_id, "indstilling", form("visitation_indstilling", foranstaltningstype="anbringelse",
                                               foranstaltning="Anbringelse i plejefamilie"))
    meeting = api.post("/api/udvalgsmoeder", "teamleder1", json={"udvalg": "visitationsudvalg",
                                                                   "moededato": clock.today().isoformat()})
    assert meeting.status_code == 201, meeting.get_json()
    held = api.post(f"/api/udvalgsmoeder/{meeting.get_json()['id']}/afhold", "teamleder1", json={"beslutninger": [
        {"case_id": case_id, "udfald": "bevilget", "begrundelse": "Barnet kan ikke blive hjemme."}]})
    assert held.status_code == 200, held.get_json()
    complete(api, case_id, "afgoerelse", form("afgoerelse", foranstaltning="Anbringelse i plejefamilie",
                                              lovgrundlag="BL § 46"), user="teamleder1")
    complete(api, case_id, "ivaerksaettelse")


def start_celery(args: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """`celery -A tasks.celery_app <args>` from this checkout, its output written to `log_path`."""
    from service.config import ROOT
    log = log_path.open("w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "tasks.celery_app", *args], env=env,  # noqa: S603
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def mark_due_too_early(session_factory: Any, bpmn_id: str, now: Any) -> None:
    """A timer row that says "due" while the engine's timer is still hours away (the engine will not fire it)."""
    from datetime import timedelta

    from sqlalchemy import update

    from service.deadlines.models import Timer
    with session_factory() as session:
        session.execute(update(Timer).where(Timer.bpmn_id == bpmn_id)
                        .values(next_attempt_at=now - timedelta(seconds=1)))
        session.commit()


def cases_overdue_by_the_wall_clock(postgres_url: str, cases: int) -> tuple[Any, Any]:
    """An emptied, deployed PostgreSQL database with `cases` cases received 30 hours ago by the wall clock (what
    Celery workers use), so each has its 12-hour advis and 24-hour breach due. Returns (engine, session factory)."""
    from datetime import timedelta

    from service import clock
    from service.bootstrap import configure_engine
    from service.cases import service as case_service
    from service.cli import deploy
    from service.db import make_engine, make_session_factory
    from service.demo import seed_people
    from service.demo_payloads import UNDERRETNING
    from service.uow import UnitOfWork
    from tests.conftest import _settings, _truncate_all
    _truncate_all(postgres_url)
    settings = _settings(postgres_url)
    deploy(settings)
    configure_engine(settings)
    engine = make_engine(postgres_url)
    factory = make_session_factory(engine)
    previous = clock.use(clock.FrozenClock(clock.Clock().now() - timedelta(hours=30)))
    try:
        with UnitOfWork(factory) as uow:
            users = seed_people(uow)
            for n in range(cases):
                case_service.receive_underretning(uow, users["raadgiver1"], {
                    **UNDERRETNING, "cpr": f"{1 + n % 28:02d}0{1 + n // 28}20-{4000 + n:04d}",
                    "barnets_navn": f"Barn {n}"})
            uow.commit()
    finally:
        clock.use(previous)
    return engine, factory
