"""What a running instance shows us: its ready user tasks, waiting timers and messages, and the journal-worthy
events of a step; read in one pass over the library's tasks."""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.end_event import EndEvent
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import StandardLoopTask
from SpiffWorkflow.camunda.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.dmn.specs import BusinessRuleTaskMixin
from SpiffWorkflow.util.task import TaskState

from service.engine import sandbox, spiff_dmn
from service.engine.parsing import phase
from service.engine.results import ProcessEvent, TimerInfo, UserTaskInfo, Waited
from service.engine.scripting import injected


def _lookup(data: dict[str, Any], path: str) -> Any:
    """A data key, or a dotted path into nested data ("klage_modtaget.besked")."""
    value: Any = data
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def ready_task_info(t: Any) -> UserTaskInfo:
    spec = t.task_spec
    extensions = spec.extensions if isinstance(spec.extensions, dict) else {}
    role = t.data.get(extensions["rolle_fra"]) if "rolle_fra" in extensions else None
    message = _lookup(t.data, extensions["besked_fra"]) if "besked_fra" in extensions else None
    if isinstance(message, list):
        message = "\n".join(str(m) for m in message)
    called = t.workflow is not t.workflow.top_workflow and _is_called(t.workflow)
    return UserTaskInfo(
        id=str(t.id), bpmn_id=spec.bpmn_id, name=spec.bpmn_name or spec.bpmn_id, lane=spec.lane,
        form_key=getattr(getattr(spec, "form", None), "key", None),
        process_name=_process_name(t.workflow) if called else None,
        role=role if isinstance(role, str) else None,
        message=message if isinstance(message, str) and message else None,
        phase=phase(spec), deadline_scope=_deadline_scope(t))


def _deadline_scope(t: Any) -> str:
    """The task itself when timers sit on its border, else the nearest enclosing (sub)process activity that has
    some, else the task: what a boundary timer's ``attached_task`` is compared with."""
    current = t
    while not _has_boundary_timer(current):
        workflow = current.workflow
        if workflow is workflow.top_workflow:
            return str(t.id)
        owner = workflow.top_workflow.get_task_from_id(workflow.parent_task_id)
        if owner is None:
            return str(t.id)
        current = owner
    return str(current.id)


def _has_boundary_timer(task: Any) -> bool:
    parent = task.parent
    return parent is not None and any(
        sibling is not task and isinstance(sibling.task_spec, CatchingEvent)
        and isinstance(sibling.task_spec.event_definition, TimerEventDefinition) for sibling in parent.children)


def _is_called(workflow: Any) -> bool:
    """A process started by a call activity, not an embedded subprocess such as the follow-up loop.

    The library builds both the same way; but every file holds exactly one process (parse_model),
    so a called process is the one whose spec comes from another file than its caller's.
    """
    parent = workflow.top_workflow.get_task_from_id(workflow.parent_task_id)
    return parent is not None and workflow.spec.file != parent.workflow.spec.file


def _process_name(workflow: Any) -> str:
    return workflow.spec.description or workflow.spec.name


def process_event(task: Any) -> ProcessEvent | None:
    """Journal-worthy steps: a called process starting or ending, a decision table's result."""
    spec = task.task_spec
    workflow = task.workflow
    in_called = workflow is not workflow.top_workflow and _is_called(workflow)
    if in_called and isinstance(spec, StartEvent | EndEvent):
        kind = "startet" if isinstance(spec, StartEvent) else "afsluttet"
        return ProcessEvent(kind, _process_name(workflow), spec.bpmn_name or "")
    if isinstance(spec, spiff_dmn.FeelBusinessRuleTask):
        outputs = {key: task.data.get(key) for key in spec.result_keys()}
        process = _process_name(workflow) if workflow is not workflow.top_workflow else ""
        return ProcessEvent("beslutning", process, spec.bpmn_name or spec.bpmn_id, outputs)
    if isinstance(spec, BusinessRuleTaskMixin):  # deployed before tables were FEEL
        outputs = {o.name: task.data.get(o.name) for o in spec.dmnEngine.decision_table.outputs if o.name}
        process = _process_name(workflow) if workflow is not workflow.top_workflow else ""
        return ProcessEvent("beslutning", process, spec.bpmn_name or spec.bpmn_id, outputs)
    return None


def _attached(timer_task: Any) -> Any:
    """A boundary event's sibling under the split is the activity it is attached to."""
    parent = timer_task.parent
    for sibling in parent.children if parent is not None else []:
        if sibling is not timer_task and not isinstance(sibling.task_spec, CatchingEvent):
            return sibling
    return None


@functools.lru_cache(maxsize=512)
def _call_parts(expression: str) -> tuple[str, str] | None:
    """`frist(<id expr>, ...)` → ("frist", "<id expr>"); parsed once per expression, not once per step."""
    try:
        tree = ast.parse(expression.strip(), mode="eval").body
    except SyntaxError:
        return None
    if not (isinstance(tree, ast.Call) and isinstance(tree.func, ast.Name) and tree.args):
        return None
    return tree.func.id, ast.unparse(tree.args[0])


def _named_call(expression: str, data: dict[str, Any]) -> tuple[str, str] | None:
    """For `frist(<id expr>, ...)`: the injected function's name and its first argument's value."""
    parts = _call_parts(expression)
    if parts is None or parts[0] not in injected:
        return None
    try:
        first = sandbox.safe_eval(parts[1], data, injected)
    except Exception:  # noqa: BLE001 - unknown here just means "not a named deadline"
        return None
    return (parts[0], first) if isinstance(first, str) else None


def timer_info(t: Any) -> TimerInfo:
    spec = t.task_spec
    expression = spec.event_definition.expression or ""
    attached = _attached(t)
    return TimerInfo(str(t.id), spec.bpmn_id, spec.bpmn_name or spec.bpmn_id,
                     TimerEventDefinition.get_datetime(t.internal_data["event_value"]),
                     expression, attached.task_spec.bpmn_id if attached is not None else None,
                     _named_call(expression, t.data), str(attached.id) if attached is not None else None)


def is_waiting_timer(t: Any) -> bool:
    spec = t.task_spec
    return (t.state == TaskState.WAITING and isinstance(spec, CatchingEvent)
            and isinstance(spec.event_definition, TimerEventDefinition)
            and isinstance(t.internal_data.get("event_value"), str))


def _all_tasks(wf: BpmnWorkflow) -> Iterator[Any]:
    """Every task of the instance and its subprocesses, in no particular order; a plain walk over the
    library's own dicts costs a fraction of its tree iterator, and the order does not matter here."""
    yield from wf.tasks.values()
    for sub in wf.subprocesses.values():
        yield from sub.tasks.values()


def waited(wf: BpmnWorkflow) -> Waited:
    """The restored instance's ready user tasks, waiting timers and messages, before anything runs."""
    ready, timers, messages = set(), [], []
    for t in _all_tasks(wf):
        if not t.state & (TaskState.READY | TaskState.WAITING):
            continue
        spec = t.task_spec
        if isinstance(spec, StandardLoopTask):
            continue  # as in advance: the loop itself is never a user task
        if t.state == TaskState.READY:
            if spec.manual:
                ready.add(str(t.id))
        elif is_waiting_timer(t):
            timers.append(timer_info(t))
        elif isinstance(spec, CatchingEvent) and isinstance(spec.event_definition, MessageEventDefinition):
            messages.append(spec.event_definition.name)
    return Waited(frozenset(ready), tuple(timers), tuple(dict.fromkeys(messages)))
