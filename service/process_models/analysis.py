"""How a process runs, for the process owner: per user task, how many were done, how long they took and how
often their deadline was missed. Counted from the engine's own projection (tasks and timers), across all
versions of the process; no case content, so no case access is needed to read it."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from service.deadlines.models import FIRED, GONE, Timer
from service.engine import bundle
from service.engine.models import ProcessInstance, ProcessVersion
from service.inbox.models import DONE, OPEN, HumanTask
from service.ledelsesinformation import service as mi
from service.uow import UnitOfWork


@dataclass(frozen=True)
class ActivityFlow:
    bpmn_id: str
    name: str
    done: int
    open: int
    median_hours: float | None  # from the task opening to its completion, done tasks only
    p90_hours: float | None
    deadlines: int  # deadlines on the task that were decided in the period: met or missed
    missed: int

    @property
    def missed_share(self) -> float | None:
        return round(100 * self.missed / self.deadlines, 1) if self.deadlines else None


def _user_tasks(uow: UnitOfWork, process_id: str) -> tuple[dict[str, str], set[str]]:
    """The user tasks of every version (id → newest name) and every name the process has had."""
    names: dict[str, str] = {}
    process_names: set[str] = set()
    versions = uow.session.execute(select(ProcessVersion.name, ProcessVersion.bpmn_xml)
                                   .where(ProcessVersion.process_id == process_id).order_by(ProcessVersion.version))
    for process_name, xml in versions:  # oldest first: the newest name wins
        process_names.add(process_name)
        for task in bundle.root_element(xml.encode()).iter(f"{{{bundle.BPMN_NS}}}userTask"):
            names[task.get("id")] = task.get("name") or task.get("id")
    return names, process_names


def _hours(values: list[float], share: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(share * 100) - 1], 1)


def activity_flow(uow: UnitOfWork, *, process_id: str, fra: date, til: date) -> list[ActivityFlow]:
    """Tasks opened from `fra` to `til` (both included), in the order of the model's newest version."""
    start, end = mi.period_bounds(fra, til)
    names, process_names = _user_tasks(uow, process_id)
    # A task of a called process carries that process's name; a task of the process itself has none.
    own = HumanTask.process_name.in_(process_names) | (
        HumanTask.process_name.is_(None) & (ProcessVersion.process_id == process_id))
    rows = uow.session.execute(
        select(HumanTask.bpmn_id, HumanTask.status, HumanTask.created_at, HumanTask.completed_at)
        .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .join(ProcessVersion, ProcessVersion.id == ProcessInstance.process_version_id)
        .where(HumanTask.bpmn_id.in_(names), own, HumanTask.created_at >= start, HumanTask.created_at < end))
    durations: dict[str, list[float]] = {i: [] for i in names}
    open_count: dict[str, int] = dict.fromkeys(names, 0)
    for bpmn_id, status, created_at, completed_at in rows:
        if status == DONE and completed_at is not None:
            durations[bpmn_id].append((completed_at - created_at).total_seconds() / 3600)
        elif status == OPEN:
            open_count[bpmn_id] += 1
    decided: dict[str, list[str]] = {i: [] for i in names}
    for guards, status in uow.session.execute(
            select(Timer.guards, Timer.status).where(Timer.kind == "frist", Timer.guards.in_(names),
                                                     Timer.status.in_((FIRED, GONE)),
                                                     Timer.due_at >= start, Timer.due_at < end)):
        decided[guards].append(status)
    return [ActivityFlow(i, name, len(durations[i]), open_count[i], _hours(durations[i], 0.5),
                         _hours(durations[i], 0.9), len(decided[i]), decided[i].count(FIRED))
            for i, name in names.items()]


def default_period(fra: date | None, til: date | None) -> tuple[date, date]:
    """The last twelve months unless a period is asked for."""
    til = til or mi.today()
    return fra or til - timedelta(days=365), til
