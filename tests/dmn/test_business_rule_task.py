"""Business rule tasks run FEEL tables in the engine: every hit policy's result lands in the task data as the
model says (camunda:resultVariable / mapDecisionResult), survives the stored spec, and bad mappings are refused."""

from __future__ import annotations

import pytest

from service.engine import spiff
from tests.support import EngineVersion as Version


def bpmn(rule_attributes: str = "") -> bytes:
    """Start → a user task → the business rule task → a user task → end (the rule runs on a restored spec)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="https://sagsflow.dk/test">
  <bpmn:process id="regel_test" name="Regeltest" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="foer" name="Før" camunda:formKey="foer"><bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:businessRuleTask id="regel" name="Beslut" camunda:decisionRef="tabel" {rule_attributes}>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing></bpmn:businessRuleTask>
    <bpmn:userTask id="efter" name="Efter" camunda:formKey="efter"><bpmn:incoming>f3</bpmn:incoming>
      <bpmn:outgoing>f4</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="slut"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="foer"/>
    <bpmn:sequenceFlow id="f2" sourceRef="foer" targetRef="regel"/>
    <bpmn:sequenceFlow id="f3" sourceRef="regel" targetRef="efter"/>
    <bpmn:sequenceFlow id="f4" sourceRef="efter" targetRef="slut"/>
  </bpmn:process>
</bpmn:definitions>""".encode()


def dmn(policy: str, outputs: list[str], rules: list[tuple[str, ...]], namespace: str) -> bytes:
    """One input (``beloeb``), the given outputs and rules (input cell first)."""
    outs = "".join(f'<output id="o{i}" name="{name}"/>' for i, name in enumerate(outputs))
    rows = "".join(
        f'<rule id="r{n}"><inputEntry id="r{n}i"><text>{cells[0]}</text></inputEntry>'
        + "".join(f'<outputEntry id="r{n}o{i}"><text>{c}</text></outputEntry>' for i, c in enumerate(cells[1:]))
        + "</rule>" for n, cells in enumerate(rules, 1))
    hit, _, aggregation = policy.partition("+")
    agg = f' aggregation="{aggregation}"' if aggregation else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="{namespace}" id="defs" name="Test" namespace="https://sagsflow.dk/test">
  <decision id="tabel" name="Tabel"><decisionTable id="dt" hitPolicy="{hit}"{agg}>
    <input id="i0" label="Beløb"><inputExpression typeRef="number"><text>sag.beloeb</text></inputExpression></input>
    {outs}{rows}
  </decisionTable></decision>
</definitions>""".encode()


DMN13 = "https://www.omg.org/spec/DMN/20191111/MODEL/"
DMN14 = "https://www.omg.org/spec/DMN/20211108/MODEL/"
DMN15 = "https://www.omg.org/spec/DMN/20230324/MODEL/"
RULES = [("&lt; 100", '"lav"', "1"), ("[100..1000)", '"middel"', "2"), ("&gt;= 50", '"over 50"', "sag.beloeb * 2")]


def decide(model: bytes, table: bytes, data: dict, name: str) -> dict:
    """Run the model to the rule; the spec is restored from its JSON first, as a running case's is."""
    parsed = spiff.parse_model(model, "regel_test.bpmn", {"tabel.dmn": table})
    version = Version(1, name, parsed.spec_json)
    started = spiff.start(version, {"sag": data})
    [task] = started.ready_tasks
    restored = Version(1, name + "-restored", parsed.spec_json)
    step = spiff.complete_task(restored, started.state, started.serializer_version, task.id, {})
    [event] = [e for e in step.events if e.kind == "beslutning"]
    return event.data


@pytest.mark.parametrize(("policy", "beloeb", "expected"), [
    ("FIRST", 70, {"niveau": "lav", "regel": 1}),
    ("UNIQUE", 5000, {"niveau": "over 50", "regel": 10000}),
    ("UNIQUE", None, {"niveau": None, "regel": None}),  # no rule: the outputs are set to null
    ("RULE ORDER", 70, {"niveau": ["lav", "over 50"], "regel": [1, 140]}),
    ("COLLECT", 500, {"niveau": ["middel", "over 50"], "regel": [2, 1000]}),
], ids=["first", "unique", "unique-no-match", "rule-order", "collect"])
def test_outputs_land_under_their_names(policy, beloeb, expected, request):
    table = dmn(policy, ["niveau", "regel"], RULES, DMN13)
    assert decide(bpmn(), table, {"beloeb": beloeb}, request.node.name) == expected


