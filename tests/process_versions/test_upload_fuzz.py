"""Property: whatever is uploaded — a real model with elements and attributes deleted, duplicated or renamed,
values replaced, bytes garbled or cut off — Validér and deploy answer with a run or a problem, never a crash."""

from __future__ import annotations

import copy
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from service.config import ROOT
from tests.fuzz_budget import examples

MODELS = {name: (ROOT / "workflows" / name).read_bytes() for name in ("klage.bpmn", "triage.bpmn", "triage.dmn")}
UPLOADED_AS = {"klage.bpmn": "fuzz.bpmn", "triage.bpmn": "fuzz.bpmn", "triage.dmn": "triage.dmn"}
PATHS = ("/api/process-versions/validering", "/api/process-versions")
PYTHON_REPR = re.compile(r"at 0x[0-9a-f]+|\b[A-Z][a-zA-Z]*(?:Error|Exception)\(|\bb'<|\bb\"<|Traceback")
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
FLOW_TAGS = [f"{{{BPMN}}}{tag}" for tag in (
    "task", "userTask", "manualTask", "serviceTask", "sendTask", "receiveTask", "scriptTask", "businessRuleTask",
    "callActivity", "subProcess", "transaction", "adHocSubProcess", "exclusiveGateway", "parallelGateway",
    "inclusiveGateway", "complexGateway", "eventBasedGateway", "startEvent", "endEvent", "intermediateCatchEvent",
    "intermediateThrowEvent", "boundaryEvent")]
TAGS = FLOW_TAGS + [f"{{{BPMN}}}{tag}" for tag in (
    "sequenceFlow", "timerEventDefinition", "messageEventDefinition", "conditionExpression", "timeDuration",
    "process", "definitions", "lane", "choreographyTask")] + [
    "{https://www.omg.org/spec/DMN/20191111/MODEL/}decision", "{https://www.omg.org/spec/DMN/20191111/MODEL/}rule",
    "ukendt"]
_NS = f'xmlns:bpmn="{BPMN}" xmlns:camunda="{CAMUNDA}"'
SNIPPETS = [f"<holder {_NS}><bpmn:{snippet}</holder>" for snippet in (
    "multiInstanceLoopCharacteristics><bpmn:loopCardinality>3</bpmn:loopCardinality>"
    "</bpmn:multiInstanceLoopCharacteristics>",
    'multiInstanceLoopCharacteristics camunda:collection="liste"/>',
    "standardLoopCharacteristics><bpmn:loopCondition>${faerdig}</bpmn:loopCondition>"
    "</bpmn:standardLoopCharacteristics>",
    "timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition>",
    "timerEventDefinition><bpmn:timeDuration>PT5M</bpmn:timeDuration></bpmn:timerEventDefinition>",
    'messageEventDefinition messageRef="findes_ikke"/>', "messageEventDefinition/>", "signalEventDefinition/>",
    "conditionalEventDefinition><bpmn:condition>x</bpmn:condition></bpmn:conditionalEventDefinition>",
    "compensateEventDefinition/>", "escalationEventDefinition/>", "errorEventDefinition/>",
    "terminateEventDefinition/>", "linkEventDefinition/>",
    'extensionElements><camunda:executionListener class="a.B" event="start"/></bpmn:extensionElements>',
    "script>x = = 1</bpmn:script>", "script>while True: pass</bpmn:script>",
    "conditionExpression>${ok}</bpmn:conditionExpression>",
)]
ATTRIBUTES = ["id", "name", "sourceRef", "targetRef", "attachedToRef", "calledElement", "isExecutable",
              "messageRef", "signalRef", "hitPolicy", "cancelActivity", "scriptFormat", f"{{{CAMUNDA}}}formKey",
              f"{{{CAMUNDA}}}decisionRef", f"{{{CAMUNDA}}}class", f"{{{CAMUNDA}}}type", "typeRef", "isSequential"]
VALUES = st.one_of(
    st.sampled_from(["", "true", "false", "PT5M", "R3/PT1H", "${x}", "x > 1", "FIRST", "COLLECT", "groovy",
                     "external", "afslutning", "findes_ikke", "triage", "0", "-1", "1e309", "x" * 100_000]),
    st.text(max_size=40))
