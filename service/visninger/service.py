"""Saved views: a user's named filters of a list, her own or shared with her team (like Camunda's filters)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from service import clock
from service.access.models import User
from service.errors import FieldError, Forbidden, NotFound, ValidationFailed
from service.uow import UnitOfWork
from service.visninger.models import Visning

LISTS = ("opgaver", "sager")


def visible(uow: UnitOfWork, user: User, liste: str | None = None) -> list[Visning]:
    """Her own views and those her team shares, her own first, then by name."""
    stmt = select(Visning).where(or_(Visning.owner_id == user.id,
                                     (Visning.team_id == user.team_id) & Visning.shared.is_(True)))
    if liste:
        stmt = stmt.where(Visning.liste == liste)
    return sorted(uow.session.scalars(stmt), key=lambda v: (v.owner_id != user.id, v.name.lower(), v.id))


def get(uow: UnitOfWork, user: User, visning_id: int) -> Visning:
    view = uow.session.get(Visning, visning_id)
    if view is None or not (view.owner_id == user.id or (view.shared and view.team_id == user.team_id)):
        raise NotFound("Visningen findes ikke.")
    return view


LONGEST_NAME = 80  # the column's length


def save(uow: UnitOfWork, user: User, *, liste: str, name: str, filter: dict[str, Any], shared: bool) -> Visning:
    """Save or overwrite her view of that name; a CPR search is never kept (the filter is checked by the caller)."""
    name = name.strip()
    if not name:
        raise ValidationFailed("Visningen kan ikke gemmes.", [FieldError("navn", "Giv visningen et navn.")])
    if len(name) > LONGEST_NAME:
        raise ValidationFailed("Visningen kan ikke gemmes.", [FieldError("navn", f"Højst {LONGEST_NAME} tegn.")])
    if shared and user.team_id is None:
        raise ValidationFailed("Visningen kan ikke deles.", [FieldError("delt", "Du hører ikke til et team.")])
    view = uow.session.scalar(select(Visning).where(Visning.owner_id == user.id, Visning.liste == liste,
                                                    Visning.name == name))
    if view is None:
        view = Visning(owner_id=user.id, liste=liste, name=name, created_at=clock.now())
        uow.session.add(view)
    view.team_id, view.filter, view.shared = user.team_id, filter, shared
    return view


def delete(uow: UnitOfWork, user: User, visning_id: int) -> None:
    view = get(uow, user, visning_id)
    if view.owner_id != user.id:
        raise Forbidden("Kun den, der har gemt visningen, kan slette den.")
    uow.session.delete(view)


