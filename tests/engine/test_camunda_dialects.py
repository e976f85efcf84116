"""What Camunda Modeler writes: an unquoted ISO-8601 timer runs; JUEL and Groovy are refused, saying Python."""

from __future__ import annotations

import pytest

from service.engine import spiff
from tests.support import EngineVersion as Version


def model(timer: str, gateway_condition: str = "True", condition_language: str = "",
          script_format: str = "python") -> bytes:
    language = f' language="{condition_language}"' if condition_language else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="https://sagsflow.dk/test">
  <bpmn:process id="dialekt" name="Dialekt" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="script" scriptFormat="{script_format}"><bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>
    <bpmn:intermediateCatchEvent id="vent" name="Vent"><bpmn:incoming>f2</bpmn:incoming>
      <bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:timerEventDefinition id="t"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">{timer}</bpmn:timeDuration>
      </bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:exclusiveGateway id="valg"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:userTask id="opgave" name="Opgave" camunda:formKey="opgave"><bpmn:incoming>f4</bpmn:incoming>
      <bpmn:outgoing>f5</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="slut"><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="script"/>
    <bpmn:sequenceFlow id="f2" sourceRef="script" targetRef="vent"/>
    <bpmn:sequenceFlow id="f3" sourceRef="vent" targetRef="valg"/>
    <bpmn:sequenceFlow id="f4" sourceRef="valg" targetRef="opgave">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"{language}>{gateway_condition}
      </bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f5" sourceRef="opgave" targetRef="slut"/>
  </bpmn:process>
</bpmn:definitions>""".encode()


@pytest.mark.parametrize("timer", ["PT5M", " PT5M ", '"PT5M"'])
def test_an_unquoted_iso_duration_waits_and_then_fires(timer, frozen_clock, request):
    version = Version(1, request.node.name, spiff.parse_model(model(timer), "dialekt.bpmn").spec_json)
    started = spiff.start(version, {})
    [waiting] = started.waiting_timers
    assert waiting.due_at == frozen_clock.now().replace(minute=5)
    frozen_clock.advance(minutes=4)
    assert spiff.fire_due_timers(version, started.state, started.serializer_version).ready_tasks == ()
    frozen_clock.advance(minutes=1, seconds=1)  # the library fires a timer once it is past due
    fired = spiff.fire_due_timers(version, started.state, started.serializer_version)
    assert [t.bpmn_id for t in fired.ready_tasks] == ["opgave"]


@pytest.mark.parametrize(("xml", "says"), [
    (model("PT5M", "${approved}"), "udtryk skal være Python, ikke JUEL (${...}); skriv fx «approved»"),
    (model("PT5M", "${amount &gt; 100 &amp;&amp; !approved}"),
     "skriv fx «amount > 100 and not approved» i stedet for «${amount > 100 && !approved}»"),
    (model("${frist}"), "ikke JUEL"),
    (model("PT5M", "approved == true", "groovy"), "udtryk skal være Python, ikke groovy"),
    (model("PT5M", script_format="groovy"), "udtryk skal være Python, ikke groovy"),
    (model("PT5M", script_format="javascript"), "udtryk skal være Python, ikke javascript"),
])
def test_juel_and_groovy_are_refused_saying_python_is_expected(xml, says):
    with pytest.raises(spiff.ModelInvalid) as refused:
        spiff.parse_model(xml, "dialekt.bpmn")
    [problem] = refused.value.problems
    assert problem.startswith("dialekt.bpmn: Udtryk i '")
    assert says in problem


def test_a_timer_that_is_neither_iso_nor_python_is_still_refused():
    with pytest.raises(spiff.ModelInvalid, match="kan ikke læses"):
        spiff.parse_model(model("om fem minutter"), "dialekt.bpmn")


@pytest.mark.parametrize(("timer", "due"), [
    ("P3D", {"days": 3}), ("PT1H30M", {"hours": 1, "minutes": 30}), ("P1W", {"days": 7}),
])
def test_other_unquoted_durations_wait_as_long_as_they_say(timer, due, frozen_clock, request):
    from datetime import timedelta
    version = Version(1, request.node.name, spiff.parse_model(model(timer), "dialekt.bpmn").spec_json)
    started = spiff.start(version, {})
    [waiting] = started.waiting_timers
    assert waiting.due_at == frozen_clock.now() + timedelta(**due)


def test_an_unquoted_date_waits_until_that_moment(frozen_clock, request):
    xml = model("PT5M").replace(b"timeDuration", b"timeDate").replace(b">PT5M<", b">2031-05-01T09:00:00Z<")
    started = spiff.start(Version(1, request.node.name, spiff.parse_model(xml, "dialekt.bpmn").spec_json), {})
    [waiting] = started.waiting_timers
    assert waiting.due_at.isoformat() == "2031-05-01T09:00:00+00:00"


@pytest.mark.parametrize(("timer", "says"), [
    ("PT5Q", "«PT5Q» ligner en ISO 8601-tid, men er ikke en; skriv fx PT5M"),
    ("pt5m", "ligner en ISO 8601-tid"),
])
def test_a_timer_that_almost_is_iso_is_refused_with_examples(timer, says):
    with pytest.raises(spiff.ModelInvalid) as refused:
        spiff.parse_model(model(timer), "dialekt.bpmn")
    assert refused.value.fields == ["dialekt.bpmn#vent"]
    assert says in refused.value.problems[0]


def test_a_repeating_timer_is_refused_since_it_would_never_fire():
    xml = model("R3/PT1H").replace(b"timeDuration", b"timeCycle")
    with pytest.raises(spiff.ModelInvalid) as refused:
        spiff.parse_model(xml, "dialekt.bpmn")
    assert refused.value.fields == ["dialekt.bpmn#vent"]
    assert "gentagne timere fyrer ikke i Sagsflow" in refused.value.problems[0]


@pytest.mark.parametrize(("xml", "example"), [
    (model("PT5M", "${approved}"), "skriv fx «approved» i stedet for «${approved}»"),
    (model("PT5M", "approved == true", "groovy"), "skriv fx «godkendt == True» som betingelse"),
    (model("PT5M", script_format="groovy"), "«beloeb = sag[\"beloeb\"] * 2» i et script"),
])
def test_a_refused_dialect_names_its_element_and_shows_the_python_to_write(xml, example):
    with pytest.raises(spiff.ModelInvalid) as refused:
        spiff.parse_model(xml, "dialekt.bpmn")
    assert refused.value.fields[0] in ("dialekt.bpmn#f4", "dialekt.bpmn#script")
    assert "udtryk skal være Python" in refused.value.problems[0] and example in refused.value.problems[0]
