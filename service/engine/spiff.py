"""The only module that imports SpiffWorkflow.

Everything else hands it our own values (spec JSON, state JSON, dicts) and gets our own
dataclasses back, so the library's object graph, serializer version and quirks stay here:
- specs are stored once per process version and cached as objects; instance state is
  stored without them (see ``_restore``);
- completed iterations of standard loops are pruned, so a follow-up cycle that runs for
  years costs the same per step in round 40 as in round 1;
- every expression runs in our sandbox, never in SpiffWorkflow's plain ``eval``;
- an event subprocess starts in whichever running (sub)process holds it, once per event, without
  rewiring the shared spec (the library only started those of the top process);
- form data is set with ``Task.set_data`` (plain update), never ``add_data_from_form``,
  whose deep merge corrupts lists.
"""

from __future__ import annotations

import ast
import functools
import json
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.specs.control import BpmnStartTask
from SpiffWorkflow.bpmn.specs.event_definitions import timer as _spiff_timer
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.end_event import EndEvent
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import StandardLoopTask
from SpiffWorkflow.bpmn.specs.mixins.script_task import ScriptTask
from SpiffWorkflow.bpmn.util.diff import SpecDiff, WorkflowDiff, migrate_workflow
from SpiffWorkflow.bpmn.util.event import EventManager
from SpiffWorkflow.camunda.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.dmn.specs import BusinessRuleTaskMixin
from SpiffWorkflow.exceptions import SpiffWorkflowException, WorkflowException
from SpiffWorkflow.util.task import TaskState

from service import clock
from service.engine import bundle, dialects, limits, model_checks, model_errors, sandbox, spiff_dmn


class _ClockDatetime(datetime):
    """SpiffWorkflow's timers call datetime.now(); this makes them read the service's one clock."""

    @classmethod
    def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
        current = clock.now()
        return current.astimezone(tz) if tz is not None else current


_spiff_timer.datetime = _ClockDatetime  # type: ignore[misc]


def _trigger_event_subprocess(self: Any, my_task: Any, spec_name: str) -> Any:
    """Start an event subprocess without wiring it into the shared process spec.

    SpiffWorkflow 3.2 connects the event subprocess to the start task *of the spec* the first time it is
    triggered; our specs are cached and shared, so every later case would start the event subprocess as
    an ordinary branch (waiting for its signal forever, so the case never closes).
    """
    spec = self._wf_spec.task_specs[spec_name]
    if self.name not in spec._inputs:  # a back-reference only (its check wants an input); start's outputs stay
        spec._inputs.append(self.name)
    child = my_task._add_child(spec, TaskState.FUTURE)
    child.triggered = True
    child.task_spec._update(child)
    return child.id


BpmnStartTask.trigger_wf = _trigger_event_subprocess


def _start_event_subprocesses(self: EventManager, event: BpmnEvent) -> None:
    """Start every event subprocess whose start event catches ``event``, in every running (sub)process.

    SpiffWorkflow 3.2 only looks at the event subprocesses of the top process, so one inside an embedded
    subprocess (a complaint during a measure) never started. Each catch starts a fresh instance, so the
    event subprocess is ready again for the next message; one still running keeps its subprocess open.
    """
    top = self.workflow
    for scope in (top, *(sp for sp in top.subprocesses.values() if not sp.completed)):
        for name in getattr(scope.spec.start, "trigger_specs", ()):
            sp_spec = top.subprocess_specs.get(name)
            for start_event in sp_spec.bpmn_start_events if sp_spec is not None else ():
                if start_event.event_definition == event.event_definition:
                    _waiting_event_subprocess(scope, start_event.name, name).correlations.update(event.correlations)


def _waiting_event_subprocess(scope: Any, start_event: str, spec_name: str) -> Any:
    top = scope.top_workflow
    for sp in top.subprocesses.values():
        if sp.parent_task_id in scope.tasks and sp.get_next_task(state=TaskState.WAITING, spec_name=start_event):
            return sp
    return top.subprocesses[scope.spec.start.trigger_wf(scope.task_tree, spec_name)]


EventManager.update_collaboration = _start_event_subprocesses


