"""Deploy-time checks of DMN decision tables: every cell parsed as FEEL, every problem placed at its
decision, rule and column (so the editors can point at it). Nothing is evaluated against data here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lxml import etree

from service.engine.decision_tables import (
    AGGREGATIONS,
    HIT_POLICIES,
    DecisionTable,
    InputColumn,
    OutputColumn,
    Rule,
    cell_text,
    dmn_namespace,
    read_table,
)
from service.engine.feel import FeelSyntaxError, compile_expression, compile_unary_tests
from service.engine.feel.grammar import parse


@dataclass(frozen=True)
class Problem:
    """A deploy-time finding: ``where`` is "<decision id>/regel <n>/<kolonne>" (or shorter), ``element`` the XML id."""

    where: str
    message: str
    element: str | None = None


_FEEL_MARKERS = ("feel",)  # every DMN version's FEEL URI ends in /FEEL/ (or is Camunda's "feel")
_PYTHON_WORDS = {"True": "true", "False": "false", "None": "null"}


def _language_problem(node: etree._Element, where: str) -> Problem | None:
    language = node.get("expressionLanguage")
    if language and not any(m in language.lower() for m in _FEEL_MARKERS):
        return Problem(where, f"Udtrykssproget «{language}» understøttes ikke i beslutningstabeller: cellerne skal "
                              "skrives i FEEL. Fjern expressionLanguage (Python bruges kun i BPMN-scripts og "
                              "-betingelser).", node.get("id"))
    return None


def _python_words(node: Any) -> list[str]:
    if isinstance(node, tuple):
        if len(node) == 2 and node[0] == "name" and node[1] in _PYTHON_WORDS:
            return [node[1]]
        return [word for part in node for word in _python_words(part)]
    return []


def _check_cell(text: str, unary: bool) -> str | None:
    """None when ``text`` is FEEL of the right kind, else the Danish reason."""
    try:
        if unary:
            compile_unary_tests(text)
        else:
            compile_expression(text)
        words = _python_words(parse(text, "unary_tests" if unary else "expression"))
    except FeelSyntaxError as err:
        return err.message
    if words:
        return f"«{words[0]}» er Python; i FEEL skrives det {_PYTHON_WORDS[words[0]]}."
    return None


def _column_name(column: InputColumn | OutputColumn, number: int, kind: str) -> str:
    if isinstance(column, InputColumn):
        return column.label or column.expression or f"{kind} {number}"
    return column.label or column.name or f"{kind} {number}"


def problems(xml_root: etree._Element) -> list[Problem]:
    """Every reason the file's decision tables cannot run, each naming decision, rule and column."""
    ns = dmn_namespace(xml_root)
    if ns is None:
        return [Problem("", "Filen er ikke en DMN-model (definitions i DMN 1.1–1.5).")]
    found = [p for p in [_language_problem(xml_root, "")] if p]
    decisions = xml_root.findall(f"{{{ns}}}decision")
    for decision in decisions:
        found += _decision_problems(decision, ns)
    return found


def _decision_problems(decision: etree._Element, ns: str) -> list[Problem]:
    decision_id = decision.get("id") or "?"
    element = decision.find(f"{{{ns}}}decisionTable")
    if element is None:
        return [Problem(decision_id, f"Beslutningen «{decision_id}» er ikke en beslutningstabel; kun "
                                     "beslutningstabeller kan køres.", decision_id)]
    found = [p for p in [_language_problem(element, decision_id)] if p]
    table = read_table(decision, ns)
    found += _table_shape_problems(table, element, decision_id)
    for number, (column, node) in enumerate(zip(table.inputs, element.findall(f"{{{ns}}}input"), strict=True), 1):
        where = f"{decision_id}/{_column_name(column, number, 'input')}"
        expression_node = node.find(f"{{{ns}}}inputExpression")
        if expression_node is not None and (language := _language_problem(expression_node, where)):
            found.append(language)
        reason = _check_cell(column.expression, unary=False) if column.expression else "inputudtrykket mangler."
        if reason:
            found.append(Problem(where, f"Inputkolonnen «{_column_name(column, number, 'input')}»: {reason}",
                                 column.id))
        allowed = cell_text(node.find(f"{{{ns}}}inputValues"), ns)
        if allowed and (reason := _check_cell(allowed, unary=True)):
            found.append(Problem(where, f"De tilladte værdier for «{_column_name(column, number, 'input')}»: "
                                        f"{reason}", column.id))
    for number, column in enumerate(table.outputs, 1):
        where = f"{decision_id}/{_column_name(column, number, 'output')}"
        for text, what in ((column.values, "De mulige værdier"), (column.default, "Standardværdien")):
            if text and (reason := _check_cell(text, unary=what.startswith("De mulige"))):
                found.append(Problem(where, f"{what} for «{_column_name(column, number, 'output')}»: {reason}",
                                     column.id))
    for rule, node in zip(table.rules, element.findall(f"{{{ns}}}rule"), strict=True):
        found += _rule_problems(table, rule, node, ns, decision_id)
    return found


