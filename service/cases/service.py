"""Cases: receiving an underretning (opens or joins the child's case), reading a case."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from service import clock
from service.access import service as access
from service.access.models import User
from service.cases import cpr as cprs
from service.cases.models import OPEN, Case, CaseCounter, Underretning
from service.cases.phases import PHASES
from service.committee.models import COMMITTEES, OPEN_STATES, CommitteeReferral
from service.deadlines import catalogue as deadline_catalogue
from service.deadlines import rules
from service.deadlines.calendar import COPENHAGEN
from service.engine import followers, instances
from service.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from service.inbox import service as inbox
from service.inbox.models import HumanTask
from service.journal import service as journal
from service.journal.models import JournalEntry
from service.parter import service as parter
from service.process_models import service as process_models
from service.uow import UnitOfWork

CASE_PROCESS = "sagsbehandling"
UNDERRETTER_TYPES = ("fagperson", "borger", "anonym")


@dataclass(frozen=True)
class Received:
    case: Case
    underretning: Underretning
    joined: bool

    def visible_to(self, actor: User) -> bool:
        """Need to know: a caseworker of another team who reports about a child with an open case learns only
        that it was received, not the case, its number or its team (it is routed to that team all the same)."""
        return not self.joined or access.may_see_case(actor, self.case.team_id)


def _next_sagsnummer(uow: UnitOfWork, year: int) -> str:
    dialect = uow.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(CaseCounter).values(year=year, last=1)
    stmt = stmt.on_conflict_do_update(index_elements=["year"], set_={"last": CaseCounter.last + 1})
    number = uow.session.execute(stmt.returning(CaseCounter.last)).scalar_one()
    return f"{year}-{number:05d}"


def receive_underretning(uow: UnitOfWork, actor: User, payload: dict[str, Any]) -> Received:
    """Register an underretning; it opens a case, or joins the child's open case."""
    if not access.may_do_casework(actor):
        raise Forbidden("Kun rådgivere og teamledere kan registrere underretninger.")
    try:
        cpr = cprs.normalise(payload["cpr"])
    except cprs.InvalidCpr as err:
        raise ValidationFailed("Underretningen kan ikke registreres.", [FieldError("cpr", str(err))]) from err
    modtaget: datetime = payload.get("modtaget") or clock.now()
    if modtaget > clock.now():
        raise ValidationFailed("Underretningen kan ikke registreres.",
                               [FieldError("modtaget", "Modtagelsestidspunktet kan ikke ligge i fremtiden.")])
    session = uow.session
    case = session.scalar(select(Case).where(Case.cpr == cpr, Case.status == OPEN).with_for_update())
    joined = case is not None
    now = clock.now()
    if case is None:
        case = Case(id=str(uuid.uuid4()), sagsnummer=_next_sagsnummer(uow, now.year), cpr=cpr,
                    child_name=payload["barnets_navn"], team_id=actor.team_id, status=OPEN,
                    phase=PHASES["underretning"], opened_at=now)
        session.add(case)
        session.flush()
    underretning = Underretning(
        id=str(uuid.uuid4()), case_id=case.id, modtaget=modtaget, underretter_type=payload["underretter_type"],
        kanal=payload["kanal"], overgreb=payload.get("overgreb", False), beskrivelse=payload["beskrivelse"],
        registered_by=actor.id, registered_at=now)
    session.add(underretning)
    _register_parties(uow, actor, case, payload.get("parter") or [])
    journal.record(uow, case_id=case.id, actor_id=actor.id, action="underretning_modtaget",
                   title="Underretning modtaget" + (" (tilknyttet åben sag)" if joined else ""),
                   data={"underretning_id": underretning.id, "underretter_type": underretning.underretter_type,
                         "kanal": underretning.kanal, "modtaget": modtaget.isoformat()})
    engine_data = {"underretning": {"id": underretning.id, "underretter_type": underretning.underretter_type,
                                    "kanal": underretning.kanal, "overgreb": underretning.overgreb,
                                    "modtaget": modtaget.isoformat()}}
    if joined:
        _notify_running_process(uow, case, actor, engine_data)
    else:
        version = process_models.latest(uow, CASE_PROCESS)
        instance, result = instances.start(uow, version, case_id=case.id,
                                           data={**engine_data, "sag": {"id": case.id},
                                                 # for age-based deadlines (ungeplan, ungestøtte); never the CPR
                                                 "barn": {"foedselsdato": cprs.birth_date(cpr).isoformat()}})
        session.flush()
        journal.record(uow, case_id=case.id, actor_id=actor.id, action="proces_startet",
                       title=f"Sagsforløbet er startet ({version.name}, version {version.version})",
                       data={"process_id": version.process_id, "version": version.version})
        followers.follow(uow, instance=instance, case=case, result=result, actor_id=actor.id)
    return Received(case, underretning, joined)


def _register_parties(uow: UnitOfWork, actor: User, case: Case, given: list[dict[str, Any]]) -> None:
    """The parties named in the intake; one already on the case (same CPR, or same role and name) is not added twice
    (a second underretning about the child often names the same parents)."""
    known = parter.of_case(uow, case).parter
    for index, payload in enumerate(given):
        try:
            number = cprs.normalise(payload["cpr"]) if payload.get("cpr") is not None else None
        except cprs.InvalidCpr as err:
            raise ValidationFailed("Underretningen kan ikke registreres.",
                                   [FieldError(f"parter.{index}.cpr", str(err))]) from err
        if any((number and p.cpr == number) or (p.rolle, p.navn) == (payload["rolle"], payload["navn"].strip())
               for p in known):
            continue
        try:
            known.append(parter.add_to(uow, actor, case, payload))
        except ValidationFailed as err:
            raise ValidationFailed("Underretningen kan ikke registreres.",
                                   [FieldError(f"parter.{index}.{e.field}", e.message) for e in err.errors]) from err