class ModelInvalid(Exception):
    """A model that cannot be deployed; ``problems`` are Danish, one per finding.

    ``fields`` names, per problem, where it is when that is known: "<file>#<element>", for a table cell
    "<file>#<decision id>/regel <n>/<kolonne>" (the editors show the element from it).
    """

    def __init__(self, problems: list[str], fields: list[str | None] | None = None,
                 elements: list[str | None] | None = None) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.fields = fields or [None] * len(problems)
        self.elements = elements or [None] * len(problems)  # the XML id of a table cell, when there is one


class EngineError(Exception):
    """The engine failed while running a model (a bug in the model, not in the input)."""


def _engine_error(err: SpiffWorkflowException) -> EngineError:
    """An EngineError in the process owner's words when model code hit a limit, else SpiffWorkflow's text."""
    cause: BaseException | None = err
    while cause is not None and not isinstance(cause, limits.ExpressionLimitExceeded):
        cause = cause.__cause__ or cause.__context__
    if cause is None:
        return EngineError(str(err))
    task = getattr(err, "task", None)
    spec = getattr(task, "task_spec", None) or getattr(err, "task_spec", None)
    name = (getattr(spec, "bpmn_name", None) or getattr(spec, "bpmn_id", None) or "?") if spec else "?"
    what = "Scriptet" if isinstance(spec, ScriptTask) else "Udtrykket"
    if isinstance(cause, limits.ExpressionTimedOut):
        return EngineError(f"{what} i '{name}' blev stoppet efter {cause.limit:g} s")
    return EngineError(f"{what} i '{name}' blev stoppet: {cause.reason}")


