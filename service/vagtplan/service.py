"""Duty rota: team leaders plan who is on duty; escalations and breach notices go to that person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select

from service import clock
from service.access.models import User
from service.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from service.uow import UnitOfWork
from service.vagtplan.models import Vagt

MAX_SHIFT = timedelta(days=14)


def _on_shift(team_id: int, at: datetime) -> Any:
    return (select(Vagt.user_id).join(User, User.id == Vagt.user_id)
            .where(Vagt.team_id == team_id, Vagt.starts_at <= at, Vagt.ends_at > at, User.active.is_(True))
            .order_by(Vagt.starts_at.desc()).limit(1).scalar_subquery())


def on_duty(uow: UnitOfWork, team_id: int, at: datetime | None = None) -> User | None:
    """The active team leader on duty for the team at `at` (now), if the rota names one."""
    if at is None:
        return team_leaders(uow, team_id).on_duty
    return uow.session.scalar(select(User).where(User.id == _on_shift(team_id, at)))


@dataclass(frozen=True)
class TeamLeaders:
    active: list[User]  # the team's active team leaders
    on_duty: User | None


def team_leaders(uow: UnitOfWork, team_id: int) -> TeamLeaders:
    """The team's active team leaders and who is on duty now, in one query, once per transaction: a breach
    asks for both (who gets the escalation, who gets the notice and its e-mail)."""
    def load() -> TeamLeaders:
        shift = _on_shift(team_id, clock.now())
        rows = uow.session.execute(select(User, User.id == shift).where(User.active.is_(True), or_(
            (User.team_id == team_id) & (User.role == "teamleder"), User.id == shift))).all()
        return TeamLeaders([u for u, _ in rows if u.team_id == team_id and u.role == "teamleder"],
                           next((u for u, duty in rows if duty), None))
    return uow.memo(("team_leaders", team_id), load)


def shifts(uow: UnitOfWork, user: User, *, since: datetime | None = None) -> list[Vagt]:
    """The team's current and coming shifts (and those ended after `since`)."""
    if user.team_id is None:
        return []
    since = since or clock.now()
    return list(uow.session.scalars(select(Vagt).where(Vagt.team_id == user.team_id, Vagt.ends_at > since)
                                    .order_by(Vagt.starts_at)))


def plan_shift(uow: UnitOfWork, actor: User, data: dict[str, Any]) -> Vagt:
    """A team leader puts a team leader of the same team on duty; shifts may not overlap."""
    if actor.role != "teamleder" or actor.team_id is None:
        raise Forbidden("Kun en teamleder kan lægge vagtplanen for sit team.")
    starts, ends = data["starts_at"], data["ends_at"]
    problems = []
    leader = uow.session.get(User, data["user_id"])
    if leader is None or not leader.active or leader.role != "teamleder" or leader.team_id != actor.team_id:
        problems.append(FieldError("bruger_id", "Vagten skal have en aktiv teamleder fra dit team."))
    if ends <= starts:
        problems.append(FieldError("slut", "Vagten skal slutte efter den begynder."))
    elif ends - starts > MAX_SHIFT:
        problems.append(FieldError("slut", "En vagt kan højst vare 14 dage; del den op."))
    if ends <= clock.now():
        problems.append(FieldError("slut", "Vagten er allerede slut."))
    if problems:
        raise ValidationFailed("Vagten kan ikke lægges ind.", problems)
    clash = uow.session.scalar(select(Vagt).where(Vagt.team_id == actor.team_id, Vagt.starts_at < ends,
                                                  Vagt.ends_at > starts).limit(1))
    if clash is not None:
        raise Conflict(f"Vagten overlapper en anden vagt ({clash.user.full_name}, "
                       f"{clash.starts_at:%d.%m.%Y %H:%M}–{clash.ends_at:%d.%m.%Y %H:%M} UTC).")
    shift = Vagt(team_id=actor.team_id, user_id=leader.id, starts_at=starts, ends_at=ends, note=data.get("note"),
                 created_by=actor.id, created_at=clock.now())
    uow.session.add(shift)
    uow.session.flush()
    return shift


def cancel_shift(uow: UnitOfWork, actor: User, shift_id: int) -> None:
    shift = uow.session.scalar(select(Vagt).where(Vagt.id == shift_id).with_for_update(of=Vagt))
    if shift is None or shift.team_id != actor.team_id:
        raise NotFound("Vagten findes ikke.")
    if actor.role != "teamleder":
        raise Forbidden("Kun en teamleder kan ændre vagtplanen.")
    if shift.ends_at <= clock.now():
        raise Conflict("En afsluttet vagt kan ikke slettes; den er en del af historikken.")
    if shift.starts_at <= clock.now():  # an ongoing shift ends now rather than disappearing from the record
        shift.ends_at = clock.now()
    else:
        uow.session.delete(shift)
