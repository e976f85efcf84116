"""SpiffWorkflow 3.2 patched where it falls short of how Sagsflow runs it; applied once, on import.

- its timers read the service's one clock (tests move it);
- an event subprocess starts in whichever running (sub)process holds it, once per event, without rewiring the
  shared spec (the library only started those of the top process, and wired them into the cached spec).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.bpmn.specs.control import BpmnStartTask
from SpiffWorkflow.bpmn.specs.event_definitions import timer as _spiff_timer
from SpiffWorkflow.bpmn.util.event import EventManager
from SpiffWorkflow.util.task import TaskState

from service import clock


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