class NotMigratable(Exception):
    """A running instance cannot move to another version; the reasons in the process owner's words."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class NotWaiting(Exception):
    """The instance does not wait for the message that was sent."""


@dataclass(frozen=True)
class UserTaskInfo:
    id: str
    bpmn_id: str
    name: str
    lane: str | None
    form_key: str | None
    process_name: str | None = None  # set for tasks of a called process (journal: one story)
    role: str | None = None  # from task data when the model names a key (camunda property "rolle_fra")
    message: str | None = None  # shown with the task (camunda property "besked_fra": a data key)
    phase: str | None = None  # the case phase the task belongs to (camunda property "fase"; service/cases/phases.py)
    # The engine id of the activity whose boundary deadlines cover this task: the task itself, or the subprocess
    # around it when only that carries them (a deadline over several tasks, e.g. decision and investigation).
    deadline_scope: str | None = None


@dataclass(frozen=True)
class ProcessEvent:
    """Something the journal tells beyond user tasks: a called process started or ended, a decision table ran."""

    kind: str  # "startet", "afsluttet" or "beslutning"
    process_name: str
    name: str
    data: dict[str, Any] | None = None


@dataclass(frozen=True)
class ParsedModel:
    process_id: str
    name: str
    spec_json: str
    user_tasks: tuple[UserTaskInfo, ...]  # ids are the BPMN ids here


@dataclass(frozen=True)
class TimerInfo:
    task_id: str
    bpmn_id: str
    name: str
    due_at: datetime
    expression: str
    attached_to: str | None  # BPMN id of the task a boundary timer guards
    call: tuple[str, str] | None = None  # e.g. ("frist", "bfu") for frist("bfu", ...)
    attached_task: str | None = None  # engine id of that activity this time round (a task's deadline_scope)


@dataclass(frozen=True)
class Waited:
    """What an instance waited for when a step began, so the projection changes only what the step changed
    (our tables follow the engine in the same transaction, so they held exactly this)."""

    ready: frozenset[str] = frozenset()  # ids of ready user tasks
    timers: tuple[TimerInfo, ...] = ()
    messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepResult:
    state: str
    serializer_version: str
    ready_tasks: tuple[UserTaskInfo, ...]
    completed: bool
    waiting_timers: tuple[TimerInfo, ...] = ()
    fired_timers: tuple[TimerInfo, ...] = ()
    events: tuple[ProcessEvent, ...] = ()
    waiting_messages: tuple[str, ...] = ()
    before: Waited = Waited()
    # The live workflow the step left behind (its state is ``state``): kept by the caller for the instance's
    # next step after a successful commit (service/engine/workflow_cache.py), so it need not be restored.
    workflow: Any = field(default=None, compare=False, repr=False)

    def stopped_timers(self) -> list[TimerInfo]:
        """Timers waited for before the step and no longer: fired, or their task finished first."""
        waiting = {t.task_id for t in self.waiting_timers}
        return [t for t in self.before.timers if t.task_id not in waiting]


# Functions models may call (e.g. frist("bfu", underretning["modtaget"])), set by the service at start-up.
_functions: dict[str, Any] = {}


def set_expression_functions(functions: dict[str, Any]) -> None:
    _functions.clear()
    _functions.update(functions)


# FEEL's booleans, so a cell edited with bpmn.io's DMN editor (which writes true/false) still works.
_LITERALS = {"true": True, "false": False}


def _helpers(context: dict) -> dict[str, Any]:
    # findes("bfu"): whether a task has put this key in the data yet (a plain name would raise).
    return {**_functions, **_LITERALS, "findes": lambda key: context.get(key) is not None}


class _SandboxEnvironment(BasePythonScriptEngineEnvironment):
    def evaluate(self, expression: str, context: dict, external_context: dict | None = None) -> Any:
        return sandbox.safe_eval(expression, {**context, **(external_context or {})}, _helpers(context))

    def execute(self, script: str, context: dict, external_context: dict | None = None) -> bool:
        sandbox.safe_exec(script, context, {**(external_context or {}), **_helpers(context)})
        return True


_script_engine = PythonScriptEngine(environment=_SandboxEnvironment())
_registry = BpmnWorkflowSerializer.configure(spiff_dmn.CONFIG)
_serializer = BpmnWorkflowSerializer(_registry)
_workflow_converter = BpmnWorkflowConverter(BpmnWorkflow, _registry)
SERIALIZER_VERSION = _serializer.VERSION
_validator = BpmnValidator()


# ---------------------------------------------------------------- deploy-time parsing

def parse_model(xml: bytes, filename: str, included: dict[str, bytes] | None = None) -> ParsedModel:
    """Validate a BPMN file with the files it calls (XSD, structure, expressions); return its executable spec.

    ``included`` holds the other BPMN and DMN files (name -> content) its call activities and business
    rule tasks refer to; the spec then contains them, so a version never changes under a running case.
    """
    # The same files give the same (immutable) result: every start-up deploy, and a process owner's repeated
    # Validér of one draft, parse the same bytes again; a refusal is not kept and is worked out anew.
    return _parse_once(xml, filename, tuple((included or {}).items()))


@functools.lru_cache(maxsize=32)
def _parse_once(xml: bytes, filename: str, included_items: tuple[tuple[str, bytes], ...]) -> ParsedModel:
    included = dict(included_items)
    problems: list[str] = []
    fields: list[str | None] = []
    elements: list[str | None] = []

    def add(name: str, found: list[Any]) -> None:
        problems.extend(f"{name}: {p.message}" for p in found)
        fields.extend(f"{name}#{p.where}" if p.where else name for p in found)
        elements.extend(p.element for p in found)

    roots = {}
    for name, content in {filename: xml, **included}.items():
        roots[name], found = model_checks.read(name, content, _validator, main=name == filename)
        add(name, found)
    if problems:
        raise ModelInvalid(problems, fields, elements)
    process_id = bundle.declared(xml).processes[0]
    parser = spiff_dmn.SagsflowParser(validator=_validator)
    current = filename
    try:
        parser.add_bpmn_str(xml, filename=filename)
        for current, content in included.items():
            if current.endswith(".dmn"):
                parser.add_dmn_str(content, filename=current)
            else:
                parser.add_bpmn_str(content, filename=current)
        current = filename
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except Exception as err:  # noqa: BLE001 - any parser failure is the model's; never a 500
        # The element the library names (err.id, or its line) lets the editors show it.
        named = getattr(err, "file_name", None)
        where = named if named in roots else current
        add(where, [model_errors.engine_problem(err, roots.get(where))])
        raise ModelInvalid(problems, fields, elements) from err
    for task_spec in (ts for s in (spec, *subprocess_specs.values()) for ts in s.task_specs.values()):
        definition = getattr(task_spec, "event_definition", None)
        if isinstance(definition, TimerEventDefinition) and dialects.is_iso_timer(definition.expression or ""):
            definition.expression = dialects.quoted(definition.expression)  # PT5M as Camunda Modeler writes it
    try:
        spec_json = json.dumps({
            "spec": _serializer.to_dict(spec),
            "subprocess_specs": {name: _serializer.to_dict(s) for name, s in subprocess_specs.items()},
        })
    except TypeError as err:  # a construct the library parses but cannot store: refuse, never a 500
        raise ModelInvalid([f"{filename}: Modellen indeholder et element, som Sagsflows motor kan læse, men ikke "
                            "gemme; fjern det senest tilføjede element, og prøv igen."]) from err
    tasks = [
        _task_info_from_spec(ts)
        for s in (spec, *subprocess_specs.values())
        for ts in s.task_specs.values()
        if getattr(ts, "manual", False)
    ]
    missing = [t.bpmn_id for t in tasks if not t.form_key]
    if missing:
        raise ModelInvalid([f"{filename}: {model_checks.missing_form(roots, m)}" for m in missing],
                           [f"{model_checks.file_of(roots, m, filename)}#{m}" for m in missing], list(missing))
    return ParsedModel(process_id, spec.description or process_id, spec_json, tuple(tasks))


def _task_info_from_spec(ts: Any, task_id: str | None = None) -> UserTaskInfo:
    form = getattr(ts, "form", None)
    return UserTaskInfo(
        id=task_id or ts.bpmn_id,
        bpmn_id=ts.bpmn_id,
        name=ts.bpmn_name or ts.bpmn_id,
        lane=ts.lane,
        form_key=getattr(form, "key", None),
        phase=_phase(ts),
    )


def _phase(spec: Any) -> str | None:
    extensions = spec.extensions if isinstance(spec.extensions, dict) else {}
    value = extensions.get("fase")
    return value if isinstance(value, str) else None


def _lookup(data: dict[str, Any], path: str) -> Any:
    """A data key, or a dotted path into nested data ("klage_modtaget.besked")."""
    value: Any = data
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _ready_task_info(t: Any) -> UserTaskInfo:
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
        phase=_phase(spec), deadline_scope=_deadline_scope(t))


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


def _process_event(task: Any) -> ProcessEvent | None:
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


# ---------------------------------------------------------------- spec cache

_spec_cache: OrderedDict[tuple[int, str], tuple[Any, dict[str, Any]]] = OrderedDict()
_spec_lock = threading.Lock()
_SPEC_CACHE_SIZE = 64


class VersionSource(Protocol):
    """A deployed process version: its id, and its spec JSON (read only when the cache misses)."""

    id: int
    content_hash: str
    spec_json: str


def _specs(version: VersionSource) -> tuple[Any, dict[str, Any]]:
    """Spec objects per process version; restored from JSON once (from_dict mutates its input)."""
    version_id = (version.id, version.content_hash)  # the hash: ids repeat across databases (tests)
    with _spec_lock:
        cached = _spec_cache.get(version_id)
        if cached is not None:
            _spec_cache.move_to_end(version_id)
            return cached
    parts = json.loads(version.spec_json)
    spec = _serializer.from_dict(parts["spec"])
    subs = {name: _serializer.from_dict(d) for name, d in parts["subprocess_specs"].items()}
    with _spec_lock:
        _spec_cache[version_id] = (spec, subs)
        while len(_spec_cache) > _SPEC_CACHE_SIZE:
            _spec_cache.popitem(last=False)
    return spec, subs


# ---------------------------------------------------------------- instance state

def _dump(wf: BpmnWorkflow) -> str:
    """BpmnWorkflowConverter.to_dict without the specs: they live with the version, and converting them
    only to throw them away was most of a step's serializing time."""
    dct = WorkflowConverter.to_dict(_workflow_converter, wf)
    dct["subprocesses"] = _workflow_converter.mapping_to_dict(wf.subprocesses)
    dct["bpmn_events"] = _registry.convert(wf.bpmn_events)
    dct["typename"] = _registry.typenames[type(wf)]
    return json.dumps(dct, separators=(",", ":"))


