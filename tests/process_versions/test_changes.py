"""What changed between versions, as the process owner reads it: the engine's meaning, not the drawing."""

from __future__ import annotations

import re

from service.config import ROOT
from service.process_models import changes

CASE = (ROOT / "workflows" / "sagsbehandling.bpmn").read_text()
TABLE = (ROOT / "workflows" / "kompetenceplan.dmn").read_text()


def _moved(xml: str) -> str:
    return re.sub(r'(<dc:Bounds x=")(\d+)', lambda m: m.group(1) + str(int(m.group(2)) + 40), xml)


def test_moving_shapes_is_no_change_and_a_renamed_task_and_changed_timer_are():
    assert _moved(CASE) != CASE and changes.process_changes(CASE, _moved(CASE)) == []
    new = _moved(CASE).replace('name="Afslutning af sagen"', 'name="Afslut sagen"').replace(
        'frist("vurdering_24t", underretning', 'frist("vurdering_48t", underretning')
    found = [str(c) for c in changes.process_changes(CASE, new)]
    assert found == [
        "Brugeropgave «Afslut sagen» (afslutning) ændret: navn «Afslutning af sagen» → «Afslut sagen»",
        "Grænsebegivenhed «Frist overskredet: 24-timers vurdering af underretning» (frist_vurdering_24t) ændret: "
        'tidsudtryk «frist("vurdering_24t", underretning["modtaget"])» → '
        '«frist("vurdering_48t", underretning["modtaget"])»']  # the sub-process holding a timer is not "changed"


def test_added_and_removed_elements_and_a_changed_condition_and_form():
    new = CASE.replace('camunda:formKey="afslutning"', 'camunda:formKey="afslutning_ny"')
    new = new.replace('<bpmn:endEvent id="end_sag"', '<bpmn:task id="ny_opgave" name="Ny opgave" />'
                      '<bpmn:endEvent id="end_sag"', 1)
    found = [str(c) for c in changes.process_changes(CASE, new)]
    assert "Opgave «Ny opgave» (ny_opgave) tilføjet" in found
    assert any(c.startswith("Brugeropgave «Afslutning af sagen» (afslutning) ændret: formular «afslutning» → "
                            "«afslutning_ny»") for c in found)
    assert len(found) == 2
    flow = re.search(r'<bpmn:sequenceFlow id="([^"]+)"[^>]*>\s*<bpmn:conditionExpression[^>]*>([^<]+)<', CASE)
    changed_condition = CASE.replace(flow.group(2), flow.group(2) + " and True", 1)
    found = [str(c) for c in changes.process_changes(CASE, changed_condition)]
    assert len(found) == 1 and f"({flow.group(1)}) ændret: betingelse" in found[0] and "and True»" in found[0]
    without = CASE.replace(f'id="{flow.group(1)}"', 'id="Flow_omdoebt"', 1)
    kinds = sorted(c.kind for c in changes.process_changes(CASE, without))
    assert kinds == ["fjernet", "tilføjet"]


def test_table_rules_are_named_by_number_and_description_and_columns_count():
    assert changes.table_changes("kompetenceplan.dmn", TABLE, TABLE) == []
    found = [str(c) for c in changes.table_changes(
        "kompetenceplan.dmn", TABLE, TABLE.replace("<text>1</text>", "<text>101</text>", 1))]
    assert found == ["kompetenceplan.dmn: regel 1 «Ethvert afslag: teamleder» ændret"]
    found = [str(c) for c in changes.table_changes(
        "kompetenceplan.dmn", TABLE, TABLE.replace('hitPolicy="FIRST"', 'hitPolicy="UNIQUE"'))]
    assert found == ["kompetenceplan.dmn: kolonner eller hitpolitik ændret"]


def test_a_version_lists_its_called_files_and_forms_changes():
    found = [str(c) for c in changes.version_changes(
        CASE, {"kompetenceplan.dmn": TABLE, "gammel.bpmn": CASE}, CASE,
        {"kompetenceplan.dmn": TABLE.replace("<text>1</text>", "<text>2</text>", 1)})]
    assert found == ["Fil gammel.bpmn fjernet", "kompetenceplan.dmn: regel 1 «Ethvert afslag: teamleder» ændret"]
    assert [str(c) for c in changes.form_changes({"a": {"x": 1}, "b": {}}, {"a": {"x": 2}, "c": {}})] == [
        "Formularen «a» ændret", "Formularen «b» fjernet", "Formularen «c» tilføjet"]
