"""Follow-up per goal (issue 17, item 2): every goal of the case's current barnets plan gets one assessment at every
follow-up, stored as rows so goal attainment over time can be read and counted.

The plan in force is the newest completed plan form (barnets_plan, or a justering that gave new goals), read from
the case journal as it was recorded. The follow-up form is shaped per case when it is shown and checked: it lists
the plan's goals, and it asks whether a child from 8 took part in the meeting (seed 004).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import literal_column, select

from service import clock
from service.access.models import User
from service.cases.models import Case
from service.errors import FieldError
from service.journal import service as journal
from service.journal.models import JournalEntry
from service.ledelsesinformation import definitions
from service.maalopfoelgning.models import VURDERINGER, Maalvurdering
from service.parter import service as parter
from service.uow import UnitOfWork

FOLLOW_UP_FORM = "opfoelgning"
PLAN_FORMS = ("barnets_plan", "justering")  # the forms that set the plan's goals (a justering only when it gives them)
ASSESSMENTS = "maalvurderinger"
CHILD_TAKES_PART_FROM = definitions.CHILD_FROM_AGE  # seed 004: as their functioning allows


@dataclass(frozen=True)
class Goal:
    nr: int  # 1-based place in the plan
    maal: str
    maalbart_kriterium: str | None = None
    domaene: str | None = None

    @property
    def label(self) -> str:
        return f"Mål {self.nr}: {self.maal}"


@dataclass
class GoalHistory:
    """One goal with its assessments, oldest first; `nr` is None for a goal no longer in the plan."""

    nr: int | None
    maal: str
    maalbart_kriterium: str | None
    vurderinger: list[Maalvurdering] = field(default_factory=list)

    @property
    def seneste(self) -> Maalvurdering | None:
        return self.vurderinger[-1] if self.vurderinger else None


def current_goals(uow: UnitOfWork, case_id: str) -> list[Goal]:
    """The goals of the plan in force: those of the newest plan form that gave goals (none without a plan)."""
    entries = uow.session.scalars(select(JournalEntry).where(
        JournalEntry.case_id == case_id, JournalEntry.action == literal_column("'opgave_udfoert'"),
        JournalEntry.data["form"].as_string().in_(PLAN_FORMS)).order_by(JournalEntry.id.desc()))
    for entry in entries:
        goals = ((entry.data or {}).get("data") or {}).get("maal")
        if isinstance(goals, list) and goals:
            return [Goal(i, str(g.get("maal", "")), g.get("maalbart_kriterium"), g.get("domaene"))
                    for i, g in enumerate(goals, start=1) if isinstance(g, dict)]
    return []


# --- the form, shaped for the case ----------------------------------------------------------------------------


def tailor(uow: UnitOfWork, *, form_key: str, case: Case, form: dict[str, Any]) -> dict[str, Any]:
    """The form as this case needs it; the deployed schema itself (shared, cached) is never changed."""
    props = form.get("properties", {})
    if form_key == FOLLOW_UP_FORM and ASSESSMENTS in props:
        return _follow_up(form, current_goals(uow, case.id), parter.child_age(case))
    if form_key == "justering" and isinstance(props.get("maal"), dict):
        goals = current_goals(uow, case.id)
        if not goals:
            return form
        shaped = copy.deepcopy(form)
        # The plan's goals to edit, not to type again; sent unchanged they leave the plan as it was.
        shaped["properties"]["maal"]["default"] = [
            {k: v for k, v in (("domaene", g.domaene), ("maal", g.maal), ("maalbart_kriterium", g.maalbart_kriterium))
             if v} for g in goals]
        return shaped
    return form


def _follow_up(form: dict[str, Any], goals: list[Goal], age: int) -> dict[str, Any]:
    shaped = copy.deepcopy(form)
    props, ui = shaped["properties"], shaped.setdefault("x-ui", {})
    if goals:
        assessments = props[ASSESSMENTS]
        assessments["minItems"] = assessments["maxItems"] = len(goals)
        assessments["items"]["properties"]["maal_nr"]["enum"] = [g.nr for g in goals]
        assessments["default"] = [{"maal_nr": g.nr} for g in goals]
        assessments["description"] = ("Én vurdering for hvert mål i barnets plan, med begrundelse. Planens mål: "
                                      + " ".join(f"{g.label}." for g in goals))
        ui.setdefault("labels", {})[f"{ASSESSMENTS}.maal_nr"] = {str(g.nr): g.label for g in goals}
        shaped["required"] = [*shaped.get("required", []), ASSESSMENTS]
    else:  # no plan with goals on the case: nothing to assess one by one
        props.pop(ASSESSMENTS)
        if "order" in ui:
            ui["order"] = [k for k in ui["order"] if k.split(".")[0] != ASSESSMENTS]
    if age >= CHILD_TAKES_PART_FROM and "barnet_deltog" in props:
        props["barnet_deltog"]["description"] = (
            f"Skal udfyldes: barnet er {age} år (lokal standard: børn fra {CHILD_TAKES_PART_FROM} år deltager i "
            "opfølgningsmøderne, afhængigt af deres funktionsniveau). Deltog barnet ikke, så begrund det nedenfor.")
        shaped["required"] = [*shaped.get("required", []), "barnet_deltog"]
    return shaped


def check(uow: UnitOfWork, *, case: Case, data: dict[str, Any]) -> list[FieldError]:
    """Exactly one assessment per goal of the plan in force (the shaped schema answers for the rest: the
    goal numbers, the count, the words of each assessment)."""
    given = data.get(ASSESSMENTS)
    goals = current_goals(uow, case.id)
    if not goals or not isinstance(given, list):
        return []
    first: dict[int, int] = {}
    errors = []
    for i, item in enumerate(given):
        nr = item.get("maal_nr") if isinstance(item, dict) else None
        if not isinstance(nr, int) or isinstance(nr, bool):
            continue
        if nr in first:
            errors.append(FieldError(f"{ASSESSMENTS}.{i}.maal_nr",
                                     f"Mål {nr} er vurderet mere end én gang (også i vurdering {first[nr] + 1}); "
                                     "hvert mål i barnets plan skal have præcis én vurdering."))
        else:
            first[nr] = i
    errors += [FieldError(ASSESSMENTS, f"Mål {g.nr} i barnets plan («{g.maal}») mangler en vurdering.")
               for g in goals if g.nr not in first]
    return errors


# --- what a completed follow-up writes ------------------------------------------------------------------------


def record(uow: UnitOfWork, *, actor: User, case: Case, task_id: str, data: dict[str, Any]) -> list[Maalvurdering]:
    """One row per assessed goal, with the goal as the plan worded it (checked before: one per goal)."""
    goals = {g.nr: g for g in current_goals(uow, case.id)}
    held = date.fromisoformat(data["opfoelgning_dato"])
    now = clock.now()
    rows = []
    for item in data.get(ASSESSMENTS) or []:
        goal = goals.get(item["maal_nr"])
        if goal is None:
            continue
        rows.append(Maalvurdering(case_id=case.id, task_id=task_id, maal_nr=goal.nr, domaene=goal.domaene,
                                  maal=goal.maal[:300], maalbart_kriterium=(goal.maalbart_kriterium or None),
                                  opfoelgning_dato=held, vurdering=item["vurdering"],
                                  begrundelse=item["begrundelse"], registered_at=now, registered_by=actor.id))
    uow.session.add_all(rows)
    return rows


# --- reading the history --------------------------------------------------------------------------------------


def history(uow: UnitOfWork, case_id: str) -> list[GoalHistory]:
    """The plan's goals in its order, each with its assessments over time; then goals assessed earlier that a
    revised plan no longer has. A goal is followed by its wording: a revision that keeps it keeps its history."""
    current = {g.maal: GoalHistory(g.nr, g.maal, g.maalbart_kriterium) for g in current_goals(uow, case_id)}
    earlier: dict[str, GoalHistory] = {}
    for row in uow.session.scalars(select(Maalvurdering).where(Maalvurdering.case_id == case_id)
                                   .order_by(Maalvurdering.opfoelgning_dato, Maalvurdering.id)):
        goal = current.get(row.maal) or earlier.setdefault(row.maal, GoalHistory(None, row.maal,
                                                                                  row.maalbart_kriterium))
        goal.vurderinger.append(row)
    return [*current.values(), *earlier.values()]


def read_history(uow: UnitOfWork, user: User, case_id: str) -> list[GoalHistory]:
    """The history for the API: a read of the case, journalled as every read is."""
    from service.cases.service import readable_case  # cases imports the inbox, which imports this module's hooks
    case = readable_case(uow, user, case_id)
    journal.record(uow, case_id=case.id, actor_id=user.id, action="laest", title="Målopfølgningen er læst")
    return history(uow, case.id)


def vurdering_da(code: str) -> str:
    return VURDERINGER.get(code, code)
