"""Managing the indsatsvifte: measures, providers and standard contracts.

Process owners (and admins) write; every logged-in user reads. Changes go to the journal without a
case (the catalogue's own audit trail). Nothing is deleted: a measure or provider is deactivated.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select

from service import clock
from service.access.models import User
from service.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from service.indsatsvifte.models import Indsats, Leverandoer, Standardkontrakt
from service.journal import service as journal
from service.uow import UnitOfWork

WRITER_ROLES = ("procesejer", "admin")
Row = TypeVar("Row", Indsats, Leverandoer, Standardkontrakt)


def require_writer(user: User) -> None:
    if user.role not in WRITER_ROLES:
        raise Forbidden("Kun procesejere og administratorer kan ændre indsatsviften.")


def _audit(uow: UnitOfWork, actor: User, action: str, title: str, row: Any, changes: dict[str, Any]) -> None:
    data = {k: str(v) if v is not None and not isinstance(v, bool | int | str) else v for k, v in changes.items()}
    journal.record(uow, case_id=None, actor_id=actor.id, action=action, title=title,
                   data={"tabel": row.__tablename__, "id": row.id, "felter": data})


def _check_unique(uow: UnitOfWork, model: type[Row], values: dict[str, Any], *, keys: tuple[str, ...],
                  own_id: int | None, label: str) -> None:
    errors = []
    for key in keys:
        if key not in values:
            continue
        other = uow.session.scalar(select(model.id).where(getattr(model, key) == values[key]))
        if other is not None and other != own_id:
            errors.append(FieldError(key, f"Der findes allerede {label} med {key} «{values[key]}»."))
    if errors:
        raise Conflict(f"Der findes allerede {label} med de samme oplysninger.", errors)


def _get(uow: UnitOfWork, model: type[Row], row_id: int, missing: str) -> Row:
    row = uow.session.get(model, row_id)
    if row is None:
        raise NotFound(missing)
    return row


def _apply(row: Any, changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        setattr(row, key, value)


def check_price(values: dict[str, Any]) -> None:
    if (values.get("pris") is None) != (values.get("prisenhed") is None):
        field = "prisenhed" if values.get("pris") is not None else "pris"
        raise ValidationFailed("Pris og prisenhed hører sammen.",
                               [FieldError(field, "Angiv både pris og prisenhed, eller ingen af dem.")])


# --- Indsatser -------------------------------------------------------------------------------------------

def _by_name(uow: UnitOfWork, model: type[Row], include_inactive: bool) -> list[Row]:
    stmt = select(model).order_by(model.navn)
    if not include_inactive:
        stmt = stmt.where(model.aktiv.is_(True))
    return list(uow.session.scalars(stmt))


def _add(uow: UnitOfWork, actor: User, row: Row, data: dict[str, Any], action: str, title: str) -> Row:
    uow.session.add(row)
    uow.session.flush()
    _audit(uow, actor, action, title, row, data)
    return row


def list_indsatser(uow: UnitOfWork, *, include_inactive: bool = False) -> list[Indsats]:
    return _by_name(uow, Indsats, include_inactive)


def get_indsats(uow: UnitOfWork, indsats_id: int) -> Indsats:
    return _get(uow, Indsats, indsats_id, "Indsatsen findes ikke i indsatsviften.")


def create_indsats(uow: UnitOfWork, actor: User, data: dict[str, Any]) -> Indsats:
    require_writer(actor)
    check_price(data)
    _check_unique(uow, Indsats, data, keys=("kode", "navn"), own_id=None, label="en indsats")
    now = clock.now()
    return _add(uow, actor, Indsats(**data, aktiv=True, oprettet=now, aendret=now), data, "indsats_oprettet",
                f"Indsatsen «{data['navn']}» er oprettet i indsatsviften")


def update_indsats(uow: UnitOfWork, actor: User, indsats_id: int, changes: dict[str, Any]) -> Indsats:
    require_writer(actor)
    row = get_indsats(uow, indsats_id)
    check_price({"pris": row.pris, "prisenhed": row.prisenhed, **changes})
    _check_unique(uow, Indsats, changes, keys=("navn",), own_id=row.id, label="en indsats")
    _apply(row, changes)
    row.aendret = clock.now()
    uow.session.flush()
    action = "indsats_deaktiveret" if changes.get("aktiv") is False else "indsats_aendret"
    _audit(uow, actor, action, f"Indsatsen «{row.navn}» er ændret", row, changes)
    return row


# --- Leverandører ----------------------------------------------------------------------------------------

def list_leverandoerer(uow: UnitOfWork, *, include_inactive: bool = False) -> list[Leverandoer]:
    return _by_name(uow, Leverandoer, include_inactive)


def get_leverandoer(uow: UnitOfWork, leverandoer_id: int) -> Leverandoer:
    return _get(uow, Leverandoer, leverandoer_id, "Leverandøren findes ikke.")


def create_leverandoer(uow: UnitOfWork, actor: User, data: dict[str, Any]) -> Leverandoer:
    require_writer(actor)
    _check_unique(uow, Leverandoer, data, keys=("kode", "navn"), own_id=None, label="en leverandør")
    return _add(uow, actor, Leverandoer(**data, aktiv=True, oprettet=clock.now()), data, "leverandoer_oprettet",
                f"Leverandøren «{data['navn']}» er oprettet")


def update_leverandoer(uow: UnitOfWork, actor: User, leverandoer_id: int, changes: dict[str, Any]) -> Leverandoer:
    require_writer(actor)
    row = get_leverandoer(uow, leverandoer_id)
    _check_unique(uow, Leverandoer, changes, keys=("navn",), own_id=row.id, label="en leverandør")
    _apply(row, changes)
    uow.session.flush()
    _audit(uow, actor, "leverandoer_aendret", f"Leverandøren «{row.navn}» er ændret", row, changes)
    return row


# --- Standardkontrakter ----------------------------------------------------------------------------------

def list_standardkontrakter(uow: UnitOfWork, *, indsats_id: int | None = None,
                            leverandoer_id: int | None = None) -> list[Standardkontrakt]:
    stmt = select(Standardkontrakt).order_by(Standardkontrakt.indsats_id, Standardkontrakt.leverandoer_id)
    if indsats_id is not None:
        stmt = stmt.where(Standardkontrakt.indsats_id == indsats_id)
    if leverandoer_id is not None:
        stmt = stmt.where(Standardkontrakt.leverandoer_id == leverandoer_id)
    return list(uow.session.scalars(stmt))


def get_standardkontrakt(uow: UnitOfWork, kontrakt_id: int) -> Standardkontrakt:
    return _get(uow, Standardkontrakt, kontrakt_id, "Standardkontrakten findes ikke.")


def check_period(values: dict[str, Any]) -> None:
    if values.get("gyldig_til") is not None and values["gyldig_til"] < values["gyldig_fra"]:
        raise ValidationFailed("Kontraktens periode er ugyldig.",
                               [FieldError("gyldig_til", "Slutdatoen kan ikke ligge før startdatoen.")])


def create_standardkontrakt(uow: UnitOfWork, actor: User, data: dict[str, Any]) -> Standardkontrakt:
    require_writer(actor)
    errors = []
    if uow.session.get(Indsats, data["indsats_id"]) is None:
        errors.append(FieldError("indsats_id", "Indsatsen findes ikke i indsatsviften."))
    if uow.session.get(Leverandoer, data["leverandoer_id"]) is None:
        errors.append(FieldError("leverandoer_id", "Leverandøren findes ikke."))
    if errors:
        raise ValidationFailed("Standardkontrakten kan ikke oprettes.", errors)
    check_period(data)
    existing = uow.session.scalar(select(Standardkontrakt.id).where(
        Standardkontrakt.indsats_id == data["indsats_id"], Standardkontrakt.leverandoer_id == data["leverandoer_id"]))
    if existing is not None:
        raise Conflict("Der findes allerede en standardkontrakt med denne leverandør om denne indsats.",
                       [FieldError("leverandoer_id", f"Ret den eksisterende standardkontrakt ({existing}).")])
    return _add(uow, actor, Standardkontrakt(**data, oprettet=clock.now()), data, "standardkontrakt_oprettet",
                "Standardkontrakt oprettet")


def update_standardkontrakt(uow: UnitOfWork, actor: User, kontrakt_id: int,
                            changes: dict[str, Any]) -> Standardkontrakt:
    require_writer(actor)
    row = get_standardkontrakt(uow, kontrakt_id)
    check_period({"gyldig_fra": row.gyldig_fra, "gyldig_til": row.gyldig_til, **changes})
    _apply(row, changes)
    uow.session.flush()
    _audit(uow, actor, "standardkontrakt_aendret", "Standardkontrakt ændret", row, changes)
    return row
