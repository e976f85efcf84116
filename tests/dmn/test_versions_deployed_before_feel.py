"""A version deployed before tables were FEEL keeps its Python cells: a running case never changes its rules."""

from __future__ import annotations

import json

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser

from service.engine import serialisation, spiff
from tests.dmn.test_business_rule_task import DMN13, bpmn, dmn
from tests.support import EngineVersion


def _spec_json_as_deployed_before(model: bytes, table: bytes) -> str:
    """The spec JSON the library's own parser made (what versions deployed before this change hold)."""
    parser = CamundaParser(validator=BpmnValidator())
    parser.add_bpmn_str(model, filename="regel_test.bpmn")
    parser.add_dmn_str(table, filename="tabel.dmn")
    spec = parser.get_spec("regel_test")
    return json.dumps({"spec": serialisation.serializer.to_dict(spec), "subprocess_specs": {}})


def test_python_cells_of_an_old_version_still_decide():
    python_table = dmn("FIRST", ["niveau"], [("&lt; 100", '"lav"'), ("&gt;= 100", '"høj"')], DMN13).replace(
        b"<text>sag.beloeb</text>", b'<text>sag["beloeb"]</text>')
    version = EngineVersion(1, "python-cells", _spec_json_as_deployed_before(bpmn(), python_table))
    assert '"typename": "BusinessRuleTask"' in version.spec_json
    started = spiff.start(version, {"sag": {"beloeb": 150}})
    [task] = started.ready_tasks
    step = spiff.complete_task(version, started.state, started.serializer_version, task.id, {})
    [event] = [e for e in step.events if e.kind == "beslutning"]
    assert event.data == {"niveau": "høj"}
