"""An editor re-saves the whole file: a model changed only in its drawing (shapes moved, columns resized, the file
re-formatted or re-saved by another tool) makes no new version; any other change does. And the table editor's
own check gives the verdict Validér gives, cell by cell."""

from __future__ import annotations

import io

from lxml import etree

from service.config import ROOT

CASE_MODEL = (ROOT / "workflows" / "sagsbehandling.bpmn").read_bytes()
KOMPETENCEPLAN = (ROOT / "workflows" / "kompetenceplan.dmn").read_bytes()
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
DC = ("{http://www.omg.org/spec/DD/20100524/DC}Bounds", "{http://www.omg.org/spec/DMN/20180521/DC/}Bounds")


def _redrawn(xml: bytes) -> bytes:
    """Every shape moved, the file saved by another tool version, without indentation and with a comment; a
    moved task last in its process and its lane, as bpmn-js writes it after a move."""
    root = etree.fromstring(xml)  # noqa: S320 - our own files
    for bounds in (b for tag in DC for b in root.iter(tag)):
        bounds.set("x", str(float(bounds.get("x")) + 40))
    for task in root.iter(f"{{{BPMN}}}userTask"):
        task.getparent().append(task)
        break
    for lane in root.iter(f"{{{BPMN}}}lane"):
        lane[:] = reversed(list(lane))
    root.set("exporterVersion", "5.99.0")
    root.insert(0, etree.Comment(" flyttet i Camunda Modeler "))
    for element in root.iter():
        if isinstance(element.tag, str) and element.text is not None and not element.text.strip():
            element.text = None
        element.tail = None
    redrawn = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    assert redrawn != xml
    return redrawn


def _post(api, path: str, content: bytes, name: str, user: str = "procesejer1"):  # noqa: ANN001, ANN202
    return api.post(path, user, data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


def _versions(api) -> list[tuple[str, int]]:  # noqa: ANN001
    return sorted((v["process_id"], v["version"]) for v in api.get("/api/process-versions").get_json())


def test_a_model_changed_only_in_its_drawing_makes_no_new_version(api):
    before = _versions(api)
    redrawn = _redrawn(CASE_MODEL)
    checked = _post(api, "/api/process-versions/validering", redrawn, "sagsbehandling.bpmn").get_json()
    assert [(p["version"], p["ny_version"]) for p in checked["processer"]] == [(1, False)]
    deployed = _post(api, "/api/process-versions", redrawn, "sagsbehandling.bpmn")
    assert deployed.status_code == 201
    assert deployed.get_json()["ny_version"] is False and deployed.get_json()["version"]["version"] == 1
    assert _versions(api) == before

    renamed = redrawn.replace(b'name="Afslutning af sagen"', b'name="Afslut sagen"')
    assert renamed != redrawn
    created = _post(api, "/api/process-versions", renamed, "sagsbehandling.bpmn").get_json()
    assert created["ny_version"] is True and created["version"]["version"] == 2
    again = _post(api, "/api/process-versions", _redrawn(renamed), "sagsbehandling.bpmn").get_json()
    assert again["ny_version"] is False and again["version"]["version"] == 2  # compared with the newest


def test_a_table_changed_only_in_its_drawing_gives_its_processes_no_new_version(api):
    before = _versions(api)
    deployed = _post(api, "/api/process-versions", _redrawn(KOMPETENCEPLAN), "kompetenceplan.dmn")
    assert deployed.status_code == 201
    assert {v["ny_version"] for v in deployed.get_json()["versioner"]} == {False}
    assert _versions(api) == before
    raised = KOMPETENCEPLAN.replace(b"&lt; 50000", b"&lt; 60000")
    changed = _post(api, "/api/process-versions", _redrawn(raised), "kompetenceplan.dmn").get_json()
    assert {(v["version"]["process_id"], v["ny_version"]) for v in changed["versioner"]} == {
        ("sagsbehandling", True), ("visitation", True)}


def test_rules_in_another_order_are_a_change(api):
    """A table's first matching rule wins: the order of its rules is what it says, not part of the drawing."""
    table = KOMPETENCEPLAN.decode()
    rule_4 = table[table.index('<rule id="kompetenceplan_regel_4">'):table.index('<rule id="kompetenceplan_regel_5">')]
    rule_5 = table[table.index('<rule id="kompetenceplan_regel_5">'):table.index('<rule id="kompetenceplan_regel_6">')]
    swapped = table.replace(rule_4 + rule_5, rule_5 + rule_4).encode()
    assert swapped != KOMPETENCEPLAN
    deployed = _post(api, "/api/process-versions", swapped, "kompetenceplan.dmn").get_json()
    assert {v["ny_version"] for v in deployed["versioner"]} == {True}


def test_the_table_check_gives_validers_verdict_cell_by_cell(api):
    path = "/api/process-versions/validering/tabel"
    fine = _post(api, path, KOMPETENCEPLAN, "kompetenceplan.dmn")
    assert fine.status_code == 200 and fine.get_json() == {"gyldig": True, "beslutninger": ["kompetenceplan"]}
    broken = KOMPETENCEPLAN.replace(b"<text>1</text>", b"<text>1 +</text>", 1)
    assert broken != KOMPETENCEPLAN
    response = _post(api, path, broken, "kompetenceplan.dmn")
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    [error] = response.get_json()["errors"]
    assert error["element"] == "kompetenceplan_regel_1_out_1"  # the cell, so the editor can mark it
    assert error["message"].startswith("Regel 1, kolonnen «Regel»: Ikke gyldig FEEL")
    validated = _post(api, "/api/process-versions/validering", broken, "kompetenceplan.dmn").get_json()
    assert validated["errors"] == response.get_json()["errors"]  # the same words as Validér
    assert _post(api, path, b"<ikke xml", "kompetenceplan.dmn").status_code == 422
    wrong_type = _post(api, path, KOMPETENCEPLAN, "kompetenceplan.xml")
    assert wrong_type.status_code == 422 and wrong_type.get_json()["errors"][0]["field"] == "file"
    assert _post(api, path, KOMPETENCEPLAN, "kompetenceplan.dmn", user="raadgiver1").status_code == 403
