"""A database connection lost at any point of a request, on real PostgreSQL: where nothing was committed the answer
is 503 with Retry-After and a Danish body (problem+json, or the Danish error page), never 500; where the commit went
through the answer is the usual 2xx, and the change is there.

The request's own backend is ended from a second connection (tests/ops/connection_killer.py) at one point each:
before a query, at the first write (in an autoflush, too), at commit, after commit, in the teardown's rollback, and
in the look-up of the token or the log-in session."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from service.access import token_cache
from service.cases.models import Case
from service.demo_payloads import UNDERRETNING, form
from service.inbox.models import HumanTask
from service.journal.models import JournalEntry
from service.uow import UnitOfWork
from service.web import uow
from tests.ops.connection_killer import AFTER_COMMIT, AT_COMMIT, AT_ROLLBACK, BEFORE_STATEMENT, ConnectionKiller
from tests.support import open_task, receive
from tests.webapp.test_pages import _log_in

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

DETAIL = "Databasen kan ikke nås lige nu. Prøv igen om lidt."


@pytest.fixture
def killer(app) -> Iterator[ConnectionKiller]:  # noqa: ANN001
    k = ConnectionKiller(app.extensions["sagsflow"]["engine"])
    yield k
    k.close()


def _unavailable(response) -> None:  # noqa: ANN001
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    assert response.headers["Retry-After"] == "5"
    if response.mimetype == "application/problem+json":
        assert response.get_json() == {"type": "about:blank", "title": "Midlertidigt utilgængelig", "status": 503,
                                       "detail": DETAIL}
    else:
        page = response.get_data(as_text=True)
        assert response.mimetype == "text/html"
        assert "<h1>Midlertidigt utilgængelig</h1>" in page and DETAIL in page
        assert 'class="logo"' in page  # the site's own error page, not a bare one


def _task(app, task_id: str) -> tuple[str, int | None]:  # noqa: ANN001
    """The task's status and who has taken it, as committed."""
    with UnitOfWork(app.extensions["sagsflow"]["session_factory"]) as unit:
        task = unit.session.get(HumanTask, task_id)
        return task.status, task.claimed_by


def _count(app, what) -> int:  # noqa: ANN001
    with UnitOfWork(app.extensions["sagsflow"]["session_factory"]) as unit:
        return unit.session.scalar(what)


def _journalled(app, action: str) -> int:  # noqa: ANN001
    return _count(app, select(func.count()).select_from(JournalEntry).where(JournalEntry.action == action))


# --- nothing committed: 503, and the retry does the work ------------------------------------------------------


def test_a_token_look_up_that_loses_its_connection_is_a_503_and_the_retry_gets_through(api, app, killer):
    api.token("raadgiver1")
    token_cache.cache().clear()  # looked up in the database, not in this process's cache
    with killer.armed(BEFORE_STATEMENT, r"JOIN api_tokens"):
        _unavailable(api.get("/api/tasks"))
    assert killer.fired
    assert api.get("/api/tasks").status_code == 200


@pytest.mark.parametrize("point,pattern", [(BEFORE_STATEMENT, r"FROM human_tasks"),
                                           (BEFORE_STATEMENT, r"^\s*(INSERT|UPDATE)"),
                                           (AT_COMMIT, None)],
                         ids=["før forespørgslen", "ved første skrivning", "ved commit"])
def test_a_completion_that_loses_its_connection_before_its_commit_is_a_503_and_nothing_of_it_is_kept(
        api, app, killer, point, pattern):
    task = open_task(api, receive(api)["case_id"], "vurdering_24t")
    with killer.armed(point, pattern):
        _unavailable(api.post(f"/api/tasks/{task['id']}/complete", json={"data": form("vurdering_24t")}))
    assert killer.fired
    assert _task(app, task["id"])[0] == "aaben" and _journalled(app, "opgave_udfoert") == 0
    retried = api.post(f"/api/tasks/{task['id']}/complete", json={"data": form("vurdering_24t")})
    assert retried.status_code == 200, retried.get_json()  # not 409: the first try left nothing behind
    assert _task(app, task["id"])[0] == "udfoert"


@pytest.mark.parametrize("point,pattern", [(BEFORE_STATEMENT, r"INSERT INTO underretninger"), (AT_COMMIT, None)],
                         ids=["i autoflush", "ved commit"])
def test_an_intake_that_loses_its_connection_before_its_commit_is_a_503_and_the_retry_makes_the_one_case(
        api, app, killer, point, pattern):
    api.token("raadgiver1")
    with killer.armed(point, pattern):  # the underretning is written by the autoflush of the next query
        _unavailable(api.post("/api/underretninger", json=UNDERRETNING))
    assert killer.fired and _count(app, select(func.count()).select_from(Case)) == 0
    assert api.post("/api/underretninger", json=UNDERRETNING).status_code == 201
    assert _count(app, select(func.count()).select_from(Case)) == 1


def test_a_claim_that_loses_its_connection_at_commit_is_a_503_that_leaves_the_task_untaken(api, app, killer):
    task = open_task(api, receive(api)["case_id"], "vurdering_24t")
    with killer.armed(AT_COMMIT):
        _unavailable(api.post(f"/api/tasks/{task['id']}/claim"))
    assert killer.fired and _task(app, task["id"])[1] is None
    assert api.post(f"/api/tasks/{task['id']}/claim").status_code == 200


