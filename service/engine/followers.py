"""What follows an engine step: the followers each domain registered at start-up, run in one declared order.

Every caller that moves an instance (task completion, timer firing, intake, message, committee decision, case
migration) calls `follow` with the step's result, inside its own unit of work, so our tables (tasks, timers,
committee lists, case status, journal) follow the engine in the same transaction. Which followers there are,
and in which order, is read in one place: `service/wiring.py`. The engine package knows no domain: domains
register here, never the other way round, so no domain needs to import the one that calls it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from service.engine.models import ProcessInstance
from service.engine.spiff import StepResult
from service.uow import UnitOfWork


@dataclass
class Step:
    """One engine step as its followers see it."""

    instance: ProcessInstance
    case: Any  # the case the instance belongs to (service.cases.models.Case: the engine does not import domains)
    result: StepResult
    actor_id: int | None  # None: the service itself (a timer)
    created_tasks: list[Any] = field(default_factory=list)  # the task rows this step opened (set by the inbox)


Follower = Callable[[UnitOfWork, Step], None]

_followers: list[tuple[str, Follower]] = []


def install(followers: list[tuple[str, Follower]]) -> None:
    """Set the followers, in the order they run (service/wiring.py, from bootstrap.configure_engine at start-up)."""
    names = [name for name, _ in followers]
    if len(set(names)) != len(names):
        raise ValueError(f"en efterfølger er nævnt to gange: {names}")
    _followers[:] = followers


def installed() -> list[str]:
    return [name for name, _ in _followers]


def follow(uow: UnitOfWork, *, instance: ProcessInstance, case: Any, result: StepResult,
           actor_id: int | None) -> Step:
    """Run every follower on the step, in order; the step (with what the followers noted) is returned."""
    if not _followers:
        # Without followers a step would change the engine and nothing of ours: refuse loudly instead.
        raise RuntimeError("Ingen efterfølgere er installeret: kald service.bootstrap.configure_engine() ved opstart.")
    step = Step(instance, case, result, actor_id)
    # One flush at commit for everything the followers write, instead of one before each of their few queries.
    with uow.session.no_autoflush:
        for _name, follower in _followers:
            follower(uow, step)
    return step
