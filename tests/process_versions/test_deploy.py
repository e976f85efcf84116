"""Deploying models: numbered immutable versions, cases stay on theirs, unsafe expressions rejected."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from service.config import ROOT
from service.engine.models import ProcessInstance, ProcessVersion
from service.errors import ValidationFailed
from service.process_models import service as process_models
from tests.support import complete, open_bpmn_ids, receive

CASE_MODEL = (ROOT / "workflows" / "sagsbehandling.bpmn").read_bytes()


def _upload(api, xml: bytes, name: str = "sagsbehandling.bpmn", user: str = "procesejer1"):  # noqa: ANN001
    return api.post("/api/process-versions", user, data={"file": (io.BytesIO(xml), name)},
                    content_type="multipart/form-data")


def test_unchanged_model_makes_no_new_version_and_a_change_does(api):
    versions = api.get("/api/process-versions").get_json()
    assert sorted((v["process_id"], v["version"]) for v in versions) == [
        ("klage", 1), ("sagsbehandling", 1), ("triage", 1), ("visitation", 1)]
    same = _upload(api, CASE_MODEL)
    assert same.status_code == 201 and same.get_json()["ny_version"] is False
    changed = CASE_MODEL.replace(b'name="Afslutning af sagen"', b'name="Afslut sagen"')
    assert changed != CASE_MODEL
    created = _upload(api, changed).get_json()
    assert created["ny_version"] is True and created["version"]["version"] == 2


def test_running_case_stays_on_the_version_it_started_with(api, uow):
    old_case = receive(api)["case_id"]
    changed = CASE_MODEL.replace(b'name="Afslutning af sagen"', b'name="Afslut sagen"')
    assert _upload(api, changed).get_json()["version"]["version"] == 2
    new_case = receive(api, cpr="020219-4322", barnets_navn="Bo Hansen")["case_id"]
    for cid in (old_case, new_case):
        complete(api, cid, "vurdering_24t", {"akut": False, "begrundelse": "Ingen bekymring tilbage.",
                                              "videre_forloeb": "luk"})
    names = {c["id"]: c["aktiviteter"] for c in (api.get(f"/api/cases/{cid}", "teamleder1").get_json()
                                                  for cid in (old_case, new_case))}
    assert "Afslutning af sagen" in [a["navn"] for a in names[old_case]]
    assert "Afslut sagen" in [a["navn"] for a in names[new_case]]
    versions = dict(uow.session.execute(select(ProcessInstance.case_id, ProcessVersion.version)
                                        .join(ProcessVersion)).all())
    assert versions == {old_case: 1, new_case: 2}
    assert "afslutning" in open_bpmn_ids(api, old_case)


@pytest.mark.parametrize(("expression", "reason"), [
    ('__import__("os").system("id")', "importere"),
    ('().__class__.__base__.__subclasses__()', "__class__"),
    ('open("/etc/passwd").read() != ""', "open"),
])
def test_model_with_forbidden_expression_is_rejected_at_deploy(api, expression, reason):
    evil = CASE_MODEL.replace(b'underretning["overgreb"] == True', expression.replace('"', "&quot;").encode())
    assert evil != CASE_MODEL
    response = _upload(api, evil)
    assert response.status_code == 422
    problems = " ".join(e["message"] for e in response.get_json()["errors"])
    assert "gw_overgreb" in problems or "Flow" in problems
    assert reason in problems
    assert len(api.get("/api/process-versions").get_json()) == 4


def test_model_with_import_in_a_script_task_is_rejected_without_running_it(uow, tmp_path):
    xml = CASE_MODEL.replace(
        b'<bpmn:endEvent id="end_sag"',
        b'<bpmn:scriptTask id="evil" scriptFormat="python"><bpmn:script>import os\nos.remove("x")'
        b'</bpmn:script></bpmn:scriptTask><bpmn:endEvent id="end_sag"')
    with pytest.raises(ValidationFailed) as rejected:
        process_models.deploy_file(uow, filename="evil.bpmn", xml=xml, forms_dir=ROOT / "forms",
                                   sources=process_models.model_sources(ROOT / "workflows"))
    assert "import" in " ".join(e.message for e in rejected.value.errors)


def test_only_process_owners_deploy_and_broken_files_are_422(api):
    assert _upload(api, CASE_MODEL, user="raadgiver1").status_code == 403
    assert _upload(api, b"<not-bpmn", name="x.bpmn").status_code == 422
    assert _upload(api, CASE_MODEL, name="model.txt").status_code == 422
    missing_form = CASE_MODEL.replace(b'camunda:formKey="afslutning"', b'camunda:formKey="findes_ikke"')
    response = _upload(api, missing_form)
    assert response.status_code == 422 and "findes_ikke" in response.get_data(as_text=True)


def test_a_changed_called_process_gives_its_callers_a_new_version(api):
    klage = (ROOT / "workflows" / "klage.bpmn").read_bytes()
    changed = klage.replace(b'name="Genvurdering af klage"', b'name="Genvurdering af klagen"')
    assert changed != klage
    response = _upload(api, changed, name="klage.bpmn")
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["version"]["process_id"] == "klage"
    assert {(v["version"]["process_id"], v["version"]["version"]) for v in response.get_json()["versioner"]} == {
        ("klage", 2), ("sagsbehandling", 2)}
    broken_call = CASE_MODEL.replace(b'calledElement="klage"', b'calledElement="findes_ikke"', 1)
    response = _upload(api, broken_call)
    assert response.status_code == 422
    assert "processen 'findes_ikke', som ikke findes" in response.get_data(as_text=True)


def test_called_processes_are_checked_for_deadlines_and_forms_too(api):
    klage = (ROOT / "workflows" / "klage.bpmn").read_bytes()
    unknown_deadline = klage.replace(b'frist("klage_genvurdering"', b'frist("findes_ikke"')
    response = _upload(api, unknown_deadline, name="klage.bpmn")
    assert response.status_code == 422 and "Fristen 'findes_ikke'" in response.get_data(as_text=True)
    missing_form = klage.replace(b'camunda:formKey="videresend_ankestyrelsen"', b'camunda:formKey="ingen_formular"')
    response = _upload(api, missing_form, name="klage.bpmn")
    assert response.status_code == 422 and "ingen_formular" in response.get_data(as_text=True)
    assert len(api.get("/api/process-versions").get_json()) == 4  # nothing half-deployed
