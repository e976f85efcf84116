"""Deploy-time checks of every expression in BPMN and DMN files; nothing is ever run (lxml + sandbox only)."""

from __future__ import annotations

from typing import Any

from service.engine import decision_checks, dialects, sandbox
from service.engine.bundle import BPMN_NS, root_element

# Elements whose text the engine evaluates as Python.
_EXPRESSION_TAGS = ("conditionExpression", "loopCondition", "completionCondition", "loopCardinality",
                    "timeDate", "timeDuration", "timeCycle")
_TIMER_TAGS = ("timeDate", "timeDuration", "timeCycle")


def bpmn_problems(xml: bytes) -> list[str]:
    """Statically check every expression and script in a model; never runs them."""
    root = root_element(xml)
    problems = []
    for tag in _EXPRESSION_TAGS:
        for node in root.iter(f"{{{BPMN_NS}}}{tag}"):
            if tag in _TIMER_TAGS and dialects.is_iso_timer(node.text or ""):
                continue  # Camunda Modeler's unquoted PT5M: the engine reads it as the text it is
            problems += _check(node, node.text or "", sandbox.check_expression, node.get("language"))
    for node in root.iter(f"{{{BPMN_NS}}}script"):
        task = node.getparent()
        problems += _check(node, node.text or "", sandbox.check_script,
                           task.get("scriptFormat") if task is not None else None)
    return problems + _unsupported(root)


def _unsupported(root: Any) -> list[str]:
    """Constructs SpiffWorkflow 3.2 would silently run as something else, refused rather than misrun."""
    return [f"sluthændelsen '{end.get('id')}' sender et signal; SpiffWorkflow ignorerer signaler på "
            "sluthændelser – brug en mellemliggende signalhændelse før sluthændelsen"
            for end in root.iter(f"{{{BPMN_NS}}}endEvent")
            if end.find(f"{{{BPMN_NS}}}signalEventDefinition") is not None]


def _check(node: Any, source: str, checker: Any, language: str | None = None) -> list[str]:
    if not source.strip():
        return []
    owner = node.getparent()
    while owner is not None and owner.get("id") is None:
        owner = owner.getparent()
    where = owner.get("id") if owner is not None else "?"
    foreign = dialects.foreign_expression(source, language)
    if foreign:
        return [f"Udtryk i '{where}' afvist: {foreign}"]
    try:
        checker(source)  # the checker normalises indentation itself
    except sandbox.ExpressionRejected as rejected:
        return [f"Udtryk i '{where}' afvist: {rejected.reason} ({source.strip()!r})"]
    except SyntaxError as err:
        return [f"Udtryk i '{where}' kan ikke læses: {err.msg} ({source.strip()!r})"]
    return []


def dmn_problems(xml: bytes) -> list[decision_checks.Problem]:
    """Every DMN cell parsed as FEEL (the tables run as FEEL, never as Python); each problem names its place."""
    return decision_checks.problems(root_element(xml))

