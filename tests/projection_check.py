"""Our projected tables against what the engine waits for: used after every engine step in the tests and
by the fault drills on every running instance."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session


def projection_differences(session: Session, instance_id: str, *, ready: Iterable[str], timers: Iterable[str],
                           messages: Iterable[str]) -> list[str]:
    """Empty when the instance's open tasks, open timers and committee referrals are exactly the engine's."""
    from service.committee.models import COMMITTEES, CommitteeReferral
    from service.committee.service import OPEN_STATES, message_for
    from service.deadlines.models import OPEN as TIMER_OPEN
    from service.deadlines.models import Timer
    from service.inbox.models import OPEN as TASK_OPEN
    from service.inbox.models import HumanTask
    problems = []
    tasks = set(session.scalars(select(HumanTask.id).where(
        HumanTask.instance_id == instance_id, HumanTask.status == TASK_OPEN)))
    if tasks != set(ready):
        problems.append("åbne opgaver ≠ motorens klare brugeropgaver")
    open_timers = set(session.scalars(select(Timer.id).where(
        Timer.instance_id == instance_id, Timer.status == TIMER_OPEN)))
    if open_timers != set(timers):
        problems.append("åbne timere ≠ motorens ventende timere")
    committees = set(session.scalars(select(CommitteeReferral.committee).where(
        CommitteeReferral.instance_id == instance_id, CommitteeReferral.status.in_(OPEN_STATES))))
    awaited = {message_for(c) for c in COMMITTEES}.intersection(messages)
    if {message_for(c) for c in committees} != awaited:
        problems.append("udvalgsliste ≠ motorens ventende beskeder")
    return problems
