"""Deploy-time checks of every expression in BPMN and DMN files; nothing is ever run (lxml + sandbox only)."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from service.engine import sandbox
from service.engine.bundle import BPMN_NS, DMN_NAMESPACES, root_element

# Elements whose text the engine evaluates as Python.
_EXPRESSION_TAGS = ("conditionExpression", "loopCondition", "completionCondition", "loopCardinality",
                    "timeDate", "timeDuration", "timeCycle")


def bpmn_problems(xml: bytes) -> list[str]:
    """Statically check every expression and script in a model; never runs them."""
    root = root_element(xml)
    problems = []
    for tag in _EXPRESSION_TAGS:
        for node in root.iter(f"{{{BPMN_NS}}}{tag}"):
            problems += _check(node, node.text or "", sandbox.check_expression)
    for node in root.iter(f"{{{BPMN_NS}}}script"):
        problems += _check(node, node.text or "", sandbox.check_script)
    return problems + _unsupported(root)


def _unsupported(root: Any) -> list[str]:
    """Constructs SpiffWorkflow 3.2 would silently run as something else, refused rather than misrun."""
    return [f"sluthændelsen '{end.get('id')}' sender et signal; SpiffWorkflow ignorerer signaler på "
            "sluthændelser – brug en mellemliggende signalhændelse før sluthændelsen"
            for end in root.iter(f"{{{BPMN_NS}}}endEvent")
            if end.find(f"{{{BPMN_NS}}}signalEventDefinition") is not None]


def _check(node: Any, source: str, checker: Any) -> list[str]:
    if not source.strip():
        return []
    owner = node.getparent()
    while owner is not None and owner.get("id") is None:
        owner = owner.getparent()
    where = owner.get("id") if owner is not None else "?"
    try:
        checker(source)  # the checker normalises indentation itself
    except sandbox.ExpressionRejected as rejected:
        return [f"Udtryk i '{where}' afvist: {rejected.reason} ({source.strip()!r})"]
    except SyntaxError as err:
        return [f"Udtryk i '{where}' kan ikke læses: {err.msg} ({source.strip()!r})"]
    return []


def _text(node: etree._Element, ns: str) -> str | None:
    text = node.find(f"{{{ns}}}text")
    return text.text if text is not None else None


def dmn_problems(xml: bytes) -> list[str]:
    """Check every DMN cell the way the engine will combine it with its input expression."""
    root = root_element(xml)
    ns = next((n for n in DMN_NAMESPACES if root.tag == f"{{{n}}}definitions"), None)
    if ns is None:
        return ["filen er ikke en DMN-model (definitions i DMN 1.1–1.3)"]
    problems = []
    for decision in root.iter(f"{{{ns}}}decision"):
        tables = decision.findall(f"{{{ns}}}decisionTable")
        if len(tables) != 1:
            problems.append(f"beslutningen '{decision.get('id')}' skal have præcis én beslutningstabel")
            continue
        table = tables[0]
        inputs = [_text(i.find(f"{{{ns}}}inputExpression"), ns) or "" for i in table.findall(f"{{{ns}}}input")]
        for number, rule in enumerate(table.findall(f"{{{ns}}}rule"), start=1):
            where = f"'{decision.get('id')}' række {number}"
            for column, entry in enumerate(rule.findall(f"{{{ns}}}inputEntry")):
                cell = (_text(entry, ns) or "").strip()
                if cell in ("", "-") or column >= len(inputs):
                    continue
                problems += _check_cell(where, inputs[column], cell)
            for entry in rule.findall(f"{{{ns}}}outputEntry"):
                cell = (_text(entry, ns) or "").strip()
                if cell:
                    problems += _check_source(where, cell)
        for column in inputs:
            problems += _check_source(f"'{decision.get('id')}' input", column) if column.strip() else [
                f"'{decision.get('id')}': en inputkolonne mangler sit udtryk"]
    return problems


def _check_cell(where: str, input_expression: str, cell: str) -> list[str]:
    # As the engine does it: a cell that is an expression on its own is compared with ==,
    # otherwise (">= 5", "in [...]") it is appended to the input expression; "?" stands for the input.
    if re.search(r"\?(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)", cell):
        return _check_source(where, re.sub(r"\?(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)", "dmninput", cell))
    try:
        sandbox.check_expression(cell)
        return _check_source(where, f"({input_expression}) == ({cell})")
    except SyntaxError:
        return _check_source(where, input_expression + cell)  # exactly as the engine joins them
    except sandbox.ExpressionRejected as rejected:
        return [f"Celle i {where} afvist: {rejected.reason} ({cell!r})"]


def _check_source(where: str, source: str) -> list[str]:
    try:
        sandbox.check_expression(source)
    except sandbox.ExpressionRejected as rejected:
        return [f"Udtryk i {where} afvist: {rejected.reason} ({source.strip()!r})"]
    except SyntaxError as err:
        return [f"Udtryk i {where} kan ikke læses: {err.msg} ({source.strip()!r})"]
    return []
