"""The model files open in Camunda Modeler / bpmn.io: every element has its diagram shape or edge."""

from __future__ import annotations

import pytest
from lxml import etree

from service.config import ROOT

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
DI = "http://www.omg.org/spec/BPMN/20100524/DI"
DMN_DI = "https://www.omg.org/spec/DMN/20191111/DMNDI/"
MODELS = sorted((ROOT / "workflows").glob("*.bpmn"))
NOT_DRAWN = {"laneSet", "documentation", "extensionElements", "incoming", "outgoing", "script",
             "conditionExpression", "standardLoopCharacteristics", "loopCondition", "timerEventDefinition",
             "messageEventDefinition", "timeDate", "flowNodeRef", "lane"}


@pytest.mark.parametrize("path", MODELS, ids=[p.name for p in MODELS])
def test_every_bpmn_element_is_in_the_diagram(path):
    root = etree.parse(str(path)).getroot()  # noqa: S320 - our own files
    drawn = {el.get("bpmnElement"): el for el in root.iter(f"{{{DI}}}BPMNShape", f"{{{DI}}}BPMNEdge")}
    process = root.find(f"{{{BPMN}}}process")
    elements = [el for el in process.iter() if isinstance(el.tag, str) and el.get("id")
                and etree.QName(el).localname not in NOT_DRAWN and el is not process
                and not etree.QName(el).localname.endswith("EventDefinition")]
    missing = [el.get("id") for el in elements if el.get("id") not in drawn]
    assert missing == []
    for edge in root.iter(f"{{{DI}}}BPMNEdge"):
        assert len(edge.findall("{http://www.omg.org/spec/DD/20100524/DI}waypoint")) >= 2, edge.get("id")
    lanes = {ref.text for ref in root.iter(f"{{{BPMN}}}flowNodeRef")}
    top_level = {el.get("id") for el in process if etree.QName(el).localname not in
                 ("sequenceFlow", "laneSet", "documentation")}
    assert top_level <= lanes  # a lane per top-level node decides who does its tasks


@pytest.mark.parametrize("path", sorted((ROOT / "workflows").glob("*.dmn")), ids=lambda p: p.name)
def test_every_decision_table_has_a_diagram_and_first_hit_policy(path):
    root = etree.parse(str(path)).getroot()  # noqa: S320 - our own files
    assert list(root.iter(f"{{{DMN_DI}}}DMNShape"))
    tables = list(root.iter("{https://www.omg.org/spec/DMN/20191111/MODEL/}decisionTable"))
    assert [t.get("hitPolicy") for t in tables] == ["FIRST"]
