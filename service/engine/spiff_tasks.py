"""Task parsers that make SpiffWorkflow 3.2's Camunda parser build what its Camunda serializer can store.

The Camunda parser leaves receive tasks and multi-instance script tasks to the plain BPMN parsers, whose
message definition and multi-instance classes the Camunda serializer does not know, so deploying them
failed while storing the spec. Here a receive task gets Camunda's message definition (the one our inbound
messages use, so it waits like a message catch event) and a script task Camunda's multi-instance.
"""

from __future__ import annotations

from SpiffWorkflow.bpmn.parser.event_parsers import ReceiveTaskParser
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.specs.defaults import ReceiveTask, ScriptTask
from SpiffWorkflow.camunda.parser.event_parsers import CamundaEventDefinitionParser
from SpiffWorkflow.camunda.parser.task_spec import CamundaTaskParser
from SpiffWorkflow.camunda.parser.task_spec import ScriptTaskParser as _ScriptTaskParser


class CamundaReceiveTaskParser(CamundaEventDefinitionParser, ReceiveTaskParser):
    def create_task(self):  # noqa: ANN201 - the library's signature
        return ReceiveTaskParser.create_task(self)


class CamundaScriptTaskParser(CamundaTaskParser, _ScriptTaskParser):
    """Camunda's multi-instance (loopCardinality or camunda:collection) for script tasks too."""


PARSERS = {
    full_tag("receiveTask"): (CamundaReceiveTaskParser, ReceiveTask),
    full_tag("scriptTask"): (CamundaScriptTaskParser, ScriptTask),
}
