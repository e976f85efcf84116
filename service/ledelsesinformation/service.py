"""Ledelsesinformation for a team and a period: deadline compliance and good practice, with the targets.

Every deadline in the models is a timer row, and the row says how it ended: met (its task finished first),
breached (the timer fired), or still open. So the share met on time needs no extra bookkeeping: it is
counted from the same rows that enforce the deadlines. Practice (the plan before the decision, the talk
with the child) is read from the completed forms in the case journal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, literal_column, select

from service import clock
from service.access import service as access
from service.access.models import User
from service.cases import cpr as cprs
from service.cases.models import Case
from service.deadlines import catalogue
from service.deadlines.calendar import COPENHAGEN
from service.deadlines.models import FIRED, GONE, OPEN, Timer
from service.errors import FieldError, Forbidden, ValidationFailed
from service.journal.models import JournalEntry
from service.ledelsesinformation import definitions
from service.uow import UnitOfWork

LONGEST_PERIOD = timedelta(days=3 * 366)
# The partial indexes' conditions written as literals: a bound parameter would let PostgreSQL's generic plan (a
# prepared statement) miss ix_timers_mi and ix_journal_completed_at.
IS_DEADLINE = Timer.kind == literal_column("'frist'")
IS_COMPLETION = JournalEntry.action == literal_column("'opgave_udfoert'")


@dataclass(frozen=True)
class DeadlineCompliance:
    frist: str
    navn: str
    hjemmel: str
    maal: int | None  # the municipality's target share (%), from the catalogue
    overholdt: int  # its task finished before the deadline
    overskredet: int  # the deadline passed first (fired, or due and not yet fired)
    afventer: int  # falls due in the period but later than now

    @property
    def andel(self) -> float | None:
        """Share met on time (%), of the deadlines already decided; None when none is."""
        return share_of(self.overholdt, self.overholdt + self.overskredet)

    @property
    def maal_naaet(self) -> bool | None:
        return target_met(self.maal, self.andel)


@dataclass(frozen=True)
class ComplianceReport:
    fra: date
    til: date
    frister: list[DeadlineCompliance]


@dataclass(frozen=True)
class QualityMeasure:
    maal_id: str
    navn: str
    grundlag: str
    maal: int | None
    opfyldt: int
    ikke_opfyldt: int

    @property
    def antal(self) -> int:
        return self.opfyldt + self.ikke_opfyldt

    @property
    def andel(self) -> float | None:
        return share_of(self.opfyldt, self.antal)

    @property
    def maal_naaet(self) -> bool | None:
        return target_met(self.maal, self.andel)


def share_of(met: int, total: int) -> float | None:
    return round(100 * met / total, 1) if total else None


def target_met(target: int | None, share: float | None) -> bool | None:
    return None if target is None or share is None else share >= target


def today() -> date:
    return clock.now().astimezone(COPENHAGEN).date()


def this_month() -> date:
    return today().replace(day=1)


def default_period(fra: date | None, til: date | None) -> tuple[date, date]:
    """Year to date unless a period is asked for."""
    til = til or today()
    return fra or til.replace(month=1, day=1), til


def check_period(fra: date, til: date) -> None:
    problems = []
    if til < fra:
        problems.append(FieldError("til", "«Til» skal være samme dag som eller efter «fra»."))
    elif til - fra > LONGEST_PERIOD:
        problems.append(FieldError("til", "Perioden kan højst være 3 år."))
    if problems:
        raise ValidationFailed("Perioden er ugyldig.", problems)


def scope(user: User, team_id: int | None = None) -> int | None:
    """Whose figures: a team leader sees his team's; a head of department every team's (None) or one team's."""
    if access.reads_all_teams(user):
        return team_id
    if user.role != "teamleder" or user.team_id is None:
        raise Forbidden("Kun teamledere og afdelingsledere kan se ledelsesinformation.")
    if team_id not in (None, user.team_id):
        raise Forbidden("En teamleder ser kun sit eget teams ledelsesinformation.")
    return user.team_id


def period_bounds(fra: date, til: date) -> tuple[datetime, datetime]:
    """From the start of `fra` to the end of `til` (Danish dates), after checking the period (422)."""
    check_period(fra, til)
    return (datetime.combine(fra, time(), COPENHAGEN),
            datetime.combine(til + timedelta(days=1), time(), COPENHAGEN))


