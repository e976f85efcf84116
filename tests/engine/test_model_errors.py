"""SpiffWorkflow's parser errors reach the process owner in Danish, at the element, with no Python repr."""

from __future__ import annotations

import pytest
from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from service.engine import model_errors

ROOT = etree.fromstring(b"""<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">
<bpmn:process id="p">
<bpmn:boundaryEvent id="kant" attachedToRef="t"><bpmn:linkEventDefinition id="kant_def"/></bpmn:boundaryEvent>
<bpmn:complexGateway id="kompleks"/>
</bpmn:process></bpmn:definitions>""")
EVENT, GATEWAY = ROOT[0][0], ROOT[0][1]


@pytest.mark.parametrize(("error", "element", "says"), [
    (NotImplementedError("Unsupported Catch Event: %r", etree.tostring(EVENT)), "kant",
     "bpmn:boundaryEvent 'kant': Hændelsestypen kan ikke bruges her."),
    (ValidationException("There is no support implemented for this task type.", node=GATEWAY), "kompleks",
     "bpmn:complexGateway 'kompleks': Elementtypen kan ikke køres af Sagsflows motor (SpiffWorkflow)."),
    (ValidationException("odd", node=EVENT[0]), "kant", "bpmn:boundaryEvent 'kant': "),  # the definition's event
    (ValidationException("odd", line_number=4), "kompleks", "bpmn:complexGateway 'kompleks'"),
    (KeyError("id"), None, "Sagsflows motor (SpiffWorkflow) kan ikke læse elementet. Kontrollér"),
    (TypeError("NodeParser.raise_validation_exception() got an unexpected keyword argument 'node'"), None,
     "Sagsflows motor (SpiffWorkflow) kan ikke læse elementet. Kontrollér elementets type"),
])
def test_a_parser_error_names_the_element_in_danish(error, element, says):
    problem = model_errors.engine_problem(error, ROOT)
    assert problem.element == element
    assert problem.message.startswith(says)
    assert not any(repr_ in problem.message for repr_ in ("0x", "b'", "Error(", "KeyError", "TypeError", "%r"))


def test_a_truncated_file_says_so_with_its_line():
    with pytest.raises(etree.XMLSyntaxError) as err:
        etree.fromstring(b'<a>\n<b c="1"')  # noqa: S320 - a test string
    assert model_errors.xml_syntax_message(err.value).startswith("Filen kan ikke læses som XML (linje 2")
