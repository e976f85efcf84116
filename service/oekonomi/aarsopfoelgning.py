"""The yearly review against the budget (seed 001: «Modsvares budget af forbrug?»; seed 000: measures evaluated
«i forhold til økonomi»): per team and measure type the budget, the expected cost of the contracts running in the
year, the payments made in it, and the deviations.

Expected cost counts a case under its team now; a payment counts under the team the case had when it was paid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from service.access.models import Team, User
from service.cases.models import Case
from service.indsatsvifte.models import IndividuelKontrakt, Indsats
from service.ledelsesinformation.service import scope
from service.oekonomi import budget as budgets
from service.oekonomi.beregning import aarets_vindue, add_months, forventet_oere
from service.oekonomi.models import Betaling
from service.oekonomi.sag import grundlag
from service.uow import UnitOfWork

_LONGEST_MONTHS = 216  # the form's longest expected duration: an older contract cannot reach into the year


@dataclass
class Linje:
    team_id: int
    team: str
    indsats_id: int
    indsats: str
    budget_oere: int | None = None
    forventet_oere: int = 0
    betalt_oere: int = 0
    kontrakter: int = 0
    uden_grundlag: int = 0  # contracts in the year whose expected cost cannot be computed

    @property
    def afvigelse_oere(self) -> int | None:
        """Paid minus budget: above zero, the year's spending is over budget."""
        return None if self.budget_oere is None else self.betalt_oere - self.budget_oere

    @property
    def forventet_afvigelse_oere(self) -> int | None:
        """Expected minus budget: what the contracts lead one to expect for the whole year."""
        return None if self.budget_oere is None else self.forventet_oere - self.budget_oere


@dataclass
class Aarsopfoelgning:
    aar: int
    team_id: int | None
    linjer: list[Linje] = field(default_factory=list)

    def i_alt(self, linjer: list[Linje] | None = None) -> Linje:
        rows = self.linjer if linjer is None else linjer
        total = Linje(0, "I alt", 0, "I alt", forventet_oere=sum(r.forventet_oere for r in rows),
                      betalt_oere=sum(r.betalt_oere for r in rows), kontrakter=sum(r.kontrakter for r in rows),
                      uden_grundlag=sum(r.uden_grundlag for r in rows))
        if any(r.budget_oere is not None for r in rows):
            total.budget_oere = sum(r.budget_oere or 0 for r in rows)
        return total

    def teams(self) -> list[tuple[str, list[Linje], Linje]]:
        grouped: dict[int, list[Linje]] = {}
        for row in self.linjer:
            grouped.setdefault(row.team_id, []).append(row)
        return [(rows[0].team, rows, self.i_alt(rows)) for rows in grouped.values()]


def review(uow: UnitOfWork, user: User, *, aar: int, team_id: int | None = None) -> Aarsopfoelgning:
    """A team leader's own team; a head of department every team or the one chosen (as the other MI pages)."""
    team = scope(user, team_id)
    start, end = aarets_vindue(aar)
    rows: dict[tuple[int, int], Linje] = {}
    names = {t.id: t.navn for t in uow.session.scalars(select(Team))}
    measures = {i.id: i.navn for i in uow.session.scalars(select(Indsats))}

    def row(team_key: int, indsats_key: int) -> Linje:
        key = (team_key, indsats_key)
        if key not in rows:
            rows[key] = Linje(team_key, names.get(team_key, str(team_key)), indsats_key,
                              measures.get(indsats_key, str(indsats_key)))
        return rows[key]

    for b in budgets.for_year(uow, aar=aar, team_id=team):
        row(b.team_id, b.indsats_id).budget_oere = b.beloeb_oere
    contracts = select(IndividuelKontrakt, Case.team_id).join(Case, Case.id == IndividuelKontrakt.case_id).where(
        IndividuelKontrakt.startdato < end, IndividuelKontrakt.startdato >= add_months(start, -_LONGEST_MONTHS))
    if team is not None:
        contracts = contracts.where(Case.team_id == team)
    for contract, team_key in uow.session.execute(contracts):
        basis = grundlag(contract)
        if basis.slutdato <= start:
            continue
        line = row(team_key, contract.indsats_id)
        line.kontrakter += 1
        expected = forventet_oere(basis, start, end)
        if expected is None:
            line.uden_grundlag += 1
        else:
            line.forventet_oere += expected
    paid = select(Betaling.team_id, Betaling.indsats_id, func.sum(Betaling.beloeb_oere)).where(
        Betaling.betalingsdato >= start, Betaling.betalingsdato < end).group_by(Betaling.team_id, Betaling.indsats_id)
    if team is not None:
        paid = paid.where(Betaling.team_id == team)
    for team_key, indsats_key, total in uow.session.execute(paid):
        row(team_key, indsats_key).betalt_oere = int(total or 0)
    ordered = sorted(rows.values(), key=lambda r: (r.team.lower(), r.indsats.lower()))
    return Aarsopfoelgning(aar, team, ordered)


def this_year(today: date) -> int:
    return today.year
