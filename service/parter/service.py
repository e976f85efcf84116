"""The parties on a case: read, added (at intake or later), changed, ended; their CPR shown on request and journalled;
the young person's own consent; and who receives a letter.

The child is a party from 10 years (BL § 3), computed from the case's CPR on the day asked (the injected clock).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from service import clock
from service.access import service as access
from service.access.models import User
from service.cases import cpr as cprs
from service.cases.models import Case
from service.errors import FieldError, Forbidden, NotFound, ValidationFailed
from service.journal import service as journal
from service.parter.models import ROLLER, SAMTYKKER, Part, UngSamtykke
from service.uow import UnitOfWork

PART_FRA_ALDER = 10  # BL § 3: a child of 10 is a party
SAMTYKKE_FRA_ALDER = 15  # BL § 46: a young person of 15 consents to a placement too
BOERNEVENLIG_TIL_ALDER = 14  # a party aged 10–14 gets the child-friendly letter where there is one
_REQUIRED = {"rolle": "Vælg mor, far eller værge.", "navn": "Navnet skal udfyldes.",
             "adresse": "Adressen skal udfyldes: brevene sendes dertil."}
CHANGEABLE = ("navn", "adresse", "telefon", "email", "foraeldremyndighed")


def age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def child_age(case: Case, on: date | None = None) -> int:
    return age(cprs.birth_date(case.cpr), on or clock.today())


@dataclass(frozen=True)
class Barnet:
    """The child as a party: from the case itself."""

    navn: str
    alder: int
    er_part: bool
    samtykke: UngSamtykke | None  # the newest, when the child is old enough to give one


@dataclass(frozen=True)
class Parter:
    barn: Barnet
    parter: list[Part]  # in force, in the order added
    ophoerte: list[Part]

    @property
    def foraeldremyndighed(self) -> str:
        """Who has custody: fælles, mor, far or værge; empty when nobody is registered."""
        holders = {p.rolle for p in self.parter if p.foraeldremyndighed}
        if {"mor", "far"} <= holders:
            return "faelles"
        return next((r for r in ("vaerge", "mor", "far") if r in holders), "")


@dataclass(frozen=True)
class Modtager:
    """One recipient of a letter: a custody holder, or the child (`part_id` None) from 10 years."""

    part_id: str | None
    navn: str
    adresse: str
    barn_alder: int | None = None

    @property
    def boernevenlig(self) -> bool:
        return self.barn_alder is not None and self.barn_alder <= BOERNEVENLIG_TIL_ALDER


def _rows(uow: UnitOfWork, case_id: str) -> list[Part]:
    """In the order registered; those registered together (one intake) mother, father, guardian, then by name."""
    rows = uow.session.scalars(select(Part).where(Part.case_id == case_id))
    return sorted(rows, key=lambda p: (p.created_at, list(ROLLER).index(p.rolle), p.navn, p.id))


def latest_consent(uow: UnitOfWork, case_id: str) -> UngSamtykke | None:
    return uow.session.scalar(select(UngSamtykke).where(UngSamtykke.case_id == case_id)
                              .order_by(UngSamtykke.registered_at.desc(), UngSamtykke.id.desc()).limit(1))


def of_case(uow: UnitOfWork, case: Case) -> Parter:
    """The parties without journalling (the caller's read is journalled already, e.g. the case page)."""
    rows = _rows(uow, case.id)
    alder = child_age(case)
    samtykke = latest_consent(uow, case.id) if alder >= SAMTYKKE_FRA_ALDER else None
    return Parter(Barnet(case.child_name, alder, alder >= PART_FRA_ALDER, samtykke),
                  [p for p in rows if p.ophoert_at is None], [p for p in rows if p.ophoert_at is not None])


def read(uow: UnitOfWork, user: User, case_id: str) -> Parter:
    from service.cases.service import readable_case  # cases → inbox → case_documents → letters → here
    case = readable_case(uow, user, case_id)
    journal.record(uow, case_id=case.id, actor_id=user.id, action="laest", title="Sagens parter er læst")
    return of_case(uow, case)


def _writable(uow: UnitOfWork, user: User, case_id: str) -> Case:
    from service.cases.service import visible_case
    if not access.may_do_casework(user):
        raise Forbidden("Kun rådgivere og teamledere kan registrere parter.")
    return visible_case(uow, user, case_id)


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed("Parten kan ikke registreres.", [FieldError(field, message)])


def _check(case: Case, others: list[Part], payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with its CPR normalised; the fields' rules beyond the schema's, each with a Danish message."""
    checked = dict(payload)
    if payload.get("rolle") not in (None, *ROLLER):
        raise _invalid("rolle", "Rollen skal være mor, far eller værge.")
    if payload.get("cpr") is not None:  # an empty number is refused: leave it out when there is none
        try:
            checked["cpr"] = cprs.normalise(payload["cpr"])
        except cprs.InvalidCpr as err:
            raise _invalid("cpr", str(err)) from err
        if checked["cpr"] == case.cpr:
            raise _invalid("cpr", "CPR-nummeret er barnets eget: barnet er part ud fra sagen.")
        if any(p.cpr == checked["cpr"] for p in others if p.ophoert_at is None):
            raise _invalid("cpr", "Der er allerede en part med dette CPR-nummer på sagen.")
    for field in ("navn", "adresse"):
        if field in payload and not (payload[field] or "").strip():
            raise _invalid(field, "Navnet skal udfyldes." if field == "navn"
                           else "Adressen skal udfyldes: brevene sendes dertil.")
    return checked


def add_to(uow: UnitOfWork, actor: User, case: Case, payload: dict[str, Any]) -> Part:
    """Register a party on a case the caller may already write to (the intake, and `add`)."""
    missing = [FieldError(field, message) for field, message in _REQUIRED.items()
               if not (payload.get(field) or "").strip()]
    if missing:  # every missing field at once, before the fields' own rules
        raise ValidationFailed("Parten kan ikke registreres.", missing)
    checked = _check(case, _rows(uow, case.id), payload)
    rolle = checked["rolle"]
    part = Part(id=str(uuid.uuid4()), case_id=case.id, rolle=rolle,
                # a guardian (værge) is appointed to hold custody
                foraeldremyndighed=True if rolle == "vaerge" else bool(checked.get("foraeldremyndighed", True)),
                navn=checked["navn"].strip(), cpr=checked.get("cpr") or None, adresse=checked["adresse"].strip(),
                telefon=checked.get("telefon") or None, email=checked.get("email") or None,
                created_at=clock.now(), created_by=actor.id, ophoert_at=None)
    uow.session.add(part)
    journal.record(uow, case_id=case.id, actor_id=actor.id, action="part_registreret",
                   title=f"Part registreret: {describe(part)}",  # never the CPR
                   data={"part_id": part.id, "rolle": part.rolle, "foraeldremyndighed": part.foraeldremyndighed})
    return part


def add(uow: UnitOfWork, actor: User, case_id: str, payload: dict[str, Any]) -> Part:
    return add_to(uow, actor, _writable(uow, actor, case_id), payload)


def _part(uow: UnitOfWork, case: Case, part_id: str) -> Part:
    part = uow.session.get(Part, part_id)
    if part is None or part.case_id != case.id:
        raise NotFound("Parten findes ikke på sagen.")
    return part


def change(uow: UnitOfWork, actor: User, case_id: str, part_id: str, payload: dict[str, Any]) -> Part:
    """Change a party's name, address, contact or custody, or end the party (`ophoert`); the journal says what."""
    case = _writable(uow, actor, case_id)
    part = _part(uow, case, part_id)
    if part.ophoert_at is not None:
        raise _invalid("ophoert", "Parten er ophørt og kan ikke ændres. Registrér parten igen, hvis den er part igen.")
    checked = _check(case, [], payload)
    if part.rolle == "vaerge" and checked.get("foraeldremyndighed") is False:
        raise _invalid("foraeldremyndighed", "En værge har forældremyndigheden; afslut værgen som part i stedet.")
    changed = [f for f in CHANGEABLE if f in checked and checked[f] != getattr(part, f)]
    for field in changed:
        value = checked[field]
        setattr(part, field, value.strip() if isinstance(value, str) else value)
    if checked.get("ophoert"):
        part.ophoert_at = clock.now()
    if changed or part.ophoert_at is not None:
        journal.record(uow, case_id=case.id, actor_id=actor.id,
                       action="part_ophoert" if part.ophoert_at else "part_aendret",
                       title=(f"Part ophørt: {describe(part)}" if part.ophoert_at
                              else f"Part ændret: {describe(part)}"),
                       data={"part_id": part.id, "aendrede_felter": changed})
    return part


def reveal_cpr(uow: UnitOfWork, user: User, case_id: str, part_id: str) -> str:
    """A party's full CPR number, for the one who asked; journalled as the child's is."""
    from service.cases.service import readable_case
    case = readable_case(uow, user, case_id)
    part = _part(uow, case, part_id)
    if part.cpr is None:
        raise NotFound("Parten har ikke et CPR-nummer registreret.")
    journal.record(uow, case_id=case.id, actor_id=user.id, action="cpr_vist",
                   title=f"CPR-nummeret er vist: {describe(part)}", data={"part_id": part.id})
    return f"{part.cpr[:6]}-{part.cpr[6:]}"


def register_consent(uow: UnitOfWork, actor: User, case_id: str, payload: dict[str, Any]) -> UngSamtykke:
    """The young person's own consent (from 15): a new row, the earlier ones kept."""
    case = _writable(uow, actor, case_id)
    alder = child_age(case)
    if alder < SAMTYKKE_FRA_ALDER:
        raise ValidationFailed("Samtykket kan ikke registreres.", [FieldError(
            "samtykke", f"Barnet er {alder} år: den unges eget samtykke gælder fra {SAMTYKKE_FRA_ALDER} år "
                        "(BL § 46).")])
    if payload["samtykke"] not in SAMTYKKER:
        raise ValidationFailed("Samtykket kan ikke registreres.",
                               [FieldError("samtykke", "Samtykket skal være givet eller ikke givet.")])
    if payload["dato"] > clock.today():
        raise ValidationFailed("Samtykket kan ikke registreres.",
                               [FieldError("dato", "Datoen må ikke ligge efter i dag.")])
    row = UngSamtykke(id=str(uuid.uuid4()), case_id=case.id, samtykke=payload["samtykke"], dato=payload["dato"],
                      registered_at=clock.now(), registered_by=actor.id)
    uow.session.add(row)
    journal.record(uow, case_id=case.id, actor_id=actor.id, action="samtykke_ung",
                   title=f"Den unges eget samtykke registreret: {SAMTYKKER[row.samtykke].lower()}",
                   data={"samtykke": row.samtykke, "dato": row.dato.isoformat()})
    return row


def young_consent(uow: UnitOfWork, case: Case) -> str | None:
    """What the visitation's check reads: the young person's registered consent, when old enough to give one."""
    if child_age(case) < SAMTYKKE_FRA_ALDER:
        return None
    row = latest_consent(uow, case.id)
    return row.samtykke if row is not None else None


def recipients(uow: UnitOfWork, case: Case, on: date) -> list[Modtager]:
    """Who receives a letter to the parties: each custody holder, and the child from 10 (at the holders' address).

    Empty when no custody holder is registered: the letter is then made once, without a named recipient, as
    before parties were registered."""
    holders = [p for p in _rows(uow, case.id) if p.ophoert_at is None and p.foraeldremyndighed]
    if not holders:
        return []
    found = [Modtager(p.id, p.navn, p.adresse) for p in holders]
    alder = child_age(case, on)
    if alder >= PART_FRA_ALDER:
        found.append(Modtager(None, case.child_name, holders[0].adresse, barn_alder=alder))
    return found


def describe(part: Part) -> str:
    rolle = ROLLER[part.rolle]
    if part.rolle != "vaerge" and not part.foraeldremyndighed:
        rolle += " (uden forældremyndighed)"
    return f"{part.navn}, {rolle.lower()}"
