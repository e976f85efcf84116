"""The yearly budget per team and measure type: set by the team's leader (his own team) or an administrator."""

from __future__ import annotations

from sqlalchemy import select

from service import clock
from service.access.models import Team, User
from service.errors import FieldError, Forbidden, ValidationFailed
from service.indsatsvifte.models import Indsats
from service.journal import service as journal
from service.oekonomi.beloeb import MAX_OERE, kroner
from service.oekonomi.models import Budget
from service.uow import UnitOfWork

REFUSED = "Budgettet er ikke gemt."


def require_budget_writer(user: User, team_id: int) -> None:
    if user.role == "admin":
        return
    if user.role != "teamleder" or user.team_id is None:
        raise Forbidden("Kun teamledere og administratorer kan sætte budgetter.")
    if team_id != user.team_id:
        raise Forbidden("En teamleder sætter kun sit eget teams budget.")


def check(uow: UnitOfWork, *, aar: int, team_id: int, indsats_id: int, beloeb_oere: int) -> list[FieldError]:
    errors = []
    if not 2000 <= aar <= 2100:
        errors.append(FieldError("aar", "Året skal ligge mellem 2000 og 2100."))
    if uow.session.get(Team, team_id) is None:
        errors.append(FieldError("team_id", "Teamet findes ikke."))
    if uow.session.get(Indsats, indsats_id) is None:
        errors.append(FieldError("indsats_id", "Indsatsen findes ikke i indsatsviften."))
    if not 0 <= beloeb_oere < MAX_OERE:
        errors.append(FieldError("beloeb_oere", "Budgettet skal være 0 kr. eller mere."))
    return errors


def put(uow: UnitOfWork, actor: User, *, aar: int, team_id: int, indsats_id: int, beloeb_oere: int) -> Budget:
    """Set (or change) the year's budget for a team and a measure type; journalled without a case."""
    require_budget_writer(actor, team_id)
    errors = check(uow, aar=aar, team_id=team_id, indsats_id=indsats_id, beloeb_oere=beloeb_oere)
    if errors:
        raise ValidationFailed(REFUSED, errors)
    row = uow.session.scalar(select(Budget).where(Budget.aar == aar, Budget.team_id == team_id,
                                                  Budget.indsats_id == indsats_id))
    before = row.beloeb_oere if row is not None else None
    if row is None:
        row = Budget(aar=aar, team_id=team_id, indsats_id=indsats_id, beloeb_oere=beloeb_oere,
                     aendret=clock.now(), aendret_af=actor.id)
        uow.session.add(row)
    elif row.beloeb_oere != beloeb_oere:
        row.beloeb_oere, row.aendret, row.aendret_af = beloeb_oere, clock.now(), actor.id
    else:
        return row
    uow.session.flush()
    team = uow.session.get(Team, team_id)
    indsats = uow.session.get(Indsats, indsats_id)
    journal.record(uow, case_id=None, actor_id=actor.id, action="budget_sat",
                   title=f"Budget {aar} for {team.navn if team else team_id}, "
                         f"{indsats.navn if indsats else indsats_id}: {kroner(beloeb_oere)}",
                   data={"aar": aar, "team_id": team_id, "indsats_id": indsats_id, "foer_oere": before,
                         "beloeb_oere": beloeb_oere})
    return row


def for_year(uow: UnitOfWork, *, aar: int, team_id: int | None) -> list[Budget]:
    stmt = select(Budget).where(Budget.aar == aar).order_by(Budget.team_id, Budget.indsats_id)
    if team_id is not None:
        stmt = stmt.where(Budget.team_id == team_id)
    return list(uow.session.scalars(stmt))


def readable(uow: UnitOfWork, user: User, *, aar: int, team_id: int | None) -> list[Budget]:
    """A team leader reads his own team's budgets; a head of department and an administrator every team's."""
    if user.role in ("admin", "afdelingsleder"):
        return for_year(uow, aar=aar, team_id=team_id)
    if user.role != "teamleder" or user.team_id is None:
        raise Forbidden("Kun teamledere, afdelingsledere og administratorer kan se budgetterne.")
    if team_id not in (None, user.team_id):
        raise Forbidden("En teamleder ser kun sit eget teams budget.")
    return for_year(uow, aar=aar, team_id=user.team_id)