def _deliver(uow: UnitOfWork, case: Case, actor: User, message: str, payload: dict[str, Any]) -> bool:
    """Send a BPMN message to the case's running process; False when the model does not wait for it now."""
    delivered = False
    for instance_row in instances.running_for_case(uow, case.id):
        instance, version = instances.load_for_update(uow, instance_row.id)
        result = instances.send_message(instance, version, message, payload, uow=uow)
        if result is not None:
            followers.follow(uow, instance=instance, case=case, result=result, actor_id=actor.id)
            delivered = True
    return delivered


def _notify_running_process(uow: UnitOfWork, case: Case, actor: User, data: dict[str, Any]) -> None:
    """The case's process gets 'ny_underretning': its own 24-hour assessment and, during a measure, a genvurdering."""
    if _deliver(uow, case, actor, "ny_underretning", data["underretning"]):
        journal.record(uow, case_id=case.id, actor_id=actor.id, action="ny_underretning_vurderes",
                       title="Ny underretning på åben sag: 24-timers vurdering oprettet")


def register_klage(uow: UnitOfWork, actor: User, case_id: str, payload: dict[str, Any]) -> bool:
    case = visible_case(uow, actor, case_id)
    late = _late_complaint(uow, case.id, date.fromisoformat(payload["modtaget"]))
    if late:  # a warning, not a refusal: a late complaint may still be heard for special reasons
        payload = {**payload, "besked": late}
    delivered = _deliver(uow, case, actor, "klage_modtaget", payload)
    journal.record(uow, case_id=case.id, actor_id=actor.id, action="klage_modtaget",
                   title="Klage modtaget efter klagefristen" if late else "Klage modtaget",
                   data={"klage": payload, "genvurdering_oprettet": delivered})
    return delivered


def _late_complaint(uow: UnitOfWork, case_id: str, received: date) -> str | None:
    """Why a complaint came after the 4-week klagefrist from the case's latest decision (BL § 168), if it did."""
    decided = None
    for entry in uow.session.scalars(select(JournalEntry).where(
            JournalEntry.case_id == case_id, JournalEntry.action == "opgave_udfoert")
            .order_by(JournalEntry.at.desc(), JournalEntry.id.desc())):
        if (entry.data or {}).get("form") == "afgoerelse":
            decided = (entry.data.get("data") or {}).get("afgoerelsesdato")
            break
    if not decided:
        return None
    last_day = rules.due_at(deadline_catalogue.current(), "klagefrist", decided).astimezone(COPENHAGEN).date()
    if received <= last_day:
        return None
    return (f"Klagen er modtaget {received:%d.%m.%Y}, efter klagefristen {last_day:%d.%m.%Y} (4 uger fra "
            f"afgørelsen {date.fromisoformat(decided):%d.%m.%Y}, BL § 168). Vurdér, om der er særlige grunde "
            f"til at behandle den alligevel.")


class CaseArchived(Conflict):
    """The case is archived (service/arkiv/): it is kept as it was and never changed again."""


def visible_case(uow: UnitOfWork, user: User, case_id: str) -> Case:
    """A case the user may work (write to); an archived case is read-only (409)."""
    case = readable_case(uow, user, case_id)
    if not access.may_see_case(user, case.team_id):
        raise Forbidden("Din rolle kan læse sagen, men ikke ændre den.")
    if case.arkiveret_at is not None:
        raise CaseArchived(f"Sagen er arkiveret ({case.arkiveret_at.astimezone(COPENHAGEN):%d.%m.%Y}) og kan ikke "
                           f"ændres. Kommer der nyt om barnet, registreres det som en ny underretning.")
    return case


def readable_case(uow: UnitOfWork, user: User, case_id: str) -> Case:
    """A case the user may read: her team's, or any team's for a read-only head of department. An archived case
    only for its team's leader and a head of department (access.may_read_archived)."""
    case = uow.session.get(Case, case_id)
    if case is None or not access.may_read_case(user, case.team_id):
        raise NotFound("Sagen findes ikke.")
    if case.arkiveret_at is not None and not access.may_read_archived(user, case.team_id):
        raise Forbidden("Sagen er arkiveret. Kun teamlederen og afdelingsledere kan læse arkiverede sager.")
    return case


@dataclass(frozen=True)
class CaseView:
    case: Case
    underretninger: list[Underretning]
    open_tasks: list[HumanTask]
    journal: list[JournalEntry]
    waiting_for: list[str]  # the committees the case waits for (its phase is then Afgørelse, with no task open)


def get_case(uow: UnitOfWork, user: User, case_id: str) -> CaseView:
    case = readable_case(uow, user, case_id)
    journal.record(uow, case_id=case.id, actor_id=user.id, action="laest", title="Sagen er læst")
    uow.session.flush()
    underretninger = list(uow.session.scalars(select(Underretning).where(Underretning.case_id == case.id)
                                              .order_by(Underretning.modtaget)))
    committees = uow.session.scalars(select(CommitteeReferral.committee).where(
        CommitteeReferral.case_id == case.id, CommitteeReferral.status.in_(OPEN_STATES)).distinct())
    return CaseView(case, underretninger, inbox.open_tasks_for_case(uow, case.id), journal.for_case(uow, case.id),
                    sorted(COMMITTEES[c] for c in committees))


def reveal_cpr(uow: UnitOfWork, user: User, case_id: str) -> str:
    """The full CPR number, for the one who asked; the journal records that it was shown."""
    case = readable_case(uow, user, case_id)
    journal.record(uow, case_id=case.id, actor_id=user.id, action="cpr_vist", title="CPR-nummeret er vist")
    return f"{case.cpr[:6]}-{case.cpr[6:]}"

