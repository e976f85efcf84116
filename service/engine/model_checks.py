"""Every check a model file gets before SpiffWorkflow's parser sees it, each finding at its element: UTF-8,
XML, the BPMN 2.0 schema, one executable process, expressions and scripts, and constructs Sagsflow refuses.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from service.engine import model_errors, phase_checks, static_checks
from service.engine.bundle import root_element
from service.engine.decision_checks import Problem


def read(name: str, content: bytes, validator: Any, *, main: bool) -> tuple[Any | None, list[Problem]]:
    """The file's XML root (None when it is not XML) and everything wrong with it.

    ``validator`` is SpiffWorkflow's BPMN validator (its schema, and the fix-up it makes before validating);
    ``main`` is the file being deployed, which must hold exactly one executable process.
    """
    refused = model_errors.encoding_problem(content)
    if refused:
        return None, [Problem("", refused)]
    try:
        root = root_element(content)
    except etree.XMLSyntaxError as err:
        return None, [Problem("", model_errors.xml_syntax_message(err))]
    if name.endswith(".dmn"):
        return root, static_checks.dmn_problems(content)
    if not model_errors.is_bpmn(root):
        return root, [model_errors.not_bpmn_problem(root)]
    checked = root_element(content)  # the validator rewrites a tag bpmn.io writes wrongly; not in ``root``
    validator.preprocess(checked)
    found = model_errors.schema_problems(checked, validator.validator)
    found += static_checks.bpmn_problems(content)
    found += phase_checks.problems(root)
    if main and (process := model_errors.process_problem(root)):
        found.append(process)
    return root, found


def file_of(roots: dict[str, Any], element_id: str, default: str) -> str:
    """The file (of a model and the files it calls) that holds an element."""
    for name, root in roots.items():
        if root is not None and root.xpath("//*[@id=$id]", id=element_id):
            return name
    return default


def missing_form(roots: dict[str, Any], element_id: str) -> str:
    """A task the engine hands to a person but that has no form, said for the kind of task it is."""
    node = next((found[0] for root in roots.values() if root is not None
                 and (found := root.xpath("//*[@id=$id]", id=element_id))), None)
    kind = etree.QName(node).localname if node is not None else "userTask"
    name = (node.get("name") or "")[:80] if node is not None else ""
    label = f"«{name}» ({element_id[:80]})" if name else f"'{element_id[:80]}'"
    if kind == "userTask":
        return (f"Brugeropgaven {label} mangler en formular: angiv formularens navn under «Forms → Form key» "
                "(camunda:formKey), fx afslutning for forms/afslutning.json.")
    what = {"task": "en opgave uden type", "manualTask": "en manuel opgave"}.get(kind, f"bpmn:{kind}")
    return (f"Opgaven {label} er {what}; i Sagsflow venter den på en person og skal derfor have en formular. Gør den "
            "til en brugeropgave med «Form key» (camunda:formKey), eller til en scriptopgave, hvis intet skal "
            "gøres af en person.")

