"""Teams as an administrator manages them: create, rename, deactivate and reactivate (never deleted)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from service.access.models import Team, User
from service.brugere import changes
from service.brugere.changes import Actor
from service.cases.models import OPEN, Case
from service.errors import FieldError, NotFound, ValidationFailed
from service.uow import UnitOfWork


@dataclass(frozen=True)
class TeamRow:
    team: Team
    members: int  # active users in the team
    open_cases: int


def list_teams(uow: UnitOfWork, *, include_inactive: bool = True) -> list[TeamRow]:
    members = dict(uow.session.execute(select(User.team_id, func.count()).where(User.active.is_(True))
                                       .group_by(User.team_id)).all())
    cases = dict(uow.session.execute(select(Case.team_id, func.count()).where(Case.status == OPEN)
                                     .group_by(Case.team_id)).all())
    stmt = select(Team).order_by(Team.active.desc(), Team.navn)
    if not include_inactive:
        stmt = stmt.where(Team.active.is_(True))
    return [TeamRow(t, members.get(t.id, 0), cases.get(t.id, 0)) for t in uow.session.scalars(stmt)]


def get_team(uow: UnitOfWork, team_id: int) -> Team:
    team = uow.session.get(Team, team_id)
    if team is None:
        raise NotFound("Teamet findes ikke.")
    return team


def by_name(uow: UnitOfWork, name: str) -> Team:
    team = uow.session.scalar(select(Team).where(func.lower(Team.navn) == name.strip().lower()))
    if team is None:
        raise NotFound(f"Teamet «{name}» findes ikke.")
    return team


def _checked_name(uow: UnitOfWork, name: object, team_id: int | None) -> str:
    navn = " ".join(name.split()) if isinstance(name, str) else ""
    if not navn or len(navn) > 120:
        raise ValidationFailed("Teamet kan ikke gemmes.", [FieldError("navn", "Skriv teamets navn (højst 120 tegn).")])
    clash = uow.session.scalar(select(Team.id).where(func.lower(Team.navn) == navn.lower(), Team.id != (team_id or -1)))
    if clash is not None:
        raise ValidationFailed("Teamet kan ikke gemmes.",
                               [FieldError("navn", f"Der findes allerede et team ved navn «{navn}».")])
    return navn


def create_team(uow: UnitOfWork, actor: Actor, name: object) -> Team:
    team = Team(navn=_checked_name(uow, name, None), active=True)
    uow.session.add(team)
    uow.session.flush()
    changes.record(uow, actor, action="team_oprettet", team_id=team.id, summary=f"Team «{team.navn}» oprettet")
    return team


def rename_team(uow: UnitOfWork, actor: Actor, team_id: int, name: object) -> Team:
    team = get_team(uow, team_id)
    navn = _checked_name(uow, name, team.id)
    if navn != team.navn:
        changes.record(uow, actor, action="team_omdoebt", team_id=team.id,
                       summary=f"Team «{team.navn}» omdøbt til «{navn}»", data={"navn": [team.navn, navn]})
        team.navn = navn
    return team


def deactivate_team(uow: UnitOfWork, actor: Actor, team_id: int) -> Team:
    """Only an empty team is laid down: its people are moved and its open cases closed or moved first."""
    team = get_team(uow, team_id)
    if not team.active:
        return team
    members = uow.session.scalar(select(func.count()).select_from(User).where(
        User.team_id == team.id, User.active.is_(True)))
    cases = uow.session.scalar(select(func.count()).select_from(Case).where(Case.team_id == team.id,
                                                                            Case.status == OPEN))
    problems = []
    if members:
        problems.append(FieldError("aktiv", f"Teamet har {members} aktive brugere. Flyt eller deaktivér dem først."))
    if cases:
        problems.append(FieldError("aktiv", f"Teamet har {cases} åbne sager. De skal afsluttes eller flyttes først."))
    if problems:
        raise ValidationFailed("Teamet kan ikke nedlægges.", problems)
    team.active = False
    changes.record(uow, actor, action="team_nedlagt", team_id=team.id, summary=f"Team «{team.navn}» nedlagt")
    return team


def reactivate_team(uow: UnitOfWork, actor: Actor, team_id: int) -> Team:
    team = get_team(uow, team_id)
    if not team.active:
        team.active = True
        changes.record(uow, actor, action="team_genoprettet", team_id=team.id,
                       summary=f"Team «{team.navn}» genoprettet")
    return team
