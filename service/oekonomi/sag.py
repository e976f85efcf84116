"""Money on one case: each measure's expected cost against what has been paid, and manual payments.

Caseworkers and team leaders of the case's team record payments; whoever may read the case reads its figures
(the read is journalled like any other read of the case).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from service import clock
from service.access.models import User
from service.cases.models import Case
from service.deadlines.calendar import COPENHAGEN
from service.errors import FieldError, NotFound, ValidationFailed
from service.indsatsvifte.models import IndividuelKontrakt
from service.journal import service as journal
from service.oekonomi.beloeb import kroner
from service.oekonomi.beregning import PERIODER, Grundlag, forventet_oere, til_og_med
from service.oekonomi.models import Betaling
from service.uow import UnitOfWork


def today() -> date:
    return clock.now().astimezone(COPENHAGEN).date()


def grundlag(kontrakt: IndividuelKontrakt) -> Grundlag:
    return Grundlag(pris=kontrakt.pris, antal_enheder=kontrakt.antal_enheder, enheder_pr=kontrakt.enheder_pr,
                    startdato=kontrakt.startdato, varighed_maaneder=kontrakt.forventet_varighed_maaneder)


@dataclass(frozen=True)
class Indsatsoekonomi:
    """One measure (individual contract) on the case: expected and paid."""

    kontrakt: IndividuelKontrakt
    slutdato: date
    forventet_oere: int | None  # the whole contract period
    forventet_til_dato_oere: int | None  # from the start up to and including today
    betalt_oere: int

    @property
    def afvigelse_oere(self) -> int | None:
        """Paid minus expected so far: above zero, more has been paid than the contract leads one to expect."""
        return None if self.forventet_til_dato_oere is None else self.betalt_oere - self.forventet_til_dato_oere

    @property
    def grundlag_mangler(self) -> str | None:
        if self.forventet_oere is not None:
            return None
        return ("Kontrakten angiver ikke antal enheder og hyppighed, så den forventede udgift kan ikke beregnes. "
                "Angiv dem under sagens økonomi.")


@dataclass(frozen=True)
class Sagsoekonomi:
    case: Case
    indsatser: list[Indsatsoekonomi]
    betalinger: list[Betaling]

    @property
    def forventet_oere(self) -> int:
        return sum(i.forventet_oere or 0 for i in self.indsatser)

    @property
    def betalt_oere(self) -> int:
        return sum(i.betalt_oere for i in self.indsatser)


def figures(uow: UnitOfWork, case: Case) -> Sagsoekonomi:
    """The case's figures, without journalling a read (the caller has: the case page, the API)."""
    contracts = list(uow.session.scalars(select(IndividuelKontrakt).where(IndividuelKontrakt.case_id == case.id)
                                         .order_by(IndividuelKontrakt.oprettet)))
    payments = list(uow.session.scalars(select(Betaling).where(Betaling.case_id == case.id)
                                        .order_by(Betaling.betalingsdato.desc(), Betaling.id.desc())))
    paid: dict[str, int] = {}
    for payment in payments:
        paid[payment.kontrakt_id] = paid.get(payment.kontrakt_id, 0) + payment.beloeb_oere
    end_today = til_og_med(today())
    rows = []
    for contract in contracts:
        basis = grundlag(contract)
        so_far = forventet_oere(basis, basis.startdato, end_today) if end_today > basis.startdato \
            else (0 if basis.kan_beregnes else None)
        rows.append(Indsatsoekonomi(contract, basis.slutdato, forventet_oere(basis), so_far, paid.get(contract.id, 0)))
    return Sagsoekonomi(case, rows, payments)


def for_case(uow: UnitOfWork, user: User, case_id: str) -> Sagsoekonomi:
    from service.cases.service import readable_case  # cases → inbox → … → indsatsvifte: import at use
    case = readable_case(uow, user, case_id)
    journal.record(uow, case_id=case.id, actor_id=user.id, action="laest", title="Sagens økonomi er læst")
    return figures(uow, case)


