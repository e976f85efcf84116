"""Moving a running instance to another version of its process."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from SpiffWorkflow.bpmn.util.diff import SpecDiff, WorkflowDiff, migrate_workflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from service.engine.reading import waited
from service.engine.results import EngineError, NotMigratable, StepResult
from service.engine.serialisation import VersionSource, registry, restore, spec_lock, specs
from service.engine.stepping import advance

# The case's history and what it waits for now; predicted tasks are set up again from the new version.
_PASSED_OR_ACTIVE = TaskState.FINISHED_MASK | TaskState.WAITING | TaskState.READY | TaskState.STARTED


def migrate(old: VersionSource, new: VersionSource, state: str, serializer_version: str) -> StepResult:
    """Move a running instance to another version of its process (NotMigratable with the reasons if it can't).

    Tasks are matched by BPMN id (SpiffWorkflow's diff; it also matches a renamed task by its place).
    Ready tasks are set up again from the new version, so what follows them is the new version's path;
    waiting timers and messages keep their due dates and subscriptions. A task that was done or is active
    must exist in the new version: the case's history is never rewritten.
    """
    wf = restore(old, state, serializer_version)
    before = waited(wf)
    new_spec, new_subs = specs(new)
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
        result = advance(wf, before)
        restore(new, result.state, result.serializer_version)  # the new version can carry on from here
    except (EngineError, SpiffWorkflowException, KeyError) as err:
        raise NotMigratable([f"sagens forløb kan ikke føres over i den nye version ({err})"]) from err
    return result


_diff_cache: OrderedDict[tuple, tuple[Any, Any, Any, dict[str, Any]]] = OrderedDict()


def _spec_diffs(old: VersionSource, new: VersionSource) -> tuple[Any, dict[str, Any]]:
    """How the two versions' specs align: the same for every case of a version, so compared once (comparing
    every task spec is most of a move's cost)."""
    old_spec, old_subs = specs(old)
    new_spec, new_subs = specs(new)
    key = (old.id, old.content_hash, new.id, new.content_hash)
    with spec_lock:
        cached = _diff_cache.get(key)
    if cached is not None and cached[0] is old_spec and cached[1] is new_spec:  # not from an evicted spec
        return cached[2], cached[3]
    top = SpecDiff(registry, old_spec, new_spec)
    subs = {name: SpecDiff(registry, spec, new_subs[name]) for name, spec in old_subs.items() if name in new_subs}
    with spec_lock:
        _diff_cache[key] = (old_spec, new_spec, top, subs)
        while len(_diff_cache) > 4:
            _diff_cache.popitem(last=False)
    return top, subs


def _missing(task: Any) -> str:
    spec = task.task_spec
    done = "passeret i sagen" if task.has_state(TaskState.FINISHED_MASK) else "aktiv"
    return f"«{getattr(spec, 'bpmn_name', None) or spec.name}» ({done}) findes ikke i den nye version"
