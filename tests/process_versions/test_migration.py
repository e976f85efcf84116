"""Moving running cases to the newest version: the process owner's choice; the case's history is never rewritten."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from service.config import ROOT
from service.engine.models import ProcessInstance, ProcessVersion
from service.errors import Forbidden, ValidationFailed
from service.inbox.models import HumanTask
from service.journal.models import JournalEntry
from service.process_models import migration
from tests.support import complete, open_task, receive

CASE_MODEL = (ROOT / "workflows" / "sagsbehandling.bpmn").read_bytes()
SCREENING = {"akut": False, "begrundelse": "Skolen er bekymret for fravær.", "videre_forloeb": "screening"}


def _deploy(api, xml: bytes) -> int:  # noqa: ANN001
    response = api.post("/api/process-versions", "procesejer1", data={"file": (io.BytesIO(xml), "sagsbehandling.bpmn")},
                        content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    return response.get_json()["version"]["version"]


def _owner(uow):  # noqa: ANN001, ANN202
    from service.access.models import User
    return uow.session.scalar(select(User).where(User.username == "procesejer1"))


def _renamed_id(xml: bytes, old: str, new: str) -> bytes:
    """The task's id changed everywhere it is referenced (not the deadline ids in timer expressions)."""
    return re.sub(rb'((?:id|sourceRef|targetRef|attachedToRef|bpmnElement)=")' + old.encode() + rb'"',
                  rb"\g<1>" + new.encode() + rb'"', xml)


def test_a_waiting_case_moves_keeps_its_task_and_follows_the_new_version(api, app, uow):
    case_id = receive(api)["case_id"]
    in_triage = receive(api, cpr="020219-4322", barnets_navn="Bo Hansen")["case_id"]
    complete(api, in_triage, "vurdering_24t", SCREENING)  # now inside the called triage process
    task = open_task(api, case_id, "vurdering_24t")
    assert api.post(f"/api/tasks/{task['id']}/claim", "raadgiver1").status_code == 200
    renamed = CASE_MODEL.replace(b'name="24-timers vurdering"', b'name="Vurdering inden 24 timer"')
    assert renamed != CASE_MODEL and _deploy(api, renamed) == 2
    owner = _owner(uow)
    checked = migration.check(uow, owner, process_id="sagsbehandling", source_number=1)
    assert (checked.movable, checked.blocked, checked.target.version) == (2, {}, 2)
    moved = migration.move_cases(app.extensions["sagsflow"]["session_factory"], owner, process_id="sagsbehandling",
                                 source_number=1)
    assert (moved.moved, moved.blocked, moved.left) == (2, {}, 0)
    uow.session.expire_all()
    assert set(uow.session.scalars(select(ProcessVersion.version).join(
        ProcessInstance, ProcessInstance.process_version_id == ProcessVersion.id))) == {2}
    row = uow.session.get(HumanTask, task["id"])  # the same task: its claim kept, its name from version 2
    assert (row.status, row.name, row.claimed_by is not None) == ("aaben", "Vurdering inden 24 timer", True)
    entry = uow.session.scalar(select(JournalEntry).where(JournalEntry.action == "ny_procesversion"))
    assert entry.title == "Sagen er flyttet fra version 1 til version 2 af «Børnesag – sagsbehandling»"
    complete(api, case_id, "vurdering_24t", SCREENING)  # and the cases carry on
    complete(api, in_triage, "faglig_vurdering")
    with pytest.raises(ValidationFailed):  # nothing left on an older version than the newest
        migration.check(uow, owner, process_id="sagsbehandling", source_number=2)


def test_a_case_that_passed_a_step_the_new_version_lacks_stays(api, app, uow):
    passed = receive(api)["case_id"]
    complete(api, passed, "vurdering_24t", SCREENING)
    receive(api, cpr="020219-4322", barnets_navn="Bo Hansen")  # waits at the same step
    without = _renamed_id(CASE_MODEL, "vurdering_24t", "vurdering_ny")
    without = without.replace(b'name="24-timers vurdering"', b'name="Ny vurdering"')
    _deploy(api, without)
    owner = _owner(uow)
    checked = migration.check(uow, owner, process_id="sagsbehandling", source_number=1)
    assert checked.movable == 0 and checked.blocked == {
        "«24-timers vurdering» (passeret i sagen) findes ikke i den nye version": 1,
        "«24-timers vurdering» (aktiv) findes ikke i den nye version": 1}
    moved = migration.move_cases(app.extensions["sagsflow"]["session_factory"], owner, process_id="sagsbehandling",
                                 source_number=1)
    assert (moved.moved, moved.blocked) == (0, checked.blocked)
    uow.session.expire_all()
    assert set(uow.session.scalars(select(ProcessVersion.version).join(
        ProcessInstance, ProcessInstance.process_version_id == ProcessVersion.id))) == {1}  # both stayed
    assert complete(api, passed, "registrering")  # and carry on on version 1


def test_only_process_owners_move_cases(api, uow):
    from service.access.models import User
    caseworker = uow.session.scalar(select(User).where(User.username == "raadgiver1"))
    with pytest.raises(Forbidden):
        migration.check(uow, caseworker, process_id="sagsbehandling", source_number=1)


def test_the_process_owner_checks_and_moves_cases_in_the_browser(api, app):
    receive(api)
    _deploy(api, CASE_MODEL.replace(b'name="24-timers vurdering"', b'name="Vurdering inden 24 timer"'))
    client = app.test_client()
    client.post("/log-ind", data={"username": "procesejer1", "password": "demo"})
    overview = client.get("/modeller/sagsbehandling").get_data(as_text=True)
    assert 'href="/modeller/sagsbehandling/flyt?fra=1">Flyt til version 2' in overview
    page = client.get("/modeller/sagsbehandling/flyt?fra=1").get_data(as_text=True)
    assert "Flyt kørende sager fra version 1 til version 2" in page and "Flyt 1 sag til version 2" in page
    assert "navn «24-timers vurdering» → «Vurdering inden 24 timer»" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    done = client.post("/modeller/sagsbehandling/flyt", data={"csrf_token": token, "fra": "1"})
    assert done.headers["Location"] == "/modeller/sagsbehandling"
    assert "1 sag er flyttet til version 2." in client.get("/modeller/sagsbehandling").get_data(as_text=True)
    assert client.get("/modeller/sagsbehandling/flyt?fra=2").status_code == 422  # already the newest
    assert client.get("/modeller/sagsbehandling/flyt").status_code == 422
    assert client.post("/modeller/sagsbehandling/flyt", data={"fra": "1"}).status_code == 403  # no CSRF field