def _contract_on_case(uow: UnitOfWork, case: Case, kontrakt_id: str) -> IndividuelKontrakt:
    contract = uow.session.get(IndividuelKontrakt, kontrakt_id)
    if contract is None or contract.case_id != case.id:
        raise ValidationFailed("Betalingen kan ikke registreres.", [
            FieldError("kontrakt_id", "Sagen har ingen indsats (individuel kontrakt) med det id.")])
    return contract


def check_payment(beloeb_oere: int, betalingsdato: date) -> list[FieldError]:
    errors = []
    if beloeb_oere == 0:
        errors.append(FieldError("beloeb_oere", "Beløbet kan ikke være 0 kr."))
    if not date(2000, 1, 1) <= betalingsdato <= date(2100, 12, 31):
        errors.append(FieldError("betalingsdato", "Betalingsdatoen skal ligge mellem år 2000 og 2100."))
    return errors


def new_payment(contract: IndividuelKontrakt, case: Case, *, actor: User, beloeb_oere: int, betalingsdato: date,
                tekst: str | None, kilde: str, ekstern_id: str | None = None,
                import_id: int | None = None) -> Betaling:
    return Betaling(case_id=case.id, kontrakt_id=contract.id, team_id=case.team_id, indsats_id=contract.indsats_id,
                    betalingsdato=betalingsdato, beloeb_oere=beloeb_oere, tekst=tekst, kilde=kilde,
                    ekstern_id=ekstern_id, import_id=import_id, oprettet=clock.now(), oprettet_af=actor.id)


def register_payment(uow: UnitOfWork, user: User, case_id: str, data: dict[str, Any]) -> Betaling:
    """A payment recorded by hand (caseworker or team leader of the case's team), journalled on the case."""
    from service.cases.service import visible_case
    case = visible_case(uow, user, case_id)
    errors = check_payment(data["beloeb_oere"], data["betalingsdato"])
    if errors:
        raise ValidationFailed("Betalingen kan ikke registreres.", errors)
    contract = _contract_on_case(uow, case, data["kontrakt_id"])
    payment = new_payment(contract, case, actor=user, beloeb_oere=data["beloeb_oere"],
                          betalingsdato=data["betalingsdato"], tekst=data.get("tekst"), kilde="manuel")
    uow.session.add(payment)
    uow.session.flush()
    journal.record(uow, case_id=case.id, actor_id=user.id, action="betaling_registreret",
                   title=f"Betaling registreret: {kroner(payment.beloeb_oere)} for {contract.indsats.navn} "
                         f"({payment.betalingsdato:%d.%m.%Y})",
                   data={"betaling_id": payment.id, "kontrakt_id": contract.id, "beloeb_oere": payment.beloeb_oere})
    return payment


def set_units(uow: UnitOfWork, user: User, case_id: str, kontrakt_id: str, *, antal_enheder: Decimal,
              enheder_pr: str) -> IndividuelKontrakt:
    """Units and frequency on a contract that has none (made before they were asked), or corrected."""
    from service.cases.service import visible_case
    case = visible_case(uow, user, case_id)
    contract = uow.session.get(IndividuelKontrakt, kontrakt_id)
    if contract is None or contract.case_id != case.id:
        raise NotFound("Sagen har ingen indsats (individuel kontrakt) med det id.")
    if enheder_pr not in PERIODER:
        raise ValidationFailed("Kontrakten er ikke ændret.", [FieldError("enheder_pr", "Ukendt hyppighed.")])
    before = (str(contract.antal_enheder) if contract.antal_enheder is not None else None, contract.enheder_pr)
    contract.antal_enheder, contract.enheder_pr = antal_enheder, enheder_pr
    uow.session.flush()
    journal.record(uow, case_id=case.id, actor_id=user.id, action="kontrakt_omfang_aendret",
                   title=f"Antal enheder på kontrakten om {contract.indsats.navn}: {antal_enheder} "
                         f"{contract.prisenhed} {PERIODER[enheder_pr]}",
                   data={"kontrakt_id": contract.id, "foer": list(before),
                         "efter": [str(antal_enheder), enheder_pr]})
    return contract