def _restore(version: VersionSource, state: str, serializer_version: str) -> BpmnWorkflow:
    spec, subs = _specs(version)
    dct = json.loads(state)
    if serializer_version != SERIALIZER_VERSION:
        # Old format: let the library migrate it with the spec in place.
        parts = json.loads(version.spec_json)
        dct.update(spec=parts["spec"], subprocess_specs=parts["subprocess_specs"])
        dct[_serializer.VERSION_KEY] = serializer_version
        _serializer.migrate(dct)
        wf = _serializer.from_dict(dct)
    else:
        # Same steps as BpmnWorkflowConverter.from_dict, with cached spec objects.
        wf = BpmnWorkflow(spec, subs, deserializing=True)
        wf.tasks = _workflow_converter.mapping_from_dict(dct["tasks"], UUID, workflow=wf)
        wf.task_tree = wf.tasks.get(UUID(dct["root"]))
        _workflow_converter.set_default_attributes(wf, dct)
        _workflow_converter.subprocesses_from_dict(dct["subprocesses"], wf)
        wf.bpmn_events = _registry.restore(dct.pop("bpmn_events", []))
    wf.script_engine = _script_engine
    return wf


def _prune_finished_iterations(loop_task: Any) -> None:
    """Drop completed iterations of a standard loop; only their count matters afterwards."""
    merged = set(loop_task.internal_data.get("merged", []))
    for child in list(loop_task.children):
        if str(child.id) in merged and child.has_state(TaskState.COMPLETED) and not child.children:
            if child.id in child.workflow.top_workflow.subprocesses:
                child.workflow.top_workflow.delete_subprocess(child)
            loop_task._children.remove(child.id)
            child.workflow.tasks.pop(child.id, None)


