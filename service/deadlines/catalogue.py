"""The deadline catalogue (domain.md §3): lengths live in workflows/frister.toml, not in the BPMN.

Timers in the models name a deadline id; the municipality may tighten any deadline and set its
local ones, but a legal deadline can never be configured longer than the law allows.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from service.deadlines.calendar import UNITS, CalendarSettings

# Legal maximums (law rules): id -> (amount, unit). A configuration above these is refused.
LEGAL_LIMITS: dict[str, tuple[int, str]] = {
    "vurdering_24t": (24, "hours"),
    "kvittering": (6, "working_days"),
    "bfu": (4, "months"),
    "barnets_plan": (3, "months"),
    "klage_genvurdering": (4, "weeks"),
    "opfoelgning_foerste": (3, "months"),
    "opfoelgning_loebende": (12, "months"),
    "tilbagemelding_underretter": (3, "months"),
    "ungeplan": (3, "months"),
    "tilsynsbesoeg": (6, "months"),  # BL § 156 stk. 5: two visits a year, so never more than 6 months apart
    "ungestoette_afgoerelse": (6, "months"),  # counted back from the 18th birthday: at least this long before
}
# Deadlines that lie before their starting point (e.g. 6 months before the 18th birthday); tightening one
# means a longer lead, so the legal value is a minimum for these.
BEFORE_START = frozenset({"ungestoette_afgoerelse"})


_UNIT_WORDS = {"hours": ("time", "timer"), "days": ("dag", "dage"), "weeks": ("uge", "uger"),
               "months": ("måned", "måneder"), "working_days": ("hverdag", "hverdage")}


def length_da(amount: int, unit: str) -> str:
    """E.g. "24 timer", "1 måned", "6 hverdage"."""
    one, many = _UNIT_WORDS.get(unit, (unit, unit))
    return f"{amount} {one if amount == 1 else many}"


class CatalogueInvalid(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class DeadlineRule:
    id: str
    navn: str
    amount: int
    unit: str
    basis: str  # "lov" or "lokal"
    hjemmel: str
    warn_amount: int | None = None
    warn_unit: str | None = None
    before: bool = False  # the deadline lies `amount` `unit`s before its starting point
    target: int | None = None  # share (%) to meet on time, the municipality's goal (ledelsesinformation)


@dataclass(frozen=True)
class Catalogue:
    rules: dict[str, DeadlineRule]
    calendar: CalendarSettings
    # The municipality's targets (%) for practice measured from the forms, e.g. the plan before the decision.
    quality_targets: dict[str, int] = field(default_factory=dict)

    def rule(self, deadline_id: str) -> DeadlineRule:
        try:
            return self.rules[deadline_id]
        except KeyError:
            raise KeyError(f"fristen '{deadline_id}' findes ikke i fristkataloget") from None


def parse(text: str) -> Catalogue:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise CatalogueInvalid([f"frister.toml kan ikke læses: {err}"]) from err
    cal = raw.get("kalender", {})
    calendar = CalendarSettings(
        saturday_is_working_day=bool(cal.get("loerdag_er_arbejdsdag", False)),
        christmas_eve_off=bool(cal.get("juleaftensdag_fri", True)),
        new_years_eve_off=bool(cal.get("nytaarsaftensdag_fri", True)),
    )
    problems: list[str] = []
    rules: dict[str, DeadlineRule] = {}
    for deadline_id, entry in raw.get("frister", {}).items():
        amount, unit = entry.get("varighed"), entry.get("enhed")
        basis = entry.get("grundlag", "lokal")
        before = entry.get("foer", False) is True
        if not isinstance(amount, int) or amount <= 0 or unit not in UNITS:
            problems.append(f"{deadline_id}: varighed skal være et positivt heltal og enhed en af {', '.join(UNITS)}")
            continue
        limit = LEGAL_LIMITS.get(deadline_id)
        if limit is not None and basis != "lov":
            problems.append(f"{deadline_id}: er en lovbestemt frist; grundlag skal være \"lov\"")
        if limit is not None and unit != limit[1]:
            problems.append(f"{deadline_id}: en lovbestemt frist tælles i {limit[1]}, ikke {unit}")
        elif limit is not None and before != (deadline_id in BEFORE_START):
            problems.append(f"{deadline_id}: fristen tælles {'før' if deadline_id in BEFORE_START else 'efter'} "
                            "sit udgangspunkt efter loven (foer = "
                            f"{'true' if deadline_id in BEFORE_START else 'false'})")
        elif limit is not None and before and amount < limit[0]:
            problems.append(f"{deadline_id}: {amount} {unit} før er kortere end loven kræver "
                            f"({limit[0]} {limit[1]}); en lovbestemt frist kan kun strammes")
        elif limit is not None and not before and amount > limit[0]:
            problems.append(f"{deadline_id}: {amount} {unit} er længere end loven tillader "
                            f"({limit[0]} {limit[1]}); en lovbestemt frist kan kun strammes")
        warn = entry.get("advis_foer")
        if isinstance(warn, dict) and (not isinstance(warn.get("varighed"), int) or warn["varighed"] <= 0
                                       or warn.get("enhed") not in UNITS):
            problems.append(f"{deadline_id}: advis_foer skal have en positiv heltallig varighed og en gyldig enhed")
            warn = None
        target = entry.get("maal")
        if target is not None and not _is_percentage(target):
            problems.append(f"{deadline_id}: maal er den andel (%) af fristerne, der skal overholdes: et heltal 0–100")
            target = None
        rules[deadline_id] = DeadlineRule(
            id=deadline_id, navn=entry.get("navn", deadline_id), amount=amount, unit=unit, basis=basis,
            hjemmel=entry.get("hjemmel", ""),
            warn_amount=warn.get("varighed") if isinstance(warn, dict) else None,
            warn_unit=warn.get("enhed") if isinstance(warn, dict) else None, before=before, target=target)
    quality_targets = raw.get("kvalitetsmaal", {})
    problems += [f"kvalitetsmaal.{key}: skal være en andel i procent, et heltal 0–100"
                 for key, value in quality_targets.items() if not _is_percentage(value)]
    missing = sorted(set(LEGAL_LIMITS) - set(rules))
    problems += [f"{m}: den lovbestemte frist mangler i kataloget" for m in missing]
    if problems:
        raise CatalogueInvalid(problems)
    return Catalogue(rules, calendar, dict(quality_targets))


def _is_percentage(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100


def load(path: Path) -> Catalogue:
    return parse(path.read_text(encoding="utf-8"))


_installed: list[Catalogue] = []


def install(loaded: Catalogue) -> None:
    """The catalogue in force (set at start-up with the engine's functions), for services that count a deadline."""
    _installed[:] = [loaded]


def current() -> Catalogue:
    if not _installed:
        raise RuntimeError("fristkataloget er ikke indlæst (configure_engine)")
    return _installed[0]