@pytest.mark.parametrize(("aggregation", "beloeb", "expected"), [
    # -5 hits two rules with the same value: both count (DMN 1.2 on; 1.1 counted distinct values)
    ("SUM", 70, 141), ("MIN", 70, 1), ("MAX", 500, 1000), ("COUNT", 70, 2), ("COUNT", -5, 2),
    ("SUM", 5000, 10000), ("COUNT", None, 0), ("SUM", None, None),
])
def test_collect_aggregations(aggregation, beloeb, expected, request):
    table = dmn(f"COLLECT+{aggregation}", ["regel"], [(r[0], r[2]) for r in RULES] + [("&lt; 0", "1")], DMN14)
    assert decide(bpmn(), table, {"beloeb": beloeb}, request.node.name) == {"regel": expected}


@pytest.mark.parametrize(("mapping", "policy", "outputs", "expected"), [
    (None, "RULE ORDER", ["niveau", "regel"], [{"niveau": "lav", "regel": 1}, {"niveau": "over 50", "regel": 140}]),
    ("resultList", "FIRST", ["niveau", "regel"], [{"niveau": "lav", "regel": 1}]),
    ("singleResult", "FIRST", ["niveau", "regel"], {"niveau": "lav", "regel": 1}),
    ("singleEntry", "FIRST", ["niveau"], "lav"),
    ("collectEntries", "RULE ORDER", ["niveau"], ["lav", "over 50"]),
])
def test_result_variable_and_map_decision_result(mapping, policy, outputs, expected, request):
    attributes = 'camunda:resultVariable="udfald"' + (f' camunda:mapDecisionResult="{mapping}"' if mapping else "")
    rules = [cells[:1 + len(outputs)] for cells in RULES]
    table = dmn(policy, outputs, rules, DMN15)
    assert decide(bpmn(attributes), table, {"beloeb": 70}, request.node.name) == {"udfald": expected}


@pytest.mark.parametrize(("attributes", "policy", "outputs", "message"), [
    ('camunda:resultVariable="x" camunda:mapDecisionResult="singleEntry"', "FIRST", ["a", "b"],
     "«singleEntry» kræver præcis én outputkolonne"),
    ('camunda:resultVariable="x" camunda:mapDecisionResult="singleResult"', "COLLECT", ["a"],
     "Hit policy COLLECT kan give flere resultater"),
    ('camunda:resultVariable="x" camunda:mapDecisionResult="allEntries"', "FIRST", ["a"],
     "«allEntries» findes ikke"),
    ('camunda:mapDecisionResult="resultList"', "FIRST", ["a"], "virker kun sammen med camunda:resultVariable"),
])
def test_a_mapping_that_cannot_hold_the_result_is_refused_at_the_task(attributes, policy, outputs, message):
    table = dmn(policy, outputs, [cells[:1 + len(outputs)] for cells in RULES], DMN13)
    with pytest.raises(spiff.ModelInvalid) as refused:
        spiff.parse_model(bpmn(attributes), "regel_test.bpmn", {"tabel.dmn": table})
    assert message in refused.value.problems[0]
    assert refused.value.fields == ["regel_test.bpmn#regel"]  # the task, so «Vis element» finds it


def test_unique_with_two_matching_rules_stops_the_case_with_the_rules_named(request):
    table = dmn("UNIQUE", ["niveau", "regel"], RULES, DMN13)
    with pytest.raises(spiff.EngineError, match="regel 1 og 3 passer"):
        decide(bpmn(), table, {"beloeb": 70}, request.node.name)


def test_any_with_different_results_stops_the_case_and_with_equal_results_runs(request):
    table = dmn("ANY", ["niveau"], [("&lt; 100", '"lav"'), ("&gt;= 50", '"lav"'), ("&gt;= 80", '"høj"')], DMN13)
    assert decide(bpmn(), table, {"beloeb": 60}, request.node.name + "1") == {"niveau": "lav"}
    with pytest.raises(spiff.EngineError, match="giver forskellige resultater"):
        decide(bpmn(), table, {"beloeb": 90}, request.node.name + "2")


def test_a_business_rule_task_without_a_table_is_refused_at_the_task():
    model = bpmn().replace(b'camunda:decisionRef="tabel" ', b"")
    with pytest.raises(spiff.ModelInvalid) as refused:
        spiff.parse_model(model, "regel_test.bpmn", {})
    assert "mangler en beslutningstabel" in refused.value.problems[0]
    assert refused.value.fields == ["regel_test.bpmn#regel"]