def _prune_finished_subprocesses(wf: BpmnWorkflow) -> None:
    """Drop the inner workflow of a finished called process or subprocess: its outcome is in the caller's data.

    Without this a case carries every triage, visitation and escalation run it ever had in its stored state.
    """
    for task_id, sub in list(wf.subprocesses.items()):
        if task_id not in wf.subprocesses or not sub.completed:
            continue
        owner = wf.get_task_from_id(task_id)
        if owner is not None and owner.has_state(TaskState.COMPLETED):
            wf.delete_subprocess(owner)


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
    if parts is None or parts[0] not in _functions:
        return None
    try:
        first = sandbox.safe_eval(parts[1], data, _functions)
    except Exception:  # noqa: BLE001 - unknown here just means "not a named deadline"
        return None
    return (parts[0], first) if isinstance(first, str) else None


def _timer_info(t: Any) -> TimerInfo:
    spec = t.task_spec
    expression = spec.event_definition.expression or ""
    attached = _attached(t)
    return TimerInfo(str(t.id), spec.bpmn_id, spec.bpmn_name or spec.bpmn_id,
                     TimerEventDefinition.get_datetime(t.internal_data["event_value"]),
                     expression, attached.task_spec.bpmn_id if attached is not None else None,
                     _named_call(expression, t.data), str(attached.id) if attached is not None else None)


def _is_waiting_timer(t: Any) -> bool:
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


def _waited(wf: BpmnWorkflow) -> Waited:
    """The restored instance's ready user tasks, waiting timers and messages, before anything runs."""
    ready, timers, messages = set(), [], []
    for t in _all_tasks(wf):
        if not t.state & (TaskState.READY | TaskState.WAITING):
            continue
        spec = t.task_spec
        if isinstance(spec, StandardLoopTask):
            continue  # as in _advance: the loop itself is never a user task
        if t.state == TaskState.READY:
            if spec.manual:
                ready.add(str(t.id))
        elif _is_waiting_timer(t):
            timers.append(_timer_info(t))
        elif isinstance(spec, CatchingEvent) and isinstance(spec.event_definition, MessageEventDefinition):
            messages.append(spec.event_definition.name)
    return Waited(frozenset(ready), tuple(timers), tuple(dict.fromkeys(messages)))


class _Seen:
    """Timers fired and journal-worthy events of one step, collected as the engine completes tasks."""

    def __init__(self) -> None:
        self.fired: dict[str, TimerInfo] = {}
        self.events: list[ProcessEvent] = []

    def note_completed(self, task: Any) -> None:
        # Every timer the step fires is seen here, also one that came due and fired within this very step
        # (a late registration) and so was never WAITING in a saved state.
        definition = getattr(task.task_spec, "event_definition", None)
        if isinstance(definition, TimerEventDefinition) and isinstance(task.internal_data.get("event_value"), str):
            self.fired[str(task.id)] = _timer_info(task)
        event = _process_event(task)
        if event is not None:
            self.events.append(event)


