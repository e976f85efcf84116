"""What a model file declares and refers to, and the static check of DMN cells (lxml + sandbox only).

A deployed version holds a BPMN file together with every BPMN and DMN file it reaches through
call activities (calledElement) and business rule tasks (camunda:decisionRef).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from service.engine import sandbox

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
DMN_NAMESPACES = ("https://www.omg.org/spec/DMN/20191111/MODEL/", "http://www.omg.org/spec/DMN/20180521/MODEL/",
                  "http://www.omg.org/spec/DMN/20151101/dmn.xsd")


@dataclass(frozen=True)
class Declared:
    processes: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    called_processes: frozenset[str] = field(default_factory=frozenset)
    called_decisions: frozenset[str] = field(default_factory=frozenset)


def _root(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)  # noqa: S320 - lxml default parser: no network, no entities resolved


def declared(xml: bytes) -> Declared:
    """Ids a file declares (executable processes, decisions) and ids it calls."""
    root = _root(xml)
    if root.tag.startswith("{" + BPMN_NS):
        return Declared(
            processes=tuple(p.get("id") for p in root.iter(f"{{{BPMN_NS}}}process")
                            if p.get("isExecutable", "false") == "true"),
            called_processes=frozenset(c.get("calledElement") for c in root.iter(f"{{{BPMN_NS}}}callActivity")
                                       if c.get("calledElement")),
            called_decisions=frozenset(t.get(f"{{{CAMUNDA_NS}}}decisionRef") for t in
                                       root.iter(f"{{{BPMN_NS}}}businessRuleTask")
                                       if t.get(f"{{{CAMUNDA_NS}}}decisionRef")))
    decisions = tuple(d.get("id") for ns in DMN_NAMESPACES for d in root.iter(f"{{{ns}}}decision"))
    return Declared(decisions=decisions)


def _text(node: etree._Element, ns: str) -> str | None:
    text = node.find(f"{{{ns}}}text")
    return text.text if text is not None else None


def check_dmn_expressions(xml: bytes) -> list[str]:
    """Check every DMN cell the way the engine will combine it with its input expression."""
    root = _root(xml)
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
                    problems += _check(where, cell)
        for column in inputs:
            problems += _check(f"'{decision.get('id')}' input", column) if column.strip() else [
                f"'{decision.get('id')}': en inputkolonne mangler sit udtryk"]
    return problems


def _check_cell(where: str, input_expression: str, cell: str) -> list[str]:
    # As the engine does it: a cell that is an expression on its own is compared with ==,
    # otherwise (">= 5", "in [...]") it is appended to the input expression; "?" stands for the input.
    if re.search(r"\?(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)", cell):
        return _check(where, re.sub(r"\?(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)", "dmninput", cell))
    try:
        sandbox.check_expression(cell)
        return _check(where, f"({input_expression}) == ({cell})")
    except SyntaxError:
        return _check(where, input_expression + cell)  # exactly as the engine joins them
    except sandbox.ExpressionRejected as rejected:
        return [f"Celle i {where} afvist: {rejected.reason} ({cell!r})"]


def _check(where: str, source: str) -> list[str]:
    try:
        sandbox.check_expression(source)
    except sandbox.ExpressionRejected as rejected:
        return [f"Udtryk i {where} afvist: {rejected.reason} ({source.strip()!r})"]
    except SyntaxError as err:
        return [f"Udtryk i {where} kan ikke læses: {err.msg} ({source.strip()!r})"]
    return []
