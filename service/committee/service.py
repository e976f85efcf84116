"""Committee meetings: cases wait for a committee (BPMN message catch), one meeting decides a whole agenda."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from service import clock
from service.access.models import User
from service.cases.models import Case
from service.cases.phases import PHASES
from service.committee.models import (
    COMMITTEES,
    DECIDED,
    HELD,
    ON_AGENDA,
    OPEN_STATES,
    PLANNED,
    WAITING,
    WITHDRAWN,
    CommitteeMeeting,
    CommitteeReferral,
)
from service.engine import followers, instances
from service.engine.followers import Step
from service.engine.models import ProcessInstance
from service.engine.spiff import StepResult
from service.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from service.journal import service as journal
from service.uow import UnitOfWork


def message_for(committee: str) -> str:
    return f"beslutning_{committee}"


def sync_referrals(uow: UnitOfWork, *, instance: ProcessInstance, case: Case, result: StepResult) -> None:
    """A case the engine holds waiting for a committee is on that committee's list; otherwise it is not."""
    messages = {message_for(c) for c in COMMITTEES}
    if messages.intersection(result.waiting_messages) == messages.intersection(result.before.messages):
        return  # the step neither began nor ended a wait for a committee (the rows matched the engine)
    open_rows = {r.committee: r for r in uow.session.scalars(select(CommitteeReferral).where(
        CommitteeReferral.instance_id == instance.id, CommitteeReferral.status.in_(OPEN_STATES)))}
    for committee, title in COMMITTEES.items():
        waiting = message_for(committee) in result.waiting_messages
        row = open_rows.get(committee)
        if waiting and row is None:
            uow.session.add(CommitteeReferral(case_id=case.id, instance_id=instance.id, team_id=case.team_id,
                                              committee=committee, status=WAITING, referred_at=clock.now()))
            journal.record(uow, case_id=case.id, actor_id=None, action="indstillet_til_udvalg",
                           title=f"Sagen afventer {title} (kompetenceplanen)", data={"udvalg": committee})
            case.phase = PHASES["afgoerelse"]  # no user task is open meanwhile: the committee decides
        elif row is not None and not waiting:
            row.status = WITHDRAWN


def _require_teamleder(user: User) -> None:
    if user.role != "teamleder" or user.team_id is None:
        raise Forbidden("Kun en teamleder kan planlægge og afholde udvalgsmøder.")


def _check_committee(committee: str) -> None:
    if committee not in COMMITTEES:
        raise ValidationFailed("Ukendt udvalg.", [FieldError("udvalg", f"Udvalget skal være et af: "
                                                                       f"{', '.join(COMMITTEES)}.")])


def waiting_cases(uow: UnitOfWork, user: User, committee: str) -> list[tuple[CommitteeReferral, Case]]:
    _require_teamleder(user)
    _check_committee(committee)
    stmt = (select(CommitteeReferral, Case).join(Case, Case.id == CommitteeReferral.case_id)
            .where(CommitteeReferral.team_id == user.team_id, CommitteeReferral.committee == committee,
                   CommitteeReferral.status == WAITING).order_by(CommitteeReferral.referred_at))
    return [(r, c) for r, c in uow.session.execute(stmt)]


@dataclass(frozen=True)
class MeetingView:
    meeting: CommitteeMeeting
    agenda: list[tuple[CommitteeReferral, Case]]


def _agenda(uow: UnitOfWork, meeting: CommitteeMeeting) -> list[tuple[CommitteeReferral, Case]]:
    stmt = (select(CommitteeReferral, Case).join(Case, Case.id == CommitteeReferral.case_id)
            .where(CommitteeReferral.meeting_id == meeting.id).order_by(CommitteeReferral.referred_at))
    return [(r, c) for r, c in uow.session.execute(stmt)]


def plan_meeting(uow: UnitOfWork, user: User, *, committee: str, meeting_date: date) -> MeetingView:
    """A meeting whose agenda is every case of the team now waiting for this committee."""
    waiting = waiting_cases(uow, user, committee)
    if not waiting:
        raise Conflict(f"Ingen sager venter på {COMMITTEES[committee]}.")
    meeting = CommitteeMeeting(team_id=user.team_id, committee=committee, meeting_date=meeting_date,
                               status=PLANNED, created_by=user.id, created_at=clock.now())
    uow.session.add(meeting)
    uow.session.flush()
    for referral, case in waiting:
        referral.status, referral.meeting_id = ON_AGENDA, meeting.id
        journal.record(uow, case_id=case.id, actor_id=user.id, action="sat_paa_dagsorden",
                       title=f"Sagen er sat på dagsordenen for {COMMITTEES[committee]}s møde {meeting_date}",
                       data={"moede_id": meeting.id})
    return MeetingView(meeting, waiting)


