"""DMN decision tables read from XML (DMN 1.1–1.5), checked cell by cell as FEEL, and evaluated with every
hit policy of DMN 1.3. lxml and our FEEL only: the engine module hands the result to SpiffWorkflow.
"""

from __future__ import annotations

import decimal
from dataclasses import asdict, dataclass, field
from typing import Any

from lxml import etree

from service.engine.bundle import DMN_NAMESPACES
from service.engine.feel import compile_expression, compile_unary_tests
from service.engine.feel import values as fv
from service.engine.feel.evaluate import Scope, listed_values

HIT_POLICIES = ("UNIQUE", "FIRST", "PRIORITY", "ANY", "COLLECT", "RULE ORDER", "OUTPUT ORDER")
SINGLE_HIT = ("UNIQUE", "FIRST", "PRIORITY", "ANY")
AGGREGATIONS = ("SUM", "MIN", "MAX", "COUNT")


@dataclass(frozen=True)
class InputColumn:
    id: str
    label: str
    expression: str
    type_ref: str | None = None


@dataclass(frozen=True)
class OutputColumn:
    id: str
    label: str
    name: str
    type_ref: str | None = None
    values: str | None = None  # outputValues: the priority order PRIORITY and OUTPUT ORDER use
    default: str | None = None  # defaultOutputEntry


@dataclass(frozen=True)
class Rule:
    id: str
    number: int
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]


@dataclass(frozen=True)
class DecisionTable:
    decision_id: str
    decision_name: str
    hit_policy: str
    aggregation: str | None
    inputs: tuple[InputColumn, ...]
    outputs: tuple[OutputColumn, ...]
    rules: tuple[Rule, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, dct: dict[str, Any]) -> DecisionTable:
        return cls(dct["decision_id"], dct["decision_name"], dct["hit_policy"], dct["aggregation"],
                   tuple(InputColumn(**c) for c in dct["inputs"]), tuple(OutputColumn(**c) for c in dct["outputs"]),
                   tuple(Rule(r["id"], r["number"], tuple(r["inputs"]), tuple(r["outputs"])) for r in dct["rules"]))

    @property
    def result_names(self) -> tuple[str, ...]:
        """The keys a rule's outputs get: the output's name; a single unnamed output is named after the decision."""
        if len(self.outputs) == 1 and not self.outputs[0].name:
            return (self.decision_id,)
        return tuple(o.name for o in self.outputs)


class DecisionFailed(Exception):
    """The table cannot give a result for this data (UNIQUE or ANY violated); Danish."""


# ---------------------------------------------------------------- reading XML


def dmn_namespace(root: etree._Element) -> str | None:
    return next((ns for ns in DMN_NAMESPACES if root.tag == f"{{{ns}}}definitions"), None)


def cell_text(node: etree._Element | None, ns: str) -> str | None:
    found = node.find(f"{{{ns}}}text") if node is not None else None
    return found.text if found is not None and found.text is not None else None


def _cell(node: etree._Element | None, ns: str) -> str:
    return (cell_text(node, ns) or "").strip()


def read_table(decision: etree._Element, ns: str) -> DecisionTable:
    """The decision's table as our model; call ``problems`` first, it says what this does not check."""
    table = decision.find(f"{{{ns}}}decisionTable")
    inputs = tuple(InputColumn(i.get("id") or f"input{n}", i.get("label") or "",
                               _cell(i.find(f"{{{ns}}}inputExpression"), ns),
                               (i.find(f"{{{ns}}}inputExpression").get("typeRef")
                                if i.find(f"{{{ns}}}inputExpression") is not None else None))
                   for n, i in enumerate(table.findall(f"{{{ns}}}input"), start=1))
    outputs = tuple(OutputColumn(o.get("id") or f"output{n}", o.get("label") or "", o.get("name") or "",
                                 o.get("typeRef"), cell_text(o.find(f"{{{ns}}}outputValues"), ns),
                                 cell_text(o.find(f"{{{ns}}}defaultOutputEntry"), ns))
                    for n, o in enumerate(table.findall(f"{{{ns}}}output"), start=1))
    rules = tuple(Rule(r.get("id") or f"rule{n}", n,
                       tuple(_cell(e, ns) for e in r.findall(f"{{{ns}}}inputEntry")),
                       tuple(_cell(e, ns) for e in r.findall(f"{{{ns}}}outputEntry")))
                  for n, r in enumerate(table.findall(f"{{{ns}}}rule"), start=1))
    return DecisionTable(decision.get("id") or "", decision.get("name") or decision.get("id") or "",
                         (table.get("hitPolicy") or "UNIQUE").upper(), (table.get("aggregation") or "").upper() or None,
                         inputs, outputs, rules)


# ---------------------------------------------------------------- evaluating


@dataclass(frozen=True)
class Decision:
    """What a table decided: the chosen rows (FEEL values per result name) in hit-policy order, and the DMN
    result (a value, a context, a list of them, or the aggregate)."""

    rows: tuple[dict[str, Any], ...]
    value: Any
    aggregated: bool = False


def _input_values(table: DecisionTable, data: dict[str, Any]) -> list[Any]:
    return [fv.coerce(compile_expression(c.expression)(Scope(data)), c.type_ref) for c in table.inputs]


def _row(table: DecisionTable, texts: tuple[str | None, ...], data: dict[str, Any]) -> dict[str, Any]:
    return {name: compile_expression(text)(Scope(data)) if text else None
            for name, text in zip(table.result_names, texts, strict=True)}


def _priorities(table: DecisionTable) -> list[list[Any] | None]:
    """Per output, its possible values in priority order (outputValues), or None."""
    return [list(listed_values(column.values)) if column.values else None for column in table.outputs]


