"""Event subprocesses inside an embedded subprocess: every message starts one, while the subprocess runs."""

from __future__ import annotations

import pytest

from service.engine import spiff
from tests.support import EngineVersion as Version

# A measure (embedded subprocess) with its work, and a message-started event subprocess inside it.
MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_test" targetNamespace="https://sagsflow.dk/test">
  <bpmn:process id="indsats_test" name="Indsats" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:subProcess id="indsats" name="Indsats">
      <bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:startEvent id="indsats_start"><bpmn:outgoing>i1</bpmn:outgoing></bpmn:startEvent>
      <bpmn:userTask id="arbejde" name="Arbejde" camunda:formKey="arbejde">
        <bpmn:incoming>i1</bpmn:incoming><bpmn:outgoing>i2</bpmn:outgoing>
      </bpmn:userTask>
      <bpmn:endEvent id="indsats_end"><bpmn:incoming>i2</bpmn:incoming></bpmn:endEvent>
      <bpmn:subProcess id="haendelse" name="Hændelse" triggeredByEvent="true">
        <bpmn:startEvent id="haendelse_start" isInterrupting="false">
          <bpmn:outgoing>h1</bpmn:outgoing>
          <bpmn:messageEventDefinition id="haendelse_def" messageRef="Message_haendelse" />
        </bpmn:startEvent>
        <bpmn:userTask id="behandl" name="Behandl" camunda:formKey="behandl">
          <bpmn:incoming>h1</bpmn:incoming><bpmn:outgoing>h2</bpmn:outgoing>
        </bpmn:userTask>
        <bpmn:endEvent id="haendelse_end"><bpmn:incoming>h2</bpmn:incoming></bpmn:endEvent>
        <bpmn:sequenceFlow id="h1" sourceRef="haendelse_start" targetRef="behandl" />
        <bpmn:sequenceFlow id="h2" sourceRef="behandl" targetRef="haendelse_end" />
      </bpmn:subProcess>
      <bpmn:sequenceFlow id="i1" sourceRef="indsats_start" targetRef="arbejde" />
      <bpmn:sequenceFlow id="i2" sourceRef="arbejde" targetRef="indsats_end" />
    </bpmn:subProcess>
    <bpmn:userTask id="afslut" name="Afslut" camunda:formKey="afslut">
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="indsats" />
    <bpmn:sequenceFlow id="f2" sourceRef="indsats" targetRef="afslut" />
    <bpmn:sequenceFlow id="f3" sourceRef="afslut" targetRef="end" />
  </bpmn:process>
  <bpmn:message id="Message_haendelse" name="haendelse" />
</bpmn:definitions>
""".encode()


@pytest.fixture
def version(request: pytest.FixtureRequest) -> Version:
    return Version(1, request.node.name, spiff.parse_model(MODEL, "indsats_test.bpmn").spec_json)


class Instance:
    """One process instance driven through the engine module, its state kept between steps as the service does."""

    def __init__(self, version: Version) -> None:
        self.version = version
        self.result = spiff.start(version, {})

    def open(self, bpmn_id: str | None = None) -> list[spiff.UserTaskInfo]:
        return [t for t in self.result.ready_tasks if bpmn_id in (None, t.bpmn_id)]

    def send(self, payload: dict) -> None:
        self.result = spiff.send_message(self.version, self.result.state, self.result.serializer_version,
                                         "haendelse", payload)

    def complete(self, bpmn_id: str) -> None:
        task = self.open(bpmn_id)[0]
        self.result = spiff.complete_task(self.version, self.result.state, self.result.serializer_version,
                                          task.id, {"ok": True})


def test_every_message_starts_its_own_event_subprocess_while_the_subprocess_runs(version):
    instance = Instance(version)
    assert [t.bpmn_id for t in instance.open()] == ["arbejde"]
    instance.send({"nr": 1})
    instance.send({"nr": 2})
    assert len(instance.open("behandl")) == 2
    instance.complete("behandl")
    instance.complete("behandl")
    assert [t.bpmn_id for t in instance.open()] == ["arbejde"]  # the subprocess goes on
    instance.send({"nr": 3})
    assert len(instance.open("behandl")) == 1


def test_the_subprocess_ends_only_when_its_event_subprocesses_have_ended(version):
    instance = Instance(version)
    instance.send({"nr": 1})
    instance.complete("arbejde")
    assert [t.bpmn_id for t in instance.open()] == ["behandl"]  # still inside: messages are still caught
    instance.send({"nr": 2})
    instance.complete("behandl")
    instance.complete("behandl")
    assert [t.bpmn_id for t in instance.open()] == ["afslut"]
    with pytest.raises(spiff.NotWaiting):  # the subprocess has ended: nothing catches the message now
        instance.send({"nr": 3})
    instance.complete("afslut")
    assert instance.result.completed


def test_starting_an_event_subprocess_leaves_the_shared_spec_alone(version):
    first = Instance(version)
    first.send({"nr": 1})
    second = Instance(version)  # same cached spec objects
    assert [t.bpmn_id for t in second.open()] == ["arbejde"]
    second.complete("arbejde")
    second.complete("afslut")
    assert second.result.completed


def test_waiting_reads_from_a_stored_state_what_the_step_that_stored_it_reported(version):
    instance = Instance(version)
    instance.send({"nr": 1})
    for step in ("behandl", "arbejde", "afslut"):
        waited = spiff.waiting(version, instance.result.state, instance.result.serializer_version)
        assert waited.ready == {t.id for t in instance.result.ready_tasks}  # inside the subprocess too
        assert set(waited.messages) == set(instance.result.waiting_messages)
        assert {t.task_id for t in waited.timers} == {t.task_id for t in instance.result.waiting_timers}
        instance.complete(step)
    assert spiff.waiting(version, instance.result.state, instance.result.serializer_version) == spiff.Waited()