def _fire_overdue_first(wf: BpmnWorkflow, before: Waited, seen: _Seen, at: datetime) -> None:
    """Fire the timers due before `at` ahead of the step itself: a deadline is breached by the business times,
    not by whether the firing reached the instance before a late completion did."""
    overdue = [t for t in before.timers if t.due_at < at]  # strictly before, as the engine and the firing count
    if not overdue:  # the usual step: nothing to do
        return
    for info in overdue:
        timer = wf.get_task_from_id(UUID(info.task_id))
        timer.task_spec._update(timer)  # what refresh_timers does, for exactly these (due by `at`, not by now)
    try:
        wf.do_engine_steps(did_complete_task=seen.note_completed)
    except SpiffWorkflowException as err:
        raise _engine_error(err) from err


def _advance(wf: BpmnWorkflow, before: Waited = Waited(), seen: _Seen | None = None) -> StepResult:
    """Run the engine until it waits, then read everything we project in one pass over the tree."""
    seen = seen or _Seen()
    fired, events, note_completed = seen.fired, seen.events, seen.note_completed

    for _ in range(10):
        try:
            wf.do_engine_steps(did_complete_task=note_completed)
        except SpiffWorkflowException as err:
            raise _engine_error(err) from err
        ready, timers, loops, messages, runnable = [], [], [], [], False
        for t in wf.get_tasks():
            spec = t.task_spec
            if isinstance(spec, StandardLoopTask):
                loops.append(t)
            elif t.state == TaskState.READY:
                if spec.manual:
                    ready.append(_ready_task_info(t))
                else:
                    runnable = True  # a timer do_engine_steps made due at its very end: run it too
            elif t.state == TaskState.WAITING and isinstance(spec, CatchingEvent):
                if _is_waiting_timer(t):
                    timers.append(_timer_info(t))
                elif isinstance(spec.event_definition, MessageEventDefinition):
                    messages.append(spec.event_definition.name)
        if not runnable:
            break
    for loop_task in loops:
        _prune_finished_iterations(loop_task)
    _prune_finished_subprocesses(wf)
    return StepResult(
        state=_dump(wf),
        serializer_version=SERIALIZER_VERSION,
        ready_tasks=tuple(ready),
        completed=bool(wf.completed),
        waiting_timers=tuple(timers),
        fired_timers=tuple(fired.values()),
        events=tuple(events),
        waiting_messages=tuple(dict.fromkeys(messages)),
        before=before,
        workflow=wf,
    )


def start(version: VersionSource, data: dict[str, Any]) -> StepResult:
    spec, subs = _specs(version)
    wf = BpmnWorkflow(spec, subs, script_engine=_script_engine)
    start_task = wf.get_next_task(state=TaskState.READY)
    start_task.set_data(**data)
    return _advance(wf)


def complete_task(version: VersionSource, state: str | None, serializer_version: str,
                  task_id: str, data: dict[str, Any], *, at: datetime | None = None, live: Any = None) -> StepResult:
    """Complete a ready user task at `at` (its recorded completion time; now by default). ``live``: the instance's
    workflow as its last step left it (then ``state`` is not read)."""
    wf = live if live is not None else _restore(version, state, serializer_version)
    before = _waited(wf)
    seen = _Seen()
    # Done after its deadline: the breach and its escalation come first, as if the firing had got there first.
    _fire_overdue_first(wf, before, seen, at or clock.now())
    task = wf.get_task_from_id(UUID(task_id))
    if task is None or not task.has_state(TaskState.READY) or not task.task_spec.manual:
        raise NotWaiting(f"opgaven {task_id} er ikke klar")  # also: an interrupting timer ended it in time
    task.set_data(**{task.task_spec.bpmn_id: data})
    try:
        task.run()
    except SpiffWorkflowException as err:
        raise _engine_error(err) from err
    return _advance(wf, before, seen)


def send_message(version: VersionSource, state: str | None, serializer_version: str,
                 name: str, payload: dict[str, Any], *, live: Any = None) -> StepResult:
    wf = live if live is not None else _restore(version, state, serializer_version)
    before = _waited(wf)
    event = BpmnEvent(MessageEventDefinition(name), {"payload": payload, "result_var": name})
    try:
        wf.send_event(event)
    except WorkflowException as err:
        raise NotWaiting(name) from err
    return _advance(wf, before)


def waiting(version: VersionSource, state: str, serializer_version: str) -> Waited:
    """What a stored instance waits for (ready user tasks, timers, messages), without running anything."""
    return _waited(_restore(version, state, serializer_version))