def _table_shape_problems(table: DecisionTable, element: etree._Element, decision_id: str) -> list[Problem]:
    found = []
    table_id = element.get("id") or decision_id
    if table.hit_policy not in HIT_POLICIES:
        found.append(Problem(decision_id, f"Hit policy «{table.hit_policy}» findes ikke; brug en af "
                                          f"{', '.join(HIT_POLICIES)}.", table_id))
    if table.aggregation and (table.aggregation not in AGGREGATIONS or table.hit_policy != "COLLECT"):
        found.append(Problem(decision_id, f"Aggregeringen «{table.aggregation}» kan ikke bruges her: kun SUM, MIN, "
                                          "MAX og COUNT, og kun med hit policy COLLECT.", table_id))
    if table.aggregation and len(table.outputs) != 1:
        found.append(Problem(decision_id, "En tabel med aggregering (COLLECT + SUM/MIN/MAX/COUNT) skal have "
                                          "præcis én outputkolonne.", table_id))
    if not table.outputs:
        found.append(Problem(decision_id, "Tabellen har ingen outputkolonne.", table_id))
    names = [o.name for o in table.outputs]
    if len(names) > 1 and (not all(names) or len(set(names)) != len(names)):
        found.append(Problem(decision_id, "Når tabellen har flere outputkolonner, skal hver have sit eget navn "
                                          "(Output name).", table_id))
    if table.hit_policy in ("PRIORITY", "OUTPUT ORDER") and not any(o.values for o in table.outputs):
        found.append(Problem(decision_id, f"Hit policy {table.hit_policy} ordner efter outputkolonnernes mulige "
                                          "værdier: angiv dem (fx \"høj\",\"middel\",\"lav\").", table_id))
    return found


def _rule_problems(table: DecisionTable, rule: Rule, node: etree._Element, ns: str,
                   decision_id: str) -> list[Problem]:
    found = []
    where = f"{decision_id}/regel {rule.number}"
    if len(rule.inputs) != len(table.inputs) or len(rule.outputs) != len(table.outputs):
        return [Problem(where, f"Regel {rule.number} har {len(rule.inputs)} betingelser og {len(rule.outputs)} "
                               f"resultater; tabellen har {len(table.inputs)} input- og {len(table.outputs)} "
                               "outputkolonner.", rule.id)]
    entries = node.findall(f"{{{ns}}}inputEntry") + node.findall(f"{{{ns}}}outputEntry")
    columns = [*table.inputs, *table.outputs]
    for index, (entry, column, text) in enumerate(zip(entries, columns, (*rule.inputs, *rule.outputs),
                                                      strict=True)):
        unary = index < len(table.inputs)
        number = index + 1 if unary else index - len(table.inputs) + 1
        name = _column_name(column, number, "input" if unary else "output")
        language = _language_problem(entry, f"{where}/{name}")
        if language:
            found.append(language)
            continue
        if not text:
            if unary:
                found.append(Problem(f"{where}/{name}", f"Regel {rule.number}, kolonnen «{name}»: cellen er tom; "
                                                        "skriv - for «alle værdier».", entry.get("id")))
            continue
        reason = _check_cell(text, unary)
        if reason:
            found.append(Problem(f"{where}/{name}", f"Regel {rule.number}, kolonnen «{name}»: {reason} "
                                                    f"(cellen: {text})", entry.get("id")))
    return found