# --- committed: the answer is the usual one -------------------------------------------------------------------


@pytest.mark.parametrize("point", [AFTER_COMMIT, AT_ROLLBACK], ids=["efter commit", "i oprydningen"])
def test_changes_whose_commit_went_through_answer_2xx_whatever_happens_to_the_connection_after_it(
        api, app, killer, point):
    api.token("raadgiver1")
    with killer.armed(point):
        received = api.post("/api/underretninger", json=UNDERRETNING)
    assert received.status_code == 201, received.get_json()
    assert _count(app, select(func.count()).select_from(Case).where(Case.id == received.get_json()["case_id"])) == 1

    task = open_task(api, received.get_json()["case_id"], "vurdering_24t")
    with killer.armed(point):
        claimed = api.post(f"/api/tasks/{task['id']}/claim")
    assert claimed.status_code == 200 and claimed.get_json()["taget_af"] is not None

    with killer.armed(point):
        done = api.post(f"/api/tasks/{task['id']}/complete", json={"data": form("vurdering_24t")})
    assert done.status_code == 200, done.get_json()
    assert "faglig_vurdering" in [t["bpmn_id"] for t in done.get_json()["naeste_opgaver"]]
    assert _task(app, task["id"])[0] == "udfoert"


def test_a_teardown_whose_rollback_meets_a_lost_connection_changes_no_answer(api, app, killer, caplog):
    cid = receive(api)["case_id"]
    task = open_task(api, cid, "vurdering_24t")
    with killer.armed(AT_ROLLBACK):  # a read: its transaction is rolled back after the answer
        listed = api.get("/api/tasks?scope=alle")
    assert killer.fired and listed.status_code == 200 and listed.get_json()["opgaver"]

    assert api.post(f"/api/tasks/{task['id']}/complete", json={"data": form("vurdering_24t")}).status_code == 200
    with killer.armed(AT_ROLLBACK):
        again = api.post(f"/api/tasks/{task['id']}/complete", json={"data": form("vurdering_24t")})
    assert killer.fired and again.status_code == 409  # still the refusal, not an error of the teardown

    client, _csrf = _log_in(app)
    read_before = _journalled(app, "laest")
    # The case page journals the reading (a commit), reads on for the page, and is rolled back after the answer.
    with killer.armed(AT_ROLLBACK), caplog.at_level(logging.WARNING, logger="service.uow"):
        page = client.get(f"/sager/{cid}")
    assert killer.fired and page.status_code == 200
    assert _journalled(app, "laest") == read_before + 1
    assert "Forbindelsen til databasen var tabt" in caplog.text and "ændringen var gemt" in caplog.text
    assert UNDERRETNING["cpr"] not in caplog.text and UNDERRETNING["barnets_navn"] not in caplog.text


# --- pages ----------------------------------------------------------------------------------------------------


def test_pages_answer_the_danish_error_page_with_503_wherever_the_connection_is_lost(api, app, killer):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: an error page that fails is handled too
    task = open_task(api, receive(api)["case_id"], "vurdering_24t")
    client, csrf = _log_in(app)

    with killer.armed(BEFORE_STATEMENT, r"FROM user_sessions"):  # the log-in session's look-up
        _unavailable(client.get("/indbakke"))
    assert killer.fired

    with killer.armed(AT_COMMIT):
        _unavailable(client.post(f"/opgaver/{task['id']}/tag", data={"csrf_token": csrf}))
    assert killer.fired and _task(app, task["id"])[1] is None
    assert client.post(f"/opgaver/{task['id']}/tag", data={"csrf_token": csrf}).status_code == 302

    # A page that is itself an error (404) and needs the database for its layout (the inbox count) meets the loss.
    with killer.armed(BEFORE_STATEMENT, r"count\("):
        _unavailable(client.get("/opgaver/findes-ikke"))
    assert killer.fired


def test_what_fails_later_of_a_lost_connection_is_the_same_503(app, killer):
    """Code that catches the driver's error and goes on (as a library may) meets SQLAlchemy's PendingRollbackError:
    the same loss, so the same 503, not a 500."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/proeve/tabt-forbindelse")
    def goes_on_after_the_loss() -> str:
        unit = uow()
        try:
            unit.session.execute(text("SELECT 1"))
        except OperationalError:
            pass
        unit.session.execute(text("SELECT 2"))
        return "nået"

    with killer.armed(BEFORE_STATEMENT, r"SELECT 1"):
        _unavailable(app.test_client().get("/proeve/tabt-forbindelse"))
    assert killer.fired


# --- the unit of work outside requests (Celery, the CLI) --------------------------------------------------------


def test_closing_a_unit_of_work_after_its_commit_never_raises_for_a_lost_connection(app, killer, caplog):
    factory = app.extensions["sagsflow"]["session_factory"]
    unit = UnitOfWork(factory)
    unit.session.execute(text("SELECT 1"))
    unit.commit()
    unit.session.execute(text("SELECT 1"))  # a read after the commit opens a new transaction
    with killer.armed(AT_ROLLBACK), caplog.at_level(logging.WARNING, logger="service.uow"):
        unit.close()
    assert killer.fired and "ændringen var gemt" in caplog.text
    with UnitOfWork(factory) as again:  # the pool hands out a live connection afterwards
        assert again.session.scalar(text("SELECT 1")) == 1