CUT = st.integers(min_value=0, max_value=1_000_000)
MUTATION = st.one_of(
    st.tuples(st.just("slet"), CUT),
    st.tuples(st.just("dubler"), CUT),
    st.tuples(st.just("omdøb"), CUT, st.sampled_from(TAGS)),
    st.tuples(st.just("slet attribut"), CUT, CUT),
    st.tuples(st.just("sæt attribut"), CUT, st.sampled_from(ATTRIBUTES), VALUES),
    st.tuples(st.just("tekst"), CUT, VALUES),
)
# What a process owner does most in a modeler: change an element's type, add a loop or an event definition.
RETYPE = st.tuples(st.just("ny type"), CUT, st.sampled_from(FLOW_TAGS))
MUTATION = st.one_of(RETYPE, RETYPE, st.tuples(st.just("tilføj"), CUT, st.sampled_from(SNIPPETS)), MUTATION)
_DIAGRAM = re.compile(r"DI/|/DC\}|/DI\}|DMNDI")
# Most uploads are whole files; some are cut off or have bytes put in (a broken transfer, a wrong file).
GARBLE = st.tuples(st.sampled_from(["ingen", "ingen", "ingen", "afkort", "indsæt"]), CUT,
                   st.binary(min_size=1, max_size=20))


def mutated(model: bytes, mutations: list[tuple], garble: tuple) -> bytes:
    root = etree.fromstring(model)  # noqa: S320 - our own files
    for mutation in mutations:
        kind, where, *rest = mutation
        # The model, not its diagram: the engine never reads the shapes, so mutating them tells little.
        elements = [e for e in root.iter() if isinstance(e.tag, str) and not _DIAGRAM.search(e.tag)]
        nodes = [e for e in elements if e.getparent() is not None and etree.QName(e.getparent()).localname in
                 ("process", "subProcess") and etree.QName(e).localname not in ("sequenceFlow", "laneSet")]
        node = (nodes or elements)[where % len(nodes or elements)] if kind in ("ny type", "tilføj") else \
            elements[where % len(elements)]
        parent = node.getparent()
        try:
            if kind == "ny type":
                node.tag = rest[0]
            elif kind == "tilføj":
                node.append(etree.fromstring(rest[0])[0])  # noqa: S320 - our own snippets
            elif kind == "slet" and parent is not None:
                parent.remove(node)
            elif kind == "dubler" and parent is not None:
                node.addnext(copy.deepcopy(node))
            elif kind == "omdøb":
                node.tag = rest[0]
            elif kind == "slet attribut" and node.attrib:
                del node.attrib[list(node.attrib)[rest[0] % len(node.attrib)]]
            elif kind == "sæt attribut":
                node.set(rest[0], rest[1])
            elif kind == "tekst":
                node.text = rest[0]
        except ValueError:
            pass  # a value lxml cannot hold in XML (a control character): that mutation is not made
    content = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    if garble[0] == "afkort":
        content = content[: garble[1] % (len(content) + 1)]
    elif garble[0] == "indsæt":
        at = garble[1] % (len(content) + 1)
        content = content[:at] + garble[2] + content[at:]
    return content


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_upload_crashes_validation_or_deploy(api):
    @settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(model=st.sampled_from(sorted(MODELS)), mutations=st.lists(MUTATION, min_size=1, max_size=2),
           garble=GARBLE, path=st.sampled_from(PATHS))
    def upload(model: str, mutations: list[tuple], garble: tuple, path: str) -> None:
        content = mutated(MODELS[model], mutations, garble)
        response = api.post(path, "procesejer1", data={"file": (io.BytesIO(content), UPLOADED_AS[model])},
                            content_type="multipart/form-data")
        assert response.status_code < 500, response.get_data(as_text=True)[:2000]
        if response.status_code >= 400:
            assert response.mimetype == "application/problem+json"
            for error in response.get_json().get("errors", []):
                assert not PYTHON_REPR.search(error["message"]), error["message"]

    upload()
