"""«Validér» runs every deploy check without deploying; the process owner's overview counts versions and cases."""

from __future__ import annotations

import io

from service.config import ROOT
from service.process_models import service as process_models
from tests.support import receive

CASE_MODEL = (ROOT / "workflows" / "sagsbehandling.bpmn").read_bytes()
CHANGED = CASE_MODEL.replace(b'name="Afslutning af sagen"', b'name="Afslut sagen"')


def _post(api, path: str, xml: bytes, name: str = "sagsbehandling.bpmn", user: str = "procesejer1"):  # noqa: ANN001
    return api.post(path, user, data={"file": (io.BytesIO(xml), name)}, content_type="multipart/form-data")


def _versions(api) -> list[tuple[str, int]]:  # noqa: ANN001
    return sorted((v["process_id"], v["version"]) for v in api.get("/api/process-versions").get_json())


def test_validation_says_what_a_deploy_would_do_and_deploys_nothing(api):
    before = _versions(api)
    same = _post(api, "/api/process-versions/validering", CASE_MODEL)
    assert same.status_code == 200, same.get_json()
    assert same.get_json() == {"gyldig": True, "processer": [
        {"process_id": "sagsbehandling", "navn": "Børnesag – sagsbehandling", "version": 1, "ny_version": False,
         "aendringer": []}]}
    changed = _post(api, "/api/process-versions/validering", CHANGED).get_json()
    assert changed["processer"][0]["version"] == 2 and changed["processer"][0]["ny_version"] is True
    assert _versions(api) == before
    deployed = _post(api, "/api/process-versions", CHANGED).get_json()
    assert deployed["version"]["version"] == 2  # the number validation promised


def test_validation_of_a_called_process_names_its_callers(api):
    klage = (ROOT / "workflows" / "klage.bpmn").read_bytes()
    changed = klage.replace(b'name="Genvurdering af klage"', b'name="Genvurdering af klagen"')
    checked = _post(api, "/api/process-versions/validering", changed, name="klage.bpmn").get_json()
    assert {(p["process_id"], p["version"], p["ny_version"]) for p in checked["processer"]} == {
        ("klage", 2, True), ("sagsbehandling", 2, True)}
    assert ("klage", 2) not in _versions(api)


def test_validation_errors_are_422_with_the_element_and_only_for_process_owners(api):
    missing_form = CASE_MODEL.replace(b'camunda:formKey="afslutning"', b'camunda:formKey="findes_ikke"')
    response = _post(api, "/api/process-versions/validering", missing_form)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert [e["field"] for e in response.get_json()["errors"]] == ["sagsbehandling.bpmn#afslutning"]
    assert _post(api, "/api/process-versions/validering", b"<ikke xml", name="x.bpmn").status_code == 422
    wrong_type = _post(api, "/api/process-versions/validering", CASE_MODEL, name="model.xml")
    assert wrong_type.status_code == 422 and wrong_type.get_json()["errors"][0]["field"] == "file"
    assert _post(api, "/api/process-versions/validering", CASE_MODEL, user="raadgiver1").status_code == 403
    assert _post(api, "/api/process-versions/validering", CASE_MODEL, user="teamleder1").status_code == 403


def test_overview_counts_versions_and_the_cases_running_on_each(api, uow):
    receive(api)
    _post(api, "/api/process-versions", CHANGED)
    receive(api, cpr="020219-4322", barnets_navn="Bo Hansen")
    receive(api, cpr="030318-4323", barnets_navn="Carl Hansen")
    overview = {p.latest.version.process_id: p for p in process_models.processes(uow)}
    case = overview["sagsbehandling"]
    assert (case.latest.version.version, case.versions, case.running) == (2, 2, 3)
    assert case.latest.deployed_by == "Per Procesejer"
    lines = process_models.versions_of(uow, "sagsbehandling")
    assert [(line.version.version, line.running) for line in lines] == [(2, 2), (1, 1)]
    assert lines[1].deployed_by is None  # deployed at start-up, by no one
    assert overview["triage"].running == 0  # runs inside the case process, not on its own