def deadline_compliance(uow: UnitOfWork, user: User, *, fra: date, til: date,
                        team_id: int | None = None) -> ComplianceReport:
    """Deadlines falling due in the period, per deadline: of the user's team, or of all or one team (scope)."""
    team = scope(user, team_id)
    start, end = period_bounds(fra, til)
    now = clock.now()
    # Due at this very second is not yet late: the engine breaches a deadline strictly after its due time.
    late = (Timer.status == FIRED) | ((Timer.status == OPEN) & (Timer.due_at < now))
    rows = uow.session.execute(
        select(Timer.deadline_id,
               func.count().filter(Timer.status == GONE),
               func.count().filter(late),
               func.count().filter((Timer.status == OPEN) & (Timer.due_at >= now)))
        .where(IS_DEADLINE, Timer.due_at >= start, Timer.due_at < end,
               *([Timer.team_id == team] if team is not None else []))
        .group_by(Timer.deadline_id)).all()
    counts = {deadline_id: (met, breached, pending) for deadline_id, met, breached, pending in rows}
    rules = catalogue.current().rules
    # Legal deadlines and those with a target always show, also with nothing in the period; a catalogue
    # entry that is no caseworker deadline (the citizen's klagefrist) has no breach timers, so it does not.
    shown = {rule.id for rule in definitions.counted_deadlines(rules)} | counts.keys()
    report = [DeadlineCompliance(rule.id, rule.navn, rule.hjemmel, rule.target, *counts.get(rule.id, (0, 0, 0)))
              for rule in rules.values() if rule.id in shown]
    # A deadline no longer in the catalogue still has its history.
    report += [DeadlineCompliance(deadline_id, deadline_id, "", None, *numbers)
               for deadline_id, numbers in counts.items() if deadline_id not in rules and deadline_id is not None]
    return ComplianceReport(fra, til, report)


PRACTICE_FORMS = ("barnets_plan", "afgoerelse", "akut_foranstaltning", "bfu", "opfoelgning")


def completed_forms(uow: UnitOfWork, *, before: datetime, team_id: int | None = None,
                    case_id: str | None = None) -> list[JournalEntry]:
    """Completions of the practice forms before `before`, of a team's cases or one case, oldest first."""
    stmt = (select(JournalEntry).join(Case, Case.id == JournalEntry.case_id)
            .where(JournalEntry.action == "opgave_udfoert", JournalEntry.at < before,
                   JournalEntry.data["form"].as_string().in_(PRACTICE_FORMS)))
    if team_id is not None:
        stmt = stmt.where(Case.team_id == team_id)
    if case_id is not None:
        stmt = stmt.where(JournalEntry.case_id == case_id)
    return list(uow.session.scalars(stmt.order_by(JournalEntry.at, JournalEntry.id)))


COUNTED_FORMS = ("afgoerelse", "akut_foranstaltning", "bfu", "opfoelgning")  # the forms a practice KPI counts


def practice_forms_in_period(uow: UnitOfWork, *, start: datetime, end: datetime,
                             team_id: int | None = None) -> list[JournalEntry]:
    """What practice_events needs for the period, read by index: the decisions, BFUs and follow-ups completed in
    [start, end)
    (ix_journal_completed_at), then the earlier plans and BFUs of those cases only (ix_journal_case_at) – never
    the completed forms of every year."""
    form = JournalEntry.data["form"].as_string()
    stmt = (select(JournalEntry).join(Case, Case.id == JournalEntry.case_id)
            .where(IS_COMPLETION, JournalEntry.at >= start, JournalEntry.at < end, form.in_(COUNTED_FORMS)))
    if team_id is not None:
        stmt = stmt.where(Case.team_id == team_id)
    found = {e.id: e for e in uow.session.scalars(stmt)}
    case_ids = sorted({e.case_id for e in found.values() if e.case_id is not None})
    for i in range(0, len(case_ids), 500):
        found.update((e.id, e) for e in uow.session.scalars(select(JournalEntry).where(
            JournalEntry.case_id.in_(case_ids[i:i + 500]), JournalEntry.at < start,
            JournalEntry.action == "opgave_udfoert", form.in_(("barnets_plan", "bfu")))))
        found.update((e.id, e) for e in uow.session.scalars(select(JournalEntry).where(
            JournalEntry.case_id.in_(case_ids[i:i + 500]), JournalEntry.at >= start, JournalEntry.at < end,
            JournalEntry.action == "opgave_udfoert", form == "barnets_plan")))
    return sorted(found.values(), key=lambda e: (e.at, e.id))


