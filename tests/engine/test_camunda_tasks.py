"""Constructs Camunda Modeler draws that Sagsflow runs as BPMN says: a receive task waits for its message,
multi-instance runs its instances (loopCardinality or camunda:collection, also on script tasks), a transaction
runs as a subprocess. Before, deploying the first two failed with a 500."""

from __future__ import annotations

import pytest

from service.engine import spiff
from tests.process_versions.model_catalogue import MESSAGE, model, script
from tests.support import EngineVersion as Version


def version(xml: bytes, name: str) -> Version:
    return Version(1, name, spiff.parse_model(xml, "konstruktion.bpmn").spec_json)


def test_a_receive_task_waits_for_its_message_and_then_goes_on(request):
    deployed = version(model('<bpmn:receiveTask id="x" name="Vent på svar" messageRef="besked">{flows}'
                             "</bpmn:receiveTask>", MESSAGE), request.node.name)
    started = spiff.start(deployed, {})
    assert started.ready_tasks == ()
    assert started.waiting_messages == ("svar_modtaget",)
    answered = spiff.send_message(deployed, started.state, started.serializer_version, "svar_modtaget", {"ok": True})
    assert [t.bpmn_id for t in answered.ready_tasks] == ["opgave"]
    with pytest.raises(spiff.NotWaiting):
        spiff.send_message(deployed, answered.state, answered.serializer_version, "svar_modtaget", {})


def test_a_multi_instance_user_task_with_a_loop_cardinality_gives_that_many_tasks(request):
    deployed = version(model('<bpmn:userTask id="x" name="Udtal dig" camunda:formKey="afslutning">{flows}'
                             "<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>antal"
                             "</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>"),
                       request.node.name)
    step = spiff.start(deployed, {"antal": 2})
    assert [t.bpmn_id for t in step.ready_tasks] == ["x", "x"]
    for task in step.ready_tasks:
        step = spiff.complete_task(deployed, step.state, step.serializer_version, task.id, {})
    assert [t.bpmn_id for t in step.ready_tasks] == ["opgave"]


@pytest.mark.parametrize("loop", [
    "<bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>3</bpmn:loopCardinality>"
    "</bpmn:multiInstanceLoopCharacteristics>",
    '<bpmn:multiInstanceLoopCharacteristics isSequential="true" camunda:collection="liste" '
    'camunda:elementVariable="element"/>',
])
def test_a_multi_instance_script_task_runs_and_the_case_goes_on(loop, request):
    deployed = version(model(script(loop, text="element = 2")), request.node.name)
    assert [t.bpmn_id for t in spiff.start(deployed, {"liste": [1, 2, 3]}).ready_tasks] == ["opgave"]


def test_a_transaction_runs_as_a_subprocess(request):
    deployed = version(model(
        '<bpmn:transaction id="x" name="Bevilling">{flows}<bpmn:startEvent id="t_start"><bpmn:outgoing>t1'
        '</bpmn:outgoing></bpmn:startEvent><bpmn:userTask id="t_opgave" camunda:formKey="afslutning">'
        "<bpmn:incoming>t1</bpmn:incoming><bpmn:outgoing>t2</bpmn:outgoing></bpmn:userTask>"
        '<bpmn:endEvent id="t_slut"><bpmn:incoming>t2</bpmn:incoming></bpmn:endEvent>'
        '<bpmn:sequenceFlow id="t1" sourceRef="t_start" targetRef="t_opgave"/>'
        '<bpmn:sequenceFlow id="t2" sourceRef="t_opgave" targetRef="t_slut"/></bpmn:transaction>'),
        request.node.name)
    step = spiff.start(deployed, {})
    [inner] = step.ready_tasks
    assert inner.bpmn_id == "t_opgave"
    step = spiff.complete_task(deployed, step.state, step.serializer_version, inner.id, {})
    assert [t.bpmn_id for t in step.ready_tasks] == ["opgave"]