def test_a_table_change_keeps_a_change_made_to_the_process_since(api, uow):
    """Deploying one file resolves the others from what is deployed, not from workflows/ on disk."""
    _post(api, "/api/process-versions", CHANGED)  # e.g. made in the browser modeler
    visitation = (ROOT / "workflows" / "visitation.bpmn").read_bytes()
    renamed = visitation.replace('name="Visitation og afgørelse"'.encode(), b'name="Visitation (ny)"', 1)
    assert renamed != visitation
    assert _post(api, "/api/process-versions", renamed, name="visitation.bpmn").status_code == 201
    table = (ROOT / "workflows" / "kompetenceplan.dmn").read_bytes()
    changed_table = table.replace(b"<description>", b"<description>Rettet. ", 1)
    assert changed_table != table
    deployed = _post(api, "/api/process-versions", changed_table, name="kompetenceplan.dmn").get_json()
    assert {(v["version"]["process_id"], v["version"]["version"]) for v in deployed["versioner"]} == {
        ("sagsbehandling", 4), ("visitation", 3)}
    newest = process_models.latest(uow, "sagsbehandling")
    assert "Afslut sagen" in newest.bpmn_xml  # the change made before the table change is still there
    assert "Visitation (ny)" in newest.files["visitation.bpmn"]
    assert "Rettet." in newest.files["kompetenceplan.dmn"]


def test_tables_are_listed_with_the_processes_that_use_them_and_their_newest_text(api, uow):
    lines = {t.filename: t for t in process_models.tables(uow)}
    assert sorted(lines) == ["kompetenceplan.dmn", "triage.dmn"]
    assert lines["kompetenceplan.dmn"].used_by == ["Børnesag – sagsbehandling", "Visitation og afgørelse"]
    table = (ROOT / "workflows" / "kompetenceplan.dmn").read_bytes().replace(b"<description>", b"<description>Ny. ", 1)
    assert _post(api, "/api/process-versions", table, name="kompetenceplan.dmn").status_code == 201
    newest = process_models.table(uow, "kompetenceplan.dmn")
    text = api.get(f"/api/process-versions/{newest.version_id}/filer/kompetenceplan.dmn").get_data(as_text=True)
    assert "<description>Ny. " in text


def test_validation_and_the_version_page_say_what_changes(api, uow):
    checked = _post(api, "/api/process-versions/validering", CHANGED).get_json()["processer"][0]
    assert checked["aendringer"] == [
        "Brugeropgave «Afslut sagen» (afslutning) ændret: navn «Afslutning af sagen» → «Afslut sagen»"]
    assert _post(api, "/api/process-versions/validering", CASE_MODEL).get_json()["processer"][0]["aendringer"] == []
    _post(api, "/api/process-versions", CHANGED)
    first, second = sorted(process_models.versions_of(uow, "sagsbehandling"), key=lambda line: line.version.version)
    assert process_models.changes_from_previous(uow, first.version) is None
    assert [str(c) for c in process_models.changes_from_previous(uow, second.version)] == checked["aendringer"]


def test_start_up_does_not_deploy_a_changed_file_over_a_process_owners_version(api, settings, tmp_path, uow):
    import dataclasses
    import shutil

    from service.cli import deploy
    _post(api, "/api/process-versions", CHANGED)  # the process owner's version 2
    workflows = tmp_path / "workflows"
    shutil.copytree(ROOT / "workflows", workflows)
    klage = workflows / "klage.bpmn"
    klage.write_text(klage.read_text().replace('name="Genvurdering af klage"', 'name="Genvurdering af klagen"'))
    lines = deploy(dataclasses.replace(settings, workflows_dir=workflows))  # as at start-up
    assert "klage version 2 (ny) fra klage.bpmn" in lines
    assert any(line.startswith("sagsbehandling: sagsbehandling.bpmn i workflows/ er ændret, men ikke udrullet")
               for line in lines)
    assert "Afslut sagen" in process_models.latest(uow, "sagsbehandling").bpmn_xml  # the owner's change stays
    forced = deploy(dataclasses.replace(settings, workflows_dir=workflows), keep_owner_changes=False)
    assert "sagsbehandling version 3 (ny) fra sagsbehandling.bpmn" in forced
