"""Specs and instance state in and out of JSON.

- specs are stored once per process version and cached as objects; instance state is stored without them
  (see ``restore``);
- completed iterations of standard loops and finished subprocesses are pruned, so a follow-up cycle that runs
  for years costs the same per step in round 40 as in round 1.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any, Protocol
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.util.task import TaskState

from service.engine import spiff_dmn
from service.engine.scripting import script_engine

registry = BpmnWorkflowSerializer.configure(spiff_dmn.CONFIG)
serializer = BpmnWorkflowSerializer(registry)
_workflow_converter = BpmnWorkflowConverter(BpmnWorkflow, registry)
SERIALIZER_VERSION = serializer.VERSION


_spec_cache: OrderedDict[tuple[int, str], tuple[Any, dict[str, Any]]] = OrderedDict()
spec_lock = threading.Lock()
_SPEC_CACHE_SIZE = 64


class VersionSource(Protocol):
    """A deployed process version: its id, and its spec JSON (read only when the cache misses)."""

    id: int
    content_hash: str
    spec_json: str


def specs(version: VersionSource) -> tuple[Any, dict[str, Any]]:
    """Spec objects per process version; restored from JSON once (from_dict mutates its input)."""
    version_id = (version.id, version.content_hash)  # the hash: ids repeat across databases (tests)
    with spec_lock:
        cached = _spec_cache.get(version_id)
        if cached is not None:
            _spec_cache.move_to_end(version_id)
            return cached
    parts = json.loads(version.spec_json)
    spec = serializer.from_dict(parts["spec"])
    subs = {name: serializer.from_dict(d) for name, d in parts["subprocess_specs"].items()}
    with spec_lock:
        _spec_cache[version_id] = (spec, subs)
        while len(_spec_cache) > _SPEC_CACHE_SIZE:
            _spec_cache.popitem(last=False)
    return spec, subs


# ---------------------------------------------------------------- instance state

def dump(wf: BpmnWorkflow) -> str:
    """BpmnWorkflowConverter.to_dict without the specs: they live with the version, and converting them
    only to throw them away was most of a step's serializing time."""
    dct = WorkflowConverter.to_dict(_workflow_converter, wf)
    dct["subprocesses"] = _workflow_converter.mapping_to_dict(wf.subprocesses)
    dct["bpmn_events"] = registry.convert(wf.bpmn_events)
    dct["typename"] = registry.typenames[type(wf)]
    return json.dumps(dct, separators=(",", ":"))


def restore(version: VersionSource, state: str, serializer_version: str) -> BpmnWorkflow:
    spec, subs = specs(version)
    dct = json.loads(state)
    if serializer_version != SERIALIZER_VERSION:
        # Old format: let the library migrate it with the spec in place.
        parts = json.loads(version.spec_json)
        dct.update(spec=parts["spec"], subprocess_specs=parts["subprocess_specs"])
        dct[serializer.VERSION_KEY] = serializer_version
        serializer.migrate(dct)
        wf = serializer.from_dict(dct)
    else:
        # Same steps as BpmnWorkflowConverter.from_dict, with cached spec objects.
        wf = BpmnWorkflow(spec, subs, deserializing=True)
        wf.tasks = _workflow_converter.mapping_from_dict(dct["tasks"], UUID, workflow=wf)
        wf.task_tree = wf.tasks.get(UUID(dct["root"]))
        _workflow_converter.set_default_attributes(wf, dct)
        _workflow_converter.subprocesses_from_dict(dct["subprocesses"], wf)
        wf.bpmn_events = registry.restore(dct.pop("bpmn_events", []))
    wf.script_engine = script_engine
    return wf


def prune_finished_iterations(loop_task: Any) -> None:
    """Drop completed iterations of a standard loop; only their count matters afterwards."""
    merged = set(loop_task.internal_data.get("merged", []))
    for child in list(loop_task.children):
        if str(child.id) in merged and child.has_state(TaskState.COMPLETED) and not child.children:
            if child.id in child.workflow.top_workflow.subprocesses:
                child.workflow.top_workflow.delete_subprocess(child)
            loop_task._children.remove(child.id)
            child.workflow.tasks.pop(child.id, None)


def prune_finished_subprocesses(wf: BpmnWorkflow) -> None:
    """Drop the inner workflow of a finished called process or subprocess: its outcome is in the caller's data.

    Without this a case carries every triage, visitation and escalation run it ever had in its stored state.
    """
    for task_id, sub in list(wf.subprocesses.items()):
        if task_id not in wf.subprocesses or not sub.completed:
            continue
        owner = wf.get_task_from_id(task_id)
        if owner is not None and owner.has_state(TaskState.COMPLETED):
            wf.delete_subprocess(owner)
