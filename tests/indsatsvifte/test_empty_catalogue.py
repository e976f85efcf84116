"""Before the municipality has loaded its indsatsvifte, the caseworker and the operator are told so plainly."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import delete

from service.cli import deploy
from service.demo_payloads import form
from service.indsatsvifte.demo import seed_catalogue
from service.indsatsvifte.kontrakter import EMPTY_CATALOGUE
from service.indsatsvifte.models import Indsats, Leverandoer, Standardkontrakt
from service.uow import UnitOfWork
from tests.support import open_bpmn_ids, open_task, receive, walk_to_decision


@pytest.fixture
def empty(app):  # noqa: ANN001, ANN201
    with UnitOfWork(app.extensions["sagsflow"]["session_factory"]) as unit:
        for model in (Standardkontrakt, Indsats, Leverandoer):
            unit.session.execute(delete(model))
        unit.commit()
    return app


def _at_ivaerksaettelse(api) -> tuple[str, dict]:  # noqa: ANN001
    from tests.support import complete
    cid = receive(api)["case_id"]
    walk_to_decision(api, cid)
    complete(api, cid, "afgoerelse", user="teamleder1")
    return cid, open_task(api, cid, "ivaerksaettelse")


def test_ivaerksaettelse_with_an_empty_catalogue_says_why_and_the_case_waits(empty, api):
    cid, task = _at_ivaerksaettelse(api)
    before = open_bpmn_ids(api, cid)
    response = api.post(f"/api/tasks/{task['id']}/complete", json={"data": form("ivaerksaettelse")})
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"field": "indsats_kode", "message": EMPTY_CATALOGUE}]
    assert open_bpmn_ids(api, cid) == before
    # even an empty form gets the reason, not «Feltet skal udfyldes» for a choice with no options
    blank = api.post(f"/api/tasks/{task['id']}/complete", json={"data": {}})
    assert blank.get_json()["errors"] == [{"field": "indsats_kode", "message": EMPTY_CATALOGUE}]


def test_the_task_page_says_the_catalogue_is_empty_before_the_caseworker_fills_it_in(empty, api):
    _, task = _at_ivaerksaettelse(api)
    client = empty.test_client()
    client.post("/log-ind", data={"username": "raadgiver1", "password": "demo", "naeste": "/sager"})
    page = html.unescape(client.get(f"/opgaver/{task['id']}").get_data(as_text=True))
    assert EMPTY_CATALOGUE in page


def test_a_loaded_catalogue_page_has_no_such_message(app, api):  # noqa: ANN001
    _, task = _at_ivaerksaettelse(api)
    client = app.test_client()
    client.post("/log-ind", data={"username": "raadgiver1", "password": "demo", "naeste": "/sager"})
    page = html.unescape(client.get(f"/opgaver/{task['id']}").get_data(as_text=True))
    assert "Indsatsviften er tom" not in page and "Familiebehandling" in page


def test_deploy_warns_while_the_catalogue_is_empty(settings, uow, frozen_clock):  # noqa: ANN001
    lines = deploy(settings)
    assert lines[-1].startswith("Advarsel: indsatsviften er tom (ingen aktiv indsats med en standardkontrakt)")
    assert "sagsflow indsatsvifte importer FIL" in lines[-1]
    seed_catalogue(uow)
    uow.commit()
    assert not [line for line in deploy(settings) if line.startswith("Advarsel")]