def fire_due_timers(version: VersionSource, state: str | None, serializer_version: str, *,
                    live: Any = None) -> StepResult:
    """Let every timer that is due by the service clock fire, then run the engine on."""
    wf = live if live is not None else _restore(version, state, serializer_version)
    before = _waited(wf)
    wf.refresh_timers()
    return _advance(wf, before)


# The case's history and what it waits for now; predicted tasks are set up again from the new version.
_PASSED_OR_ACTIVE = TaskState.FINISHED_MASK | TaskState.WAITING | TaskState.READY | TaskState.STARTED


def migrate(old: VersionSource, new: VersionSource, state: str, serializer_version: str) -> StepResult:
    """Move a running instance to another version of its process (NotMigratable with the reasons if it can't).

    Tasks are matched by BPMN id (SpiffWorkflow's diff; it also matches a renamed task by its place).
    Ready tasks are set up again from the new version, so what follows them is the new version's path;
    waiting timers and messages keep their due dates and subscriptions. A task that was done or is active
    must exist in the new version: the case's history is never rewritten.
    """
    wf = _restore(old, state, serializer_version)
    before = _waited(wf)
    new_spec, new_subs = _specs(new)
    top_spec_diff, sub_spec_diffs = _spec_diffs(old, new)
    top = WorkflowDiff(wf, top_spec_diff)
    sub_diffs = {sp_id: WorkflowDiff(sp, sub_spec_diffs[sp.spec.name]) if sp.spec.name in sub_spec_diffs else None
                 for sp_id, sp in wf.subprocesses.items()}
    missing = [t for t in top.removed if t.has_state(_PASSED_OR_ACTIVE)]
    reasons = []
    for sp_id, diff in sub_diffs.items():
        sub = wf.subprocesses[sp_id]
        if diff is None:
            reasons.append(f"den kaldte proces «{sub.spec.description or sub.spec.name}» findes ikke i den nye version")
        else:
            missing += [t for t in diff.removed if t.has_state(_PASSED_OR_ACTIVE)]
    # Named in the process owner's words: the BPMN elements, not the engine's helper tasks around them.
    reasons += [_missing(t) for t in missing if getattr(t.task_spec, "bpmn_id", None)]
    if missing and not reasons:
        reasons.append("et trin i sagens forløb findes ikke i den nye version")
    if reasons:
        raise NotMigratable(list(dict.fromkeys(reasons)))
    migrate_workflow(top, wf, new_spec, reset_mask=TaskState.READY)
    for sp_id, diff in sub_diffs.items():
        sub = wf.subprocesses[sp_id]
        migrate_workflow(diff, sub, new_subs[sub.spec.name], reset_mask=TaskState.READY)
    wf.subprocess_specs = new_subs
    try:
        result = _advance(wf, before)
        _restore(new, result.state, result.serializer_version)  # the new version can carry on from here
    except (EngineError, SpiffWorkflowException, KeyError) as err:
        raise NotMigratable([f"sagens forløb kan ikke føres over i den nye version ({err})"]) from err
    return result


_diff_cache: OrderedDict[tuple, tuple[Any, Any, Any, dict[str, Any]]] = OrderedDict()


def _spec_diffs(old: VersionSource, new: VersionSource) -> tuple[Any, dict[str, Any]]:
    """How the two versions' specs align: the same for every case of a version, so compared once (comparing
    every task spec is most of a move's cost)."""
    old_spec, old_subs = _specs(old)
    new_spec, new_subs = _specs(new)
    key = (old.id, old.content_hash, new.id, new.content_hash)
    with _spec_lock:
        cached = _diff_cache.get(key)
    if cached is not None and cached[0] is old_spec and cached[1] is new_spec:  # not from an evicted spec
        return cached[2], cached[3]
    top = SpecDiff(_registry, old_spec, new_spec)
    subs = {name: SpecDiff(_registry, spec, new_subs[name]) for name, spec in old_subs.items() if name in new_subs}
    with _spec_lock:
        _diff_cache[key] = (old_spec, new_spec, top, subs)
        while len(_diff_cache) > 4:
            _diff_cache.popitem(last=False)
    return top, subs


def _missing(task: Any) -> str:
    spec = task.task_spec
    done = "passeret i sagen" if task.has_state(TaskState.FINISHED_MASK) else "aktiv"
    return f"«{getattr(spec, 'bpmn_name', None) or spec.name}» ({done}) findes ikke i den nye version"
