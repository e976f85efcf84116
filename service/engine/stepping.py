"""Running a step: start, complete a task, deliver a message, fire due timers; each restores the instance (or
takes the live one), runs the engine until it waits, and returns what it now waits for."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import StandardLoopTask
from SpiffWorkflow.camunda.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException, WorkflowException
from SpiffWorkflow.util.task import TaskState

from service import clock
from service.engine.reading import is_waiting_timer, process_event, ready_task_info, timer_info, waited
from service.engine.results import NotWaiting, ProcessEvent, StepResult, TimerInfo, Waited, engine_error
from service.engine.scripting import script_engine
from service.engine.serialisation import (
    SERIALIZER_VERSION,
    VersionSource,
    dump,
    prune_finished_iterations,
    prune_finished_subprocesses,
    restore,
    specs,
)


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
            self.fired[str(task.id)] = timer_info(task)
        event = process_event(task)
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
        raise engine_error(err) from err


_NOTHING_WAITED = Waited()  # a new instance waited for nothing


def advance(wf: BpmnWorkflow, before: Waited = _NOTHING_WAITED, seen: _Seen | None = None) -> StepResult:
    """Run the engine until it waits, then read everything we project in one pass over the tree."""
    seen = seen or _Seen()
    fired, events, note_completed = seen.fired, seen.events, seen.note_completed

    for _ in range(10):
        try:
            wf.do_engine_steps(did_complete_task=note_completed)
        except SpiffWorkflowException as err:
            raise engine_error(err) from err
        ready, timers, loops, messages, runnable = [], [], [], [], False
        for t in wf.get_tasks():
            spec = t.task_spec
            if isinstance(spec, StandardLoopTask):
                loops.append(t)
            elif t.state == TaskState.READY:
                if spec.manual:
                    ready.append(ready_task_info(t))
                else:
                    runnable = True  # a timer do_engine_steps made due at its very end: run it too
            elif t.state == TaskState.WAITING and isinstance(spec, CatchingEvent):
                if is_waiting_timer(t):
                    timers.append(timer_info(t))
                elif isinstance(spec.event_definition, MessageEventDefinition):
                    messages.append(spec.event_definition.name)
        if not runnable:
            break
    for loop_task in loops:
        prune_finished_iterations(loop_task)
    prune_finished_subprocesses(wf)
    return StepResult(
        state=dump(wf),
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
    spec, subs = specs(version)
    wf = BpmnWorkflow(spec, subs, script_engine=script_engine)
    start_task = wf.get_next_task(state=TaskState.READY)
    start_task.set_data(**data)
    return advance(wf)


def complete_task(version: VersionSource, state: str | None, serializer_version: str,
                  task_id: str, data: dict[str, Any], *, at: datetime | None = None, live: Any = None) -> StepResult:
    """Complete a ready user task at `at` (its recorded completion time; now by default). ``live``: the instance's
    workflow as its last step left it (then ``state`` is not read)."""
    wf = live if live is not None else restore(version, state, serializer_version)
    before = waited(wf)
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
        raise engine_error(err) from err
    return advance(wf, before, seen)


def send_message(version: VersionSource, state: str | None, serializer_version: str,
                 name: str, payload: dict[str, Any], *, live: Any = None) -> StepResult:
    wf = live if live is not None else restore(version, state, serializer_version)
    before = waited(wf)
    event = BpmnEvent(MessageEventDefinition(name), {"payload": payload, "result_var": name})
    try:
        wf.send_event(event)
    except WorkflowException as err:
        raise NotWaiting(name) from err
    return advance(wf, before)


def waiting(version: VersionSource, state: str, serializer_version: str) -> Waited:
    """What a stored instance waits for (ready user tasks, timers, messages), without running anything."""
    return waited(restore(version, state, serializer_version))


def fire_due_timers(version: VersionSource, state: str | None, serializer_version: str, *,
                    live: Any = None) -> StepResult:
    """Let every timer that is due by the service clock fire, then run the engine on."""
    wf = live if live is not None else restore(version, state, serializer_version)
    before = waited(wf)
    wf.refresh_timers()
    return advance(wf, before)