@dataclass(frozen=True)
class PracticeEvent:
    """One decision or BFU a practice KPI counts: met or not, and the caseworker it is put down to."""

    kpi: str
    entry: JournalEntry
    met: bool
    raadgiver_id: int | None


def practice_events(entries: list[JournalEntry], since: datetime | None = None,
                    births: dict[str, date] | None = None) -> list[PracticeEvent]:
    """The plan before each granting or acute decision, the talk with the child and the network meeting in each BFU,
    and the child from 8 at each follow-up meeting (its age from `births`, case → birth date), for the forms from
    `since` (the journal's completed forms, in time order). The definitions are in definitions.py."""
    planned: set[str] = set()  # cases with a barnets plan so far
    worker: dict[str, int | None] = {}  # case → who last did its plan or BFU (the decision is often a leader's)
    events = []
    for entry in entries:
        data = entry.data or {}
        form, answers = data.get("form", ""), data.get("data") or {}
        if form == "barnets_plan":
            planned.add(entry.case_id)
            worker[entry.case_id] = entry.actor_id
        if form == "bfu":
            worker[entry.case_id] = entry.actor_id
        if form == "barnets_plan" or (since is not None and entry.at < since):
            continue
        if form == "akut_foranstaltning" or (form == "afgoerelse" and answers.get("udfald") == "bevilget"):
            # An acute decision comes before the plan by nature (the law allows 3 months after): it counts
            # against the target, which leaves room for such exceptions.
            events.append(PracticeEvent(definitions.PLAN_FIRST, entry, entry.case_id in planned,
                                        worker.get(entry.case_id)))
        elif form == "bfu":
            events.append(PracticeEvent(definitions.TALK, entry, answers.get("boernesamtale_afholdt") is True,
                                        entry.actor_id))
            if "netvaerksmoede_afholdt" in answers:  # a BFU on an older form was never asked
                events.append(PracticeEvent(definitions.NETWORK, entry, answers["netvaerksmoede_afholdt"] is True,
                                            entry.actor_id))
        elif form == "opfoelgning" and _child_from_age(answers, entry, (births or {}).get(entry.case_id)):
            events.append(PracticeEvent(definitions.CHILD_AT_FOLLOW_UP, entry, answers["barnet_deltog"] is True,
                                        entry.actor_id))
    return events


def _child_from_age(answers: dict, entry: JournalEntry, birth: date | None) -> bool:
    """The follow-up asked whether the child took part (an older form did not), and the child was 8 on its date."""
    if birth is None or "barnet_deltog" not in answers:
        return False
    try:
        held = date.fromisoformat(answers.get("opfoelgning_dato", ""))
    except (TypeError, ValueError):
        held = entry.at.astimezone(COPENHAGEN).date()
    return held.year - birth.year - ((held.month, held.day) < (birth.month, birth.day)) >= definitions.CHILD_FROM_AGE


def births(uow: UnitOfWork, entries: list[JournalEntry]) -> dict[str, date]:
    """The birth dates (from the CPR) of the children whose follow-ups are among the entries."""
    wanted = sorted({e.case_id for e in entries if (e.data or {}).get("form") == "opfoelgning" and e.case_id})
    found: dict[str, date] = {}
    for i in range(0, len(wanted), 500):
        for case_id, number in uow.session.execute(select(Case.id, Case.cpr).where(Case.id.in_(wanted[i:i + 500]))):
            found[case_id] = cprs.birth_date(number)
    return found


def practice(entries: list[JournalEntry], since: datetime | None = None,
             births: dict[str, date] | None = None) -> dict[str, list[int]]:
    """[met, not met] per practice KPI (definitions.PRACTICE_KPIS), from practice_events."""
    counts = {kpi: [0, 0] for kpi in definitions.PRACTICE_KPIS}
    for event in practice_events(entries, since, births):
        counts[event.kpi][not event.met] += 1
    return counts


def quality_measures(uow: UnitOfWork, user: User, *, fra: date, til: date,
                     team_id: int | None = None) -> list[QualityMeasure]:
    """Good practice (domain §6) in the period: the plan before each granting or acute decision, the talk with the
    child and the network meeting in each BFU, the child from 8 at each follow-up meeting."""
    team = scope(user, team_id)
    start, end = period_bounds(fra, til)
    entries = practice_forms_in_period(uow, start=start, end=end, team_id=team)
    counts = practice(entries, start, births(uow, entries))
    return [QualityMeasure(d.id, d.navn, d.hjemmel, d.maal, *counts[d.id])
            for d in definitions.definitions() if d.kilde == definitions.PRAKSIS]