def _priority_key(table: DecisionTable, priorities: list[list[Any] | None], row: dict[str, Any]) -> tuple:
    key = []
    for name, listed in zip(table.result_names, priorities, strict=True):
        if listed is not None:
            position = next((i for i, item in enumerate(listed) if fv.equal(item, row[name]) is True), len(listed))
            key.append(position)
    return tuple(key)


def decide(table: DecisionTable, data: dict[str, Any]) -> Decision:
    """Evaluate the table against task data (DecisionFailed when UNIQUE or ANY is violated)."""
    inputs = _input_values(table, data)
    hits = [rule for rule in table.rules
            if all(compile_unary_tests(cell)(Scope(data, value)) for cell, value in zip(rule.inputs, inputs,
                                                                                       strict=True))]
    rows = [_row(table, rule.outputs, data) for rule in hits]
    policy = table.hit_policy
    if policy in ("PRIORITY", "OUTPUT ORDER"):
        priorities = _priorities(table)
        order = sorted(range(len(rows)), key=lambda i: _priority_key(table, priorities, rows[i]))
        rows, hits = [rows[i] for i in order], [hits[i] for i in order]
    if policy == "UNIQUE" and len(hits) > 1:
        raise DecisionFailed(f"Beslutningstabellen «{table.decision_name}» har hit policy UNIQUE, men regel "
                             f"{' og '.join(str(r.number) for r in hits)} passer alle på de samme data.")
    if policy == "ANY" and any(not _same_row(rows[0], row) for row in rows[1:]):
        raise DecisionFailed(f"Beslutningstabellen «{table.decision_name}» har hit policy ANY, men regel "
                             f"{' og '.join(str(r.number) for r in hits)} passer og giver forskellige resultater.")
    if policy in SINGLE_HIT:
        if not rows and any(o.default for o in table.outputs):
            rows = [_row(table, tuple(o.default for o in table.outputs), data)]
        chosen = rows[:1]
        return Decision(tuple(chosen), _shape(table, chosen[0]) if chosen else None)
    if table.aggregation:
        values = [row[table.result_names[0]] for row in rows]
        total = _aggregate(table.aggregation, values)
        return Decision(({table.result_names[0]: total},), total, aggregated=True)
    return Decision(tuple(rows), [_shape(table, row) for row in rows])


def _same_row(left: dict[str, Any], right: dict[str, Any]) -> bool:
    return all(fv.equal(left[k], right[k]) is True for k in left)


def _shape(table: DecisionTable, row: dict[str, Any]) -> Any:
    return row[table.result_names[0]] if len(table.outputs) == 1 else dict(row)


def _aggregate(aggregation: str, values: list[Any]) -> Any:
    if aggregation == "COUNT":  # every hit since DMN 1.2 (1.1 counted distinct values)
        return decimal.Decimal(len(values))
    present = [value for value in values if value is not None]
    if not present:
        return None
    if aggregation == "SUM":
        if not all(isinstance(value, decimal.Decimal) for value in present):
            return None
        total = decimal.Decimal(0)
        for value in present:
            total = fv.NUMBERS.add(total, value)
        return total
    if any(fv.compare(present[0], value) is None for value in present):
        return None
    return min(present) if aggregation == "MIN" else max(present)


# ---------------------------------------------------------------- into task data

RESULT_MAPPINGS = ("resultList", "singleResult", "singleEntry", "collectEntries")


def task_data(table: DecisionTable, decision: Decision, result_variable: str | None,
              mapping: str | None) -> dict[str, Any]:
    """What the business rule task puts in the task data.

    Without camunda:resultVariable each output lands under its name (a single-hit table: the value or null;
    a multi-hit table: the list of values; an aggregation: its result). With it, the result is mapped as
    Camunda's camunda:mapDecisionResult says (resultList when not given).
    """
    rows = [fv.to_python(row) for row in decision.rows]
    names = table.result_names
    if not result_variable:
        if table.hit_policy in SINGLE_HIT or decision.aggregated:
            return {name: rows[0][name] if rows else None for name in names}
        return {name: [row[name] for row in rows] for name in names}
    mapping = mapping or "resultList"
    if mapping == "resultList":
        return {result_variable: rows}
    if mapping == "collectEntries":
        return {result_variable: [row[names[0]] for row in rows]}
    if len(rows) > 1:
        raise DecisionFailed(f"Beslutningstabellen «{table.decision_name}» gav {len(rows)} resultater, men "
                             f"camunda:mapDecisionResult «{mapping}» kan kun rumme ét.")
    if mapping == "singleResult":
        return {result_variable: rows[0] if rows else None}
    return {result_variable: rows[0][names[0]] if rows else None}


def mapping_problem(table: DecisionTable, mapping: str | None) -> str | None:
    """Why camunda:mapDecisionResult cannot hold this table's result (checked at deploy), or None."""
    if mapping is None:
        return None
    if mapping not in RESULT_MAPPINGS:
        return (f"camunda:mapDecisionResult «{mapping}» findes ikke; brug resultList, singleResult, singleEntry "
                "eller collectEntries.")
    if mapping in ("singleEntry", "collectEntries") and len(table.outputs) != 1:
        return f"camunda:mapDecisionResult «{mapping}» kræver præcis én outputkolonne; brug resultList eller " \
               "singleResult."
    if mapping in ("singleEntry", "singleResult") and table.hit_policy not in SINGLE_HIT \
            and not table.aggregation:
        return (f"Hit policy {table.hit_policy} kan give flere resultater, men camunda:mapDecisionResult "
                f"«{mapping}» rummer kun ét; brug collectEntries eller resultList.")
    return None
