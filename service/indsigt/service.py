"""Indsigt i adgangsloggen: for one child (CPR), every read and write of its cases, who and when (domain.md §7);
for a parent or guardian, of the cases where the person is registered as a party.

A team leader answers for his own team's cases, an administrator for all; a caseworker does not give
indsigt. The lookup reads the cases' journal, so it is itself journalled on every case it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from service.access.models import Team, User
from service.cases import cpr as cprs
from service.cases.models import Case
from service.errors import FieldError, Forbidden, NotFound, ValidationFailed
from service.journal import service as journal
from service.journal.models import JournalEntry
from service.parter.models import Part
from service.uow import UnitOfWork

ROLES = ("teamleder", "admin")
ACTION = "indsigt_givet"


@dataclass(frozen=True)
class Adgang:
    at: datetime
    sagsnummer: str
    action: str
    title: str
    actor: str  # name and user name, or "Systemet" for the engine and timers
    actor_role: str | None


@dataclass(frozen=True)
class Indsigt:
    cpr_masked: str
    cases: list[tuple[Case, str]]  # the case and its team's name
    entries: list[Adgang]  # newest first


def may_give_indsigt(user: User) -> bool:
    return user.role in ROLES


def access_log(uow: UnitOfWork, user: User, raw_cpr: str) -> Indsigt:
    """Every journal entry of the child's cases the user may answer for; 404 when there are none."""
    if not may_give_indsigt(user):
        raise Forbidden("Kun teamledere og administratorer kan give indsigt i, hvem der har set et barns sag.")
    try:
        cpr = cprs.normalise(raw_cpr)
    except cprs.InvalidCpr as err:
        raise ValidationFailed("Indsigten kan ikke slås op.", [FieldError("cpr", str(err))]) from err
    # The child's own cases, and those where the person is (or was) registered as a party: a parent asks too.
    as_party = select(Part.case_id).where(Part.cpr == cpr)
    stmt = select(Case, Team.navn).join(Team, Team.id == Case.team_id).where(or_(Case.cpr == cpr,
                                                                                 Case.id.in_(as_party)))
    if user.role != "admin":  # need-to-know: a team leader answers for his own team's cases only
        stmt = stmt.where(Case.team_id == user.team_id)
    cases = [(case, team) for case, team in uow.session.execute(stmt.order_by(Case.opened_at))]
    if not cases:
        # The same answer whether the child is unknown or another team's: existence is need-to-know too.
        raise NotFound("Der er ingen sager om dette CPR-nummer, som du kan give indsigt i.")
    numbers = {case.id: case.sagsnummer for case, _ in cases}
    rows = uow.session.execute(
        select(JournalEntry.at, JournalEntry.case_id, JournalEntry.action, JournalEntry.title,
               User.full_name, User.username, User.role)
        .outerjoin(User, User.id == JournalEntry.actor_id)
        .where(JournalEntry.case_id.in_(numbers))
        .order_by(JournalEntry.at.desc(), JournalEntry.id.desc()))
    entries = [Adgang(at=at, sagsnummer=numbers[case_id], action=action, title=title,
                      actor=f"{name} ({username})" if username else "Systemet", actor_role=role)
               for at, case_id, action, title, name, username, role in rows]
    for case, _ in cases:  # recorded after reading, so this lookup shows in the next one
        journal.record(uow, case_id=case.id, actor_id=user.id, action=ACTION,
                       title="Indsigt i sagens adgangslog er givet")
    return Indsigt(cprs.mask(cpr), cases, entries)
