"""What the engine hands back: our own dataclasses and exceptions, never the library's objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.specs.mixins.script_task import ScriptTask
from SpiffWorkflow.exceptions import SpiffWorkflowException

from service.engine import limits


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


def engine_error(err: SpiffWorkflowException) -> EngineError:
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
