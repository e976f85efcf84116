"""Deadline compliance per deadline of the catalogue, for a team and a period (ledelsesinformation).

Every deadline in the models is a timer row, and the row says how it ended: met (its task finished first),
breached (the timer fired), or still open. So the share met on time needs no extra bookkeeping: it is
counted from the same rows that enforce the deadlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from service import clock
from service.access.models import User
from service.deadlines import catalogue
from service.deadlines.calendar import COPENHAGEN
from service.deadlines.models import FIRED, GONE, OPEN, Timer
from service.errors import FieldError, Forbidden, ValidationFailed
from service.uow import UnitOfWork

LONGEST_PERIOD = timedelta(days=3 * 366)


@dataclass(frozen=True)
class DeadlineCompliance:
    frist: str
    navn: str
    hjemmel: str
    maal: int | None  # the municipality's target share (%), from the catalogue
    overholdt: int  # its task finished before the deadline
    overskredet: int  # the deadline passed first (fired, or due and not yet fired)
    afventer: int  # falls due in the period but later than now

    @property
    def afgjort(self) -> int:
        return self.overholdt + self.overskredet

    @property
    def andel(self) -> float | None:
        """Share met on time (%), of the deadlines already decided; None when none is."""
        return round(100 * self.overholdt / self.afgjort, 1) if self.afgjort else None

    @property
    def maal_naaet(self) -> bool | None:
        return None if self.maal is None or self.andel is None else self.andel >= self.maal


@dataclass(frozen=True)
class ComplianceReport:
    fra: date
    til: date
    frister: list[DeadlineCompliance]


def check_period(fra: date, til: date) -> None:
    problems = []
    if til < fra:
        problems.append(FieldError("til", "«Til» skal være samme dag som eller efter «fra»."))
    elif til - fra > LONGEST_PERIOD:
        problems.append(FieldError("til", "Perioden kan højst være 3 år."))
    if problems:
        raise ValidationFailed("Perioden er ugyldig.", problems)


def deadline_compliance(uow: UnitOfWork, user: User, *, fra: date, til: date) -> ComplianceReport:
    """Deadlines of the user's team falling due from `fra` to `til` (both included, Danish dates), per deadline."""
    if user.role != "teamleder" or user.team_id is None:
        raise Forbidden("Kun en teamleder kan se teamets ledelsesinformation.")
    check_period(fra, til)
    start = datetime.combine(fra, time(), COPENHAGEN)
    end = datetime.combine(til + timedelta(days=1), time(), COPENHAGEN)
    now = clock.now()
    late = (Timer.status == FIRED) | ((Timer.status == OPEN) & (Timer.due_at <= now))
    rows = uow.session.execute(
        select(Timer.deadline_id,
               func.count().filter(Timer.status == GONE),
               func.count().filter(late),
               func.count().filter((Timer.status == OPEN) & (Timer.due_at > now)))
        .where(Timer.team_id == user.team_id, Timer.kind == "frist", Timer.due_at >= start, Timer.due_at < end)
        .group_by(Timer.deadline_id)).all()
    counts = {deadline_id: (met, breached, pending) for deadline_id, met, breached, pending in rows}
    rules = catalogue.current().rules
    # Legal deadlines and those with a target always show, also with nothing in the period; a catalogue
    # entry that is no caseworker deadline (the citizen's klagefrist) has no breach timers, so it does not.
    report = [DeadlineCompliance(rule.id, rule.navn, rule.hjemmel, rule.target, *counts.get(rule.id, (0, 0, 0)))
              for rule in rules.values()
              if rule.target is not None or rule.id in catalogue.LEGAL_LIMITS or rule.id in counts]
    # A deadline no longer in the catalogue still has its history.
    report += [DeadlineCompliance(deadline_id, deadline_id, "", None, *numbers)
               for deadline_id, numbers in counts.items() if deadline_id not in rules and deadline_id is not None]
    return ComplianceReport(fra, til, report)
