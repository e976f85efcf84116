"""The individual contract per child (seed 002), made when the iværksættelse task is completed."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, select

from service import clock
from service.access.models import User
from service.cases.models import Case
from service.errors import FieldError, ValidationFailed
from service.indsatsvifte.models import IndividuelKontrakt, Indsats, Leverandoer, Standardkontrakt
from service.journal import service as journal
from service.uow import UnitOfWork

_REFUSED = "Indsatsen kan ikke iværksættes."
EMPTY_CATALOGUE = ("Indsatsviften er tom: kommunens indsatser, leverandører og standardkontrakter er ikke indlæst "
                   "endnu, så der er intet at vælge. Bed en administrator om at indlæse indsatsviften "
                   "(«sagsflow indsatsvifte importer»); opgaven venter imens.")


def catalogue_ready(uow: UnitOfWork) -> bool:
    """Whether a caseworker can start any measure: an active measure with a contracted, active provider."""
    return uow.session.scalar(
        select(Standardkontrakt.id).join(Indsats, Indsats.id == Standardkontrakt.indsats_id)
        .join(Leverandoer, Leverandoer.id == Standardkontrakt.leverandoer_id)
        .where(Indsats.aktiv.is_(True), Leverandoer.aktiv.is_(True)).limit(1)) is not None


def require_catalogue(uow: UnitOfWork, *, form: dict[str, Any]) -> None:
    """Before the form is checked: with nothing to choose, the caseworker is told why, not «skal udfyldes»."""
    if "indsats_kode" in form.get("properties", {}) and not catalogue_ready(uow):
        raise ValidationFailed(_REFUSED, [FieldError("indsats_kode", EMPTY_CATALOGUE)])


def _by_kode(uow: UnitOfWork, model: type[Indsats] | type[Leverandoer], kode: str) -> Any:
    return uow.session.scalar(select(model).where(model.kode == kode))


def chosen_standardkontrakt(uow: UnitOfWork, data: dict[str, Any]) -> Standardkontrakt:
    """The standard contract the chosen measure and provider work under on the start date, or a 422."""
    return _chosen(uow, data)[0]


def _chosen(uow: UnitOfWork, data: dict[str, Any]) -> tuple[Standardkontrakt, Indsats, Leverandoer]:
    # The measure, the provider and their contract in one statement; only when one of them is unknown are they
    # looked up one by one, to say which.
    found = uow.session.execute(
        select(Indsats, Leverandoer, Standardkontrakt).select_from(Indsats)
        .join(Leverandoer, Leverandoer.kode == data["leverandoer_kode"])
        .outerjoin(Standardkontrakt, and_(Standardkontrakt.indsats_id == Indsats.id,
                                          Standardkontrakt.leverandoer_id == Leverandoer.id))
        .where(Indsats.kode == data["indsats_kode"])).first()
    if found is not None:
        indsats, leverandoer, contract = found
    else:
        indsats = _by_kode(uow, Indsats, data["indsats_kode"])
        leverandoer = _by_kode(uow, Leverandoer, data["leverandoer_kode"])
        contract = None
    errors = []
    if indsats is None:
        errors.append(FieldError("indsats_kode", f"Indsatsen «{data['indsats_kode']}» findes ikke i indsatsviften."))
    elif not indsats.aktiv:
        errors.append(FieldError("indsats_kode", f"Indsatsen «{indsats.navn}» tilbydes ikke længere."))
    if leverandoer is None:
        errors.append(FieldError("leverandoer_kode", f"Leverandøren «{data['leverandoer_kode']}» findes ikke."))
    elif not leverandoer.aktiv:
        errors.append(FieldError("leverandoer_kode", f"Leverandøren «{leverandoer.navn}» er ikke længere aktiv."))
    if errors:
        raise ValidationFailed(_REFUSED, errors)
    start = date.fromisoformat(data["startdato"])
    if contract is None:
        raise ValidationFailed(_REFUSED, [FieldError(
            "leverandoer_kode", f"«{leverandoer.navn}» har ingen standardkontrakt om «{indsats.navn}».")])
    if start < contract.gyldig_fra or (contract.gyldig_til is not None and start > contract.gyldig_til):
        period = f"{contract.gyldig_fra:%d-%m-%Y}–{contract.gyldig_til:%d-%m-%Y}" if contract.gyldig_til \
            else f"fra {contract.gyldig_fra:%d-%m-%Y}"
        raise ValidationFailed(_REFUSED, [FieldError(
            "startdato", f"Standardkontrakten med «{leverandoer.navn}» gælder ikke på startdatoen ({period}).")])
    return contract, indsats, leverandoer


def create_at_ivaerksaettelse(uow: UnitOfWork, *, actor: User, case: Case, task_id: str,
                              data: dict[str, Any]) -> IndividuelKontrakt | None:
    if "indsats_kode" not in data:
        return None  # a case on a process version from before the indsatsvifte: its form has no measure
    standard, indsats, leverandoer = _chosen(uow, data)
    antal, pr = _units(data, standard.prisenhed)
    contract = IndividuelKontrakt(  # with the rows just read, so the journal line below reads none of them again
        id=str(uuid.uuid4()), case_id=case.id, standardkontrakt_id=standard.id, indsats=indsats,
        leverandoer=leverandoer, task_id=task_id, maal=data["maal"], omfang=data["omfang"],
        hyppighed=data["hyppighed"], startdato=date.fromisoformat(data["startdato"]),
        forventet_varighed_maaneder=data["forventet_varighed_maaneder"], opfoelgning=data["opfoelgning_aftalt"],
        saerlige_aftaler_oekonomi=data.get("saerlige_aftaler_oekonomi"), pris=standard.pris,
        prisenhed=standard.prisenhed, antal_enheder=antal, enheder_pr=pr, oprettet=clock.now(), oprettet_af=actor.id)
    uow.session.add(contract)
    uow.session.flush()
    journal.record(uow, case_id=case.id, actor_id=actor.id, action="kontrakt_oprettet", task_id=task_id,
                   title=f"Individuel kontrakt: {contract.indsats.navn} hos {contract.leverandoer.navn}",
                   data={"kontrakt_id": contract.id, "standardkontrakt_id": standard.id,
                         "indsats": contract.indsats.kode, "leverandoer": contract.leverandoer.kode})
    return contract


def _units(data: dict[str, Any], prisenhed: str) -> tuple[Decimal | None, str | None]:
    """Units per period for the expected cost (service/oekonomi/): both or neither; a price for the whole course
    needs none (one course)."""
    antal, pr = data.get("antal_enheder"), data.get("enheder_pr")
    if antal is None and pr is None:
        return (Decimal(1), "forloeb") if prisenhed == "forløb" else (None, None)
    if antal is None or pr is None:
        missing = "antal_enheder" if antal is None else "enheder_pr"
        raise ValidationFailed(_REFUSED, [FieldError(missing, "Angiv både antal enheder og pr. hvad, eller ingen af "
                                                              "dem.")])
    return Decimal(str(antal)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), pr


def for_case(uow: UnitOfWork, case_id: str) -> list[IndividuelKontrakt]:
    return list(uow.session.scalars(select(IndividuelKontrakt).where(IndividuelKontrakt.case_id == case_id)
                                    .order_by(IndividuelKontrakt.oprettet)))


def for_visible_case(uow: UnitOfWork, user: User, case_id: str) -> list[IndividuelKontrakt]:
    from service.cases.service import readable_case  # cases → inbox → case_documents → here: import at use
    case = readable_case(uow, user, case_id)
    journal.record(uow, case_id=case.id, actor_id=user.id, action="laest", title="Sagens kontrakter er læst")
    return for_case(uow, case.id)