def planned_meetings(uow: UnitOfWork, user: User) -> list[MeetingView]:
    """The team's meetings not yet held, soonest first: each is one piece of work for the team leader."""
    _require_teamleder(user)
    meetings = uow.session.scalars(select(CommitteeMeeting).where(
        CommitteeMeeting.team_id == user.team_id, CommitteeMeeting.status == PLANNED)
        .order_by(CommitteeMeeting.meeting_date, CommitteeMeeting.id))
    return [MeetingView(m, _agenda(uow, m)) for m in meetings]


def get_meeting(uow: UnitOfWork, user: User, meeting_id: int, *, for_update: bool = False) -> MeetingView:
    _require_teamleder(user)
    # Locked when held: a second, concurrent "afhold" waits here and then finds the meeting held.
    meeting = uow.session.get(CommitteeMeeting, meeting_id, with_for_update=for_update)
    if meeting is None or meeting.team_id != user.team_id:
        raise NotFound("Mødet findes ikke.")
    return MeetingView(meeting, _agenda(uow, meeting))


OUTCOMES = ("bevilget", "afslag")


def decision_problems(case: Case, decision: dict[str, Any]) -> list[FieldError]:
    """What is wrong with one case's decision; named per case, so the meeting page shows it at that case."""
    problems = []
    if decision.get("udfald") not in OUTCOMES:
        problems.append(FieldError(f"udfald-{case.id}", f"Vælg udvalgets beslutning for sag {case.sagsnummer}."))
    if len(str(decision.get("begrundelse") or "").strip()) < 3:
        problems.append(FieldError(f"begrundelse-{case.id}", f"Skriv begrundelsen for sag {case.sagsnummer}."))
    return problems


def hold_meeting(uow: UnitOfWork, user: User, meeting_id: int, decisions: list[dict[str, Any]]) -> MeetingView:
    """One decision per case on the agenda; each case's process then continues to its written decision."""
    view = get_meeting(uow, user, meeting_id, for_update=True)
    meeting = view.meeting
    if meeting.status != PLANNED:
        raise Conflict("Mødet er allerede afholdt.")
    by_case = {d["case_id"]: d for d in decisions}
    on_agenda = {c.id for r, c in view.agenda if r.status == ON_AGENDA}
    problems = [FieldError("beslutninger", f"Sagen {c.sagsnummer} mangler en beslutning.")
                for r, c in view.agenda if c.id in on_agenda and c.id not in by_case]
    problems += [FieldError("beslutninger", "En beslutning gælder en sag, der ikke er på dagsordenen.")
                 for cid in by_case if cid not in on_agenda]
    if problems or len(by_case) != len(decisions):
        raise ValidationFailed("Der skal være præcis én beslutning for hver sag på dagsordenen.",
                               problems or [FieldError("beslutninger", "En sag har flere beslutninger.")])
    problems = [p for r, c in view.agenda if c.id in on_agenda for p in decision_problems(c, by_case[c.id])]
    if problems:
        raise ValidationFailed("Udvalgets beslutninger er ikke udfyldt korrekt.", problems)
    now = clock.now()
    title = COMMITTEES[meeting.committee]
    for referral, case in view.agenda:
        if case.id not in on_agenda:
            continue
        decision = by_case[case.id]
        payload = {"udfald": decision["udfald"], "begrundelse": decision["begrundelse"],
                   "moededato": meeting.meeting_date.isoformat(), "moede_id": meeting.id, "udvalg": meeting.committee}
        referral.status, referral.decision, referral.decided_at = DECIDED, payload, now
        instance, version = instances.load_for_update(uow, referral.instance_id)
        result = instances.send_message(instance, version, message_for(meeting.committee), payload, uow=uow)
        if result is None:
            raise Conflict(f"Sag {case.sagsnummer} venter ikke længere på {title}.")
        journal.record(uow, case_id=case.id, actor_id=user.id, action="udvalgsbeslutning",
                       title=f"{title} har besluttet: {decision['udfald']} (møde {meeting.meeting_date})",
                       data=payload)
        followers.follow(uow, instance=instance, case=case, result=result, actor_id=user.id)
    meeting.status, meeting.held_by, meeting.held_at = HELD, user.id, now
    return view


def follow_step(uow: UnitOfWork, step: Step) -> None:
    """Engine follower: a case the step left waiting for a committee is on its list; otherwise it is not."""
    sync_referrals(uow, instance=step.instance, case=step.case, result=step.result)
