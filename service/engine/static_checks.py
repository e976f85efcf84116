"""Deploy-time checks of every expression in BPMN and DMN files; nothing is ever run (lxml + sandbox only)."""

from __future__ import annotations

from typing import Any

from service.engine import decision_checks, dialects, model_errors, sandbox, unsupported
from service.engine.bundle import BPMN_NS, root_element

# Elements whose text the engine evaluates as Python.
_EXPRESSION_TAGS = ("conditionExpression", "loopCondition", "completionCondition", "loopCardinality",
                    "timeDate", "timeDuration", "timeCycle")
_TIMER_TAGS = ("timeDate", "timeDuration", "timeCycle")


def bpmn_problems(xml: bytes) -> list[decision_checks.Problem]:
    """Statically check every expression and script in a model (never run), and refuse what Sagsflow does not
    run; each problem at its element."""
    root = root_element(xml)
    problems: list[decision_checks.Problem] = []
    for tag in _EXPRESSION_TAGS:
        for node in root.iter(f"{{{BPMN_NS}}}{tag}"):
            if tag in _TIMER_TAGS and dialects.is_iso_timer(node.text or ""):
                continue  # Camunda Modeler's unquoted PT5M: the engine reads it as the text it is
            problems += _check(node, node.text or "", sandbox.check_expression, node.get("language"))
    for node in root.iter(f"{{{BPMN_NS}}}script"):
        task = node.getparent()
        problems += _check(node, node.text or "", sandbox.check_script,
                           task.get("scriptFormat") if task is not None else None)
    return problems + _signal_ends(root) + unsupported.problems(root)


def _signal_ends(root: Any) -> list[decision_checks.Problem]:
    """Constructs SpiffWorkflow 3.2 would silently run as something else, refused rather than misrun."""
    return [decision_checks.Problem(end.get("id") or "", f"sluthændelsen '{end.get('id')}' sender et signal; "
                                    "SpiffWorkflow ignorerer signaler på sluthændelser – brug en mellemliggende "
                                    "signalhændelse før sluthændelsen", end.get("id"))
            for end in root.iter(f"{{{BPMN_NS}}}endEvent")
            if end.find(f"{{{BPMN_NS}}}signalEventDefinition") is not None]


def _check(node: Any, source: str, checker: Any, language: str | None = None) -> list[decision_checks.Problem]:
    if not source.strip():
        return []
    owner = model_errors.shown_element(node)
    where = owner.get("id") if owner is not None else "?"
    element = owner.get("id") if owner is not None else None

    def at(message: str) -> list[decision_checks.Problem]:
        return [decision_checks.Problem(element or "", message, element)]

    foreign = dialects.foreign_expression(source, language)
    if foreign:
        return at(f"Udtryk i '{where}' afvist: {foreign}")
    if node.tag.endswith(_TIMER_TAGS) and dialects.looks_like_iso_timer(source):
        return at(f"Udtryk i '{where}' kan ikke læses: «{source.strip()}» ligner en ISO 8601-tid, men er ikke en; "
                  "skriv fx PT5M (5 minutter), P3D (3 dage), R3/PT1H (3 gange, hver time) eller 2026-01-31T09:00:00Z")
    try:
        checker(source)  # the checker normalises indentation itself
    except sandbox.ExpressionRejected as rejected:
        return at(f"Udtryk i '{where}' afvist: {rejected.reason} («{_quoted(source)}»)")
    except SyntaxError as err:
        return at(f"Udtryk i '{where}' kan ikke læses som Python ({err.msg}, linje {err.lineno or 1}): "
                  f"«{_quoted(source)}»")
    return []


def _quoted(source: str) -> str:
    text = " ".join(source.split())
    return text if len(text) <= 120 else text[:120] + "…"


def dmn_problems(xml: bytes) -> list[decision_checks.Problem]:
    """Every DMN cell parsed as FEEL (the tables run as FEEL, never as Python); each problem names its place."""
    root = root_element(xml)
    return decision_checks.problems(root) + unsupported.dmn_problems(root)

