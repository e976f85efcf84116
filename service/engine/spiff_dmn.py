"""Business rule tasks that run our FEEL decision tables inside SpiffWorkflow.

SpiffWorkflow 3.2 evaluates table cells as Python and knows only UNIQUE and COLLECT, so the parser builds a
``FeelBusinessRuleTask`` holding our table (``decision_tables``) instead of the library's DMNEngine, and the
serializer stores that table with the spec. Specs deployed before this keep the library's task type and so
run as they were deployed (a running case never changes its rules).
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.serializer.helpers.spec import TaskSpecConverter
from SpiffWorkflow.bpmn.specs.mixins.bpmn_spec_mixin import BpmnSpecMixin
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.camunda.parser.task_spec import CAMUNDA_MODEL_NS, CamundaTaskParser
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG
from SpiffWorkflow.camunda.specs.business_rule_task import BusinessRuleTask

from service.engine import decision_tables, spiff_tasks


class Refused(ValidationException):
    """A parser refusal already in the process owner's words (shown as it is, at its element)."""

    in_danish = True


class FeelBusinessRuleTask(BusinessRuleTask):
    """A business rule task whose decision table is FEEL, evaluated by ``decision_tables``."""

    def __init__(self, wf_spec: Any, name: str, table: decision_tables.DecisionTable,
                 result_variable: str | None = None, map_decision_result: str | None = None, **kwargs: Any) -> None:
        super().__init__(wf_spec, name, dmnEngine=None, **kwargs)
        self.table = table
        self.result_variable = result_variable
        self.map_decision_result = map_decision_result

    def result_keys(self) -> tuple[str, ...]:
        """The task data keys a run sets (the journal shows them)."""
        return (self.result_variable,) if self.result_variable else self.table.result_names

    def _run_hook(self, my_task: Any) -> bool:
        try:
            decision = decision_tables.decide(self.table, my_task.data)
            my_task.data.update(decision_tables.task_data(self.table, decision, self.result_variable,
                                                          self.map_decision_result))
        except decision_tables.DecisionFailed as err:
            raise WorkflowTaskException(str(err), task=my_task) from err
        return BpmnSpecMixin._run_hook(self, my_task)


class _FeelBusinessRuleTaskParser(CamundaTaskParser):
    def create_task(self) -> FeelBusinessRuleTask:
        decision_ref = self.get_decision_ref(self.node)
        if not decision_ref:
            raise Refused("Forretningsreglen mangler en beslutningstabel: vælg den under «Implementation"
                                      " → DMN» (camunda:decisionRef).", node=self.node, file_name=self.filename)
        table = self.process_parser.parser.decision_table(decision_ref, self.node)
        result_variable = self.node.get(f"{{{CAMUNDA_MODEL_NS}}}resultVariable") or None
        mapping = self.node.get(f"{{{CAMUNDA_MODEL_NS}}}mapDecisionResult") or None
        refused = decision_tables.mapping_problem(table, mapping)
        if mapping and not result_variable:
            refused = ("camunda:mapDecisionResult virker kun sammen med camunda:resultVariable: angiv «Result "
                       "variable», eller fjern «Map decision result».")
        if refused:
            raise Refused(refused, node=self.node, file_name=self.filename)
        return FeelBusinessRuleTask(self.spec, self.bpmn_id, table=table, result_variable=result_variable,
                                    map_decision_result=mapping, **self.bpmn_attributes)

    @staticmethod
    def get_decision_ref(node: Any) -> str | None:
        return node.get(f"{{{CAMUNDA_MODEL_NS}}}decisionRef")


class SagsflowParser(CamundaParser):
    """Camunda's parser with FEEL decision tables from DMN 1.1–1.5 files (any number of decisions a file)."""

    OVERRIDE_PARSER_CLASSES = {**CamundaParser.OVERRIDE_PARSER_CLASSES, **spiff_tasks.PARSERS,
                               full_tag("businessRuleTask"): (_FeelBusinessRuleTaskParser, FeelBusinessRuleTask)}

    def __init__(self, validator: Any = None) -> None:
        super().__init__(validator=validator)
        self.tables: dict[str, decision_tables.DecisionTable] = {}

    def add_dmn_xml(self, node: Any, filename: str | None = None) -> None:
        ns = decision_tables.dmn_namespace(node)
        schema = self.dmn_schemas.get(ns)
        if self.validator and schema is not None:
            BpmnValidator(schema).validate(node, filename)
        for decision in node.findall(f"{{{ns}}}decision") if ns else ():
            if decision.find(f"{{{ns}}}decisionTable") is not None:
                self.tables[decision.get("id")] = decision_tables.read_table(decision, ns)

    def add_dmn_str(self, dmn_str: bytes | str, filename: str | None = None) -> None:
        self.add_dmn_xml(etree.fromstring(dmn_str), filename)  # noqa: S320 - no network, no entities

    def decision_table(self, decision_ref: str, node: Any) -> decision_tables.DecisionTable:
        table = self.tables.get(decision_ref)
        if table is None:
            raise Refused(f"Beslutningstabellen «{decision_ref}» findes ikke i de DMN-filer, processen "
                                      "bruger.", node=node, file_name="")
        return table


class _FeelBusinessRuleTaskConverter(TaskSpecConverter):
    def to_dict(self, spec: FeelBusinessRuleTask) -> dict[str, Any]:
        dct = self.get_default_attributes(spec)
        dct.update(table=spec.table.to_dict(), result_variable=spec.result_variable,
                   map_decision_result=spec.map_decision_result)
        return dct

    def from_dict(self, dct: dict[str, Any]) -> FeelBusinessRuleTask:
        dct["table"] = decision_tables.DecisionTable.from_dict(dct["table"])
        return self.task_spec_from_dict(dct)


CONFIG = {**CAMUNDA_CONFIG, FeelBusinessRuleTask: _FeelBusinessRuleTaskConverter}
