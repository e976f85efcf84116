"""A letter's PDF is made after the completing task's commit, by a job; until then it is «under udarbejdelse».

The completion stores the HTML (readable at once) and no PDF; the PDF answers 409 with Retry-After until the job
(the embedded loop or Celery, service/letters/pdf_jobs.py) has made it: the same PDF the completion used to make.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text

from service import clock
from service.deadlines import loop
from service.letters import pdf, templates
from service.letters.models import Brev
from service.letters.pdf_jobs import render_pending, retry_delay
from service.uow import UnitOfWork
from tests.ops.test_metrics import grew, scrape, value
from tests.support import complete, make_letter_pdfs, receive, start_celery, walk_to_decision

PENDING_DETAIL = "Brevets PDF er under udarbejdelse. Prøv igen om et øjeblik."
FAILURES = "sagsflow_letter_pdf_failures_total"


def _decided_case(api) -> str:  # noqa: ANN001
    cid = receive(api)["case_id"]
    walk_to_decision(api, cid)
    make_letter_pdfs(api)  # the decision to investigate's letter, made long before: these tests are the afgørelse's
    complete(api, cid, "afgoerelse", user="teamleder1")
    return cid


def _letters(api, cid: str, user: str = "raadgiver1") -> list[dict]:  # noqa: ANN001
    response = api.get(f"/api/cases/{cid}/breve", user)
    assert response.status_code == 200, response.get_json()
    return [letter for letter in response.get_json() if letter["type"] != "bfu_beslutning"]


def _factory(api):  # noqa: ANN001, ANN202
    return api.app.extensions["sagsflow"]["session_factory"]


def _copies(api, brev_id: str, n: int, **changes: object) -> list[str]:  # noqa: ANN001
    """More letters waiting for their PDF: copies of a real one (its case, HTML and author)."""
    ids = []
    with UnitOfWork(_factory(api)) as uow:
        original = uow.session.get(Brev, brev_id)
        for _ in range(n):
            ids.append(str(uuid.uuid4()))
            uow.session.add(Brev(**{
                "id": ids[-1], "case_id": original.case_id, "kind": original.kind, "title": original.title,
                "dato": original.dato, "html": original.html, "pdf": None, "pdf_next_attempt_at": clock.now(),
                "pdf_attempts": 0, "template_hash": original.template_hash, "task_id": None,
                "created_at": clock.now(), "created_by": original.created_by, **changes}))
        uow.commit()
    return ids


def _brev(api, brev_id: str) -> Brev:  # noqa: ANN001
    with UnitOfWork(_factory(api)) as uow:
        brev = uow.session.get(Brev, brev_id)
        _ = brev.pdf  # the deferred column, before the session closes
        uow.session.expunge(brev)
        return brev


def test_completing_the_decision_stores_the_html_and_answers_before_the_pdf_is_made(api, frozen_clock):
    cid = _decided_case(api)
    [letter] = _letters(api, cid)
    assert letter["pdf_klar"] is False
    stored = _brev(api, letter["id"])
    assert stored.pdf is None and stored.pdf_next_attempt_at == frozen_clock.now()

    html = api.get(letter["html_url"])  # the HTML at once
    assert html.status_code == 200 and "Afgørelse om Familiebehandling" in html.get_data(as_text=True)
    for url in (letter["pdf_url"], f"{letter['html_url']}?format=pdf"):
        pending = api.get(url)
        assert pending.status_code == 409 and pending.mimetype == "application/problem+json"
        assert pending.headers["Retry-After"] == "2"
        assert pending.get_json()["detail"] == PENDING_DETAIL
    # No existence leak: without access to the case it is still «findes ikke», not «under udarbejdelse».
    assert api.get(letter["pdf_url"], "raadgiver_syd").status_code == 404
    # A PDF not handed out was not read: only the HTML read is journalled.
    reads = [e["tekst"] for e in api.get(f"/api/cases/{cid}").get_json()["journal"] if e["handling"] == "laest"]
    assert "Brevet «Afgørelse om Familiebehandling» er læst" in reads
    assert "Brevet «Afgørelse om Familiebehandling» er læst (PDF)" not in reads


def test_one_run_of_the_job_makes_the_same_pdf_the_completion_used_to_make(api, frozen_clock):
    cid = _decided_case(api)
    [letter] = _letters(api, cid)
    stored = _brev(api, letter["id"])
    made_at_completion = pdf.render(stored.html, title=stored.title)  # what the completion rendered before
    frozen_clock.advance(minutes=5)  # the job runs later; the PDF still carries the letter's own time

    waiting = "sagsflow_letters_pdf_waiting"
    assert value(scrape(api.app), waiting) == 1
    assert make_letter_pdfs(api) == 1
    assert value(scrape(api.app), waiting) == 0
    [letter] = _letters(api, cid)
    assert letter["pdf_klar"] is True
    response = api.get(letter["pdf_url"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == made_at_completion
    assert _brev(api, letter["id"]).pdf_next_attempt_at is None
    assert make_letter_pdfs(api) == 0  # made once

    # The templates' hash is journalled with the letter, as before.
    made = [e for e in api.get(f"/api/cases/{cid}").get_json()["journal"] if e["handling"] == "brev_dannet"
            and e["data"]["type"] == "afgoerelse"]
    assert [e["data"]["skabelon_hash"] for e in made] == [templates.current().template_hash]
    assert letter["skabelon_hash"] == templates.current().template_hash


def test_a_letter_that_fails_to_render_holds_up_no_other_and_is_retried_later(api, frozen_clock, caplog):
    cid = _decided_case(api)
    [letter] = _letters(api, cid)
    # HTML fpdf2 cannot lay out, naming the child: a letter made by a broken template, say.
    [poison] = _copies(api, letter["id"], 1, html='<html><body><table><tr><td colspan="Bo Jensen">x</td></tr>'
                                                  '</table></body></html>')
    frozen_clock.advance(seconds=1)
    later = _copies(api, letter["id"], 2)  # queued after the poison letter

    before = scrape(api.app)
    with caplog.at_level(logging.INFO, logger="service.letters.pdf_jobs"):
        assert make_letter_pdfs(api) == 3
    assert grew(before, scrape(api.app), FAILURES) == 1
    for brev_id in (letter["id"], *later):
        assert _brev(api, brev_id).pdf is not None
    failed = _brev(api, poison)
    assert failed.pdf is None and failed.pdf_attempts == 1
    assert failed.pdf_next_attempt_at == frozen_clock.now() + retry_delay(1)
    [warning] = [r for r in caplog.records if r.name == "service.letters.pdf_jobs"]
    assert poison in warning.getMessage() and "ValueError" in warning.getMessage()
    assert "Bo Jensen" not in warning.getMessage() and not warning.exc_info  # no letter text in the log

    assert make_letter_pdfs(api) == 0  # not retried at once: no hot loop
    assert _brev(api, poison).pdf_attempts == 1
    frozen_clock.advance(seconds=30)
    assert make_letter_pdfs(api) == 0  # retried, failed again, later still
    assert (_brev(api, poison).pdf_attempts, _brev(api, poison).pdf_next_attempt_at) == (
        2, frozen_clock.now() + retry_delay(2))
    assert retry_delay(20) == timedelta(hours=1)  # the backoff stops growing at an hour; never given up

    mended = _brev(api, letter["id"]).html
    with UnitOfWork(_factory(api)) as uow:  # the cause is mended (here: the letter's HTML)
        uow.session.get(Brev, poison).html = mended
        uow.commit()
    frozen_clock.advance(seconds=60)
    assert make_letter_pdfs(api) == 1
    assert _brev(api, poison).pdf == pdf.render(mended, title=failed.title, created=failed.created_at)


def test_the_embedded_loop_makes_the_pdf(api, settings):
    cid = _decided_case(api)
    stop = loop.start(_factory(api), settings, interval=0.1)
    try:
        end = time.monotonic() + 30  # wall time for the thread to run; the business clock stays frozen
        while time.monotonic() < end and not _letters(api, cid)[0]["pdf_klar"]:
            time.sleep(0.05)
    finally:
        stop.set()
    [letter] = _letters(api, cid)
    assert letter["pdf_klar"] is True and api.get(letter["pdf_url"]).status_code == 200


# PostgreSQL only: SKIP LOCKED, and workers in other processes (SQLite has one writer at a time).
postgres_only = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@postgres_only
def test_two_jobs_at_once_make_each_pdf_once(api):
    cid = _decided_case(api)
    [letter] = _letters(api, cid)
    ids = [letter["id"], *_copies(api, letter["id"], 11)]
    made: list[int] = []
    start = threading.Barrier(2)

    def job() -> None:
        start.wait()
        made.append(render_pending(_factory(api)))

    threads = [threading.Thread(target=job) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sum(made) == len(ids), made  # a letter rendered by both would count twice
    assert all(_brev(api, brev_id).pdf is not None for brev_id in ids)


@postgres_only
def test_a_letter_being_rendered_is_skipped_not_waited_for(api, database_url):
    cid = _decided_case(api)
    [letter] = _letters(api, cid)
    others = _copies(api, letter["id"], 2)
    # Another worker is rendering the oldest letter: its row is locked until that worker commits.
    engine = create_engine(database_url)
    worker = engine.connect()
    busy = worker.begin()
    worker.execute(text("SELECT id FROM breve WHERE id = :id FOR UPDATE"), {"id": letter["id"]})
    try:
        result: list[int] = []
        job = threading.Thread(target=lambda: result.append(render_pending(_factory(api))))
        job.start()
        job.join(30)
        assert result == [2], "the job waited for the locked letter instead of going on with the others"
        assert all(_brev(api, brev_id).pdf is not None for brev_id in others)
    finally:
        busy.rollback()  # that worker died: its letter is still waiting
        worker.close()
        engine.dispose()
    assert make_letter_pdfs(api) == 1
    assert _brev(api, letter["id"]).pdf is not None


@postgres_only
def test_celery_beat_and_a_worker_make_the_pdf(api, database_url, broker, tmp_path):
    cid = _decided_case(api)
    env = {**os.environ, "SAGSFLOW_DATABASE_URL": database_url, "SAGSFLOW_BROKER_URL": broker}
    common = ["--pool", "solo", "--without-gossip", "--without-mingle", "--loglevel", "WARNING"]
    worker = start_celery(["worker", *common], env, tmp_path / "worker.log")
    beat = start_celery(["beat", "--schedule", str(tmp_path / "beat-schedule"), "--loglevel", "WARNING"], env,
                        tmp_path / "beat.log")
    try:
        end = time.monotonic() + 60  # wall time for the processes to start and run
        while time.monotonic() < end and not _letters(api, cid)[0]["pdf_klar"]:
            time.sleep(0.2)
    finally:
        for process in (worker, beat):
            process.kill()
            process.wait(10)
    [letter] = _letters(api, cid)
    assert letter["pdf_klar"] is True, (tmp_path / "worker.log").read_text()[-2000:]
    assert api.get(letter["pdf_url"]).status_code == 200


def test_the_demo_data_ends_with_every_letters_pdf_ready(settings, frozen_clock):
    from service.cli import deploy
    from service.demo import seed
    deploy(settings)
    seed(settings)
    engine = create_engine(settings.database_url)
    with engine.connect() as conn:
        states = conn.execute(text("SELECT pdf IS NOT NULL, pdf_next_attempt_at FROM breve")).all()
    engine.dispose()
    assert states and all(ready and due is None for ready, due in states), states
