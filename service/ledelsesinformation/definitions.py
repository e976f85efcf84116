"""The written definition of every KPI Sagsflow computes: the one place a number's meaning is decided.

The pages, the API and the counting all name KPIs by these ids, and the definitions page shows these texts,
so what a leader reads as «andel overholdt» is what the code counts. Deadline KPIs are made from the deadline
catalogue (its names, lengths and targets are the municipality's, in frister.toml); practice KPIs are read from
the completed forms in the case journal.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.deadlines import catalogue
from service.deadlines.catalogue import DeadlineRule, length_da

FRIST = "frist"
PRAKSIS = "praksis"
SAGSSTAMME = "sagsstamme"

PLAN_FIRST = "barnets_plan_foer_afgoerelse"
TALK = "boernesamtale_afholdt"
NETWORK = "netvaerksmoede"  # the quarterly report's «not yet recorded» line of the same id gives way to it
CHILD_AT_FOLLOW_UP = "barn_deltager_i_opfoelgning"
CHILD_FROM_AGE = 8  # seed 004: children from 8 take part in follow-up meetings
PRACTICE_KPIS = (PLAN_FIRST, TALK, NETWORK, CHILD_AT_FOLLOW_UP)
CASELOAD = "sagsstamme_pr_raadgiver"

PERIOD_DUE = "Fristens forfaldstidspunkt (dansk tid) ligger i perioden; begge datoer er medregnet. Pr. måned: " \
             "den måned, fristen forfalder i."
PERIOD_FORM = "Afgørelsen eller undersøgelsen er udført (formularen indsendt) i perioden, dansk tid; begge datoer " \
              "er medregnet. Pr. måned: den måned, formularen blev indsendt."
PERIOD_FOLLOW_UP = "Opfølgningen er udført (formularen indsendt) i perioden, dansk tid; begge datoer er medregnet. " \
                   "Pr. måned: den måned, formularen blev indsendt."


@dataclass(frozen=True)
class KpiDefinition:
    id: str
    navn: str
    kilde: str  # FRIST (the breach timers), PRAKSIS (the completed forms) or SAGSSTAMME (open cases now)
    taeller: str
    naevner: str
    periode: str
    haendelser: str
    maal: int | None  # the municipality's target share (%), None when it has none
    maal_tekst: str
    hjemmel: str
    # Words for the outcomes a fact can have in this KPI: met, not met and (deadlines only) not yet due.
    opfyldt: str = "opfyldt"
    ikke_opfyldt: str = "ikke opfyldt"
    afventer: str | None = None

    @property
    def has_share(self) -> bool:
        return self.kilde in (FRIST, PRAKSIS)


def counted_deadlines(rules: dict[str, DeadlineRule]) -> list[DeadlineRule]:
    """The deadlines that are KPIs: the legal ones and those with a target. The citizen's klagefrist has neither
    (it is no caseworker deadline and has no breach timers)."""
    return [rule for rule in rules.values() if rule.target is not None or rule.id in catalogue.LEGAL_LIMITS]


def _deadline(rule: DeadlineRule) -> KpiDefinition:
    length = length_da(rule.amount, rule.unit)
    before = " før udgangspunktet" if rule.before else " fra forretningstidspunktet"
    return KpiDefinition(
        id=rule.id, navn=rule.navn, kilde=FRIST,
        taeller=f"Frister for «{rule.navn}», hvor opgaven blev udført, før fristen udløb (fristens timer bortfaldt). "
                "En opgave udført på fristens sekund er overholdt; ét sekund senere er fristen overskredet.",
        naevner="De afgjorte frister: overholdte plus overskredne (fristens timer udløste, eller fristen er passeret, "
                "og opgaven er endnu ikke udført). Frister, der endnu ikke er forfaldne, står som «afventer» og "
                "tæller ikke med.",
        periode=PERIOD_DUE,
        haendelser=f"Fristtimeren «{rule.id}» på opgaven i procesmodellen: {length}{before} "
                   f"({'lovbestemt' if rule.basis == 'lov' else 'lokal frist'}). Sagen tæller i det team, der havde "
                   "sagen, da fristen blev sat, og hos den rådgiver, der havde taget eller udførte opgaven.",
        maal=rule.target,
        maal_tekst=f"Mindst {rule.target} % overholdt" if rule.target is not None else "Intet mål",
        hjemmel=rule.hjemmel, opfyldt="overholdt", ikke_opfyldt="overskredet", afventer="afventer")


def _practice(quality_targets: dict[str, int]) -> list[KpiDefinition]:
    plan_target, talk_target = quality_targets.get(PLAN_FIRST), quality_targets.get(TALK)
    network_target, child_target = quality_targets.get(NETWORK), quality_targets.get(CHILD_AT_FOLLOW_UP)
    return [
        KpiDefinition(
            id=PLAN_FIRST, navn="Barnets plan foreligger før en bevilgende afgørelse", kilde=PRAKSIS,
            taeller="Bevilgende og akutte afgørelser, hvor sagen havde en udfyldt barnets plan, før afgørelsen blev "
                    "indsendt.",
            naevner="Alle bevilgende afgørelser (formularen «afgørelse» med udfald bevilget) og alle akutte "
                    "foranstaltninger. En akut afgørelse kommer før planen og tæller imod; målet giver plads til det.",
            periode=PERIOD_FORM,
            haendelser="Udførte opgaver i sagens journal med formularerne barnets_plan, afgoerelse og "
                       "akut_foranstaltning. Sagen tæller i sit nuværende team og hos den rådgiver, der senest "
                       "udførte sagens barnets plan eller undersøgelse før afgørelsen.",
            maal=plan_target, maal_tekst=f"Mindst {plan_target} %" if plan_target is not None else "Intet mål",
            hjemmel="BL §§ 91–92; lokal regel"),
        KpiDefinition(
            id=TALK, navn="Børnesamtale afholdt i den børnefaglige undersøgelse", kilde=PRAKSIS,
            taeller="Børnefaglige undersøgelser, hvor formularen siger, at børnesamtalen er afholdt.",
            naevner="Alle afsluttede børnefaglige undersøgelser (formularen «bfu»), også dem, hvor samtalen er "
                    "undladt med begrundelse.",
            periode=PERIOD_FORM,
            haendelser="Udførte opgaver i sagens journal med formularen bfu. Sagen tæller i sit nuværende team og hos "
                       "den rådgiver, der udførte undersøgelsen.",
            maal=talk_target, maal_tekst=_target_text(talk_target), hjemmel="BL § 5 (SEL § 48)"),
        KpiDefinition(
            id=NETWORK, navn="Netværksmøde holdt i den børnefaglige undersøgelse", kilde=PRAKSIS,
            taeller="Børnefaglige undersøgelser, hvor formularen siger, at der er holdt netværksmøde (familiens "
                    "private og professionelle netværk) som del af undersøgelsen.",
            naevner="Alle afsluttede børnefaglige undersøgelser (formularen «bfu»), der spørger om netværksmødet. "
                    "Undersøgelser udfyldt med en ældre formular uden spørgsmålet tæller ikke med.",
            periode=PERIOD_FORM,
            haendelser="Udførte opgaver i sagens journal med formularen bfu. Sagen tæller i sit nuværende team og hos "
                       "den rådgiver, der udførte undersøgelsen.",
            maal=network_target, maal_tekst=_target_text(network_target),
            hjemmel="Lokal standard (seed 004: netværksmøder i stedet for skriftlige statusser)",
            opfyldt="holdt", ikke_opfyldt="ikke holdt"),
        KpiDefinition(
            id=CHILD_AT_FOLLOW_UP, navn=f"Barnet (fra {CHILD_FROM_AGE} år) deltager i opfølgningsmødet",
            kilde=PRAKSIS,
            taeller="Opfølgninger, hvor formularen siger, at barnet deltog i opfølgningsmødet.",
            naevner=f"Alle opfølgninger (formularen «opfoelgning»), hvor barnet var fyldt {CHILD_FROM_AGE} år på "
                    "opfølgningens dato (alderen efter barnets CPR-nummer). Opfølgninger udfyldt med en ældre "
                    "formular uden spørgsmålet tæller ikke med.",
            periode=PERIOD_FOLLOW_UP,
            haendelser="Udførte opgaver i sagens journal med formularen opfoelgning. Sagen tæller i sit nuværende "
                       "team og hos den rådgiver, der udførte opfølgningen.",
            maal=child_target, maal_tekst=_target_text(child_target),
            hjemmel="BL § 95 og lokal standard (seed 004: børn fra 8 år deltager, afhængigt af funktionsniveau)",
            opfyldt="deltog", ikke_opfyldt="deltog ikke"),
    ]


def _target_text(target: int | None) -> str:
    return f"Mindst {target} %" if target is not None else "Intet mål"


CASELOAD_DEFINITION = KpiDefinition(
    id=CASELOAD, navn="Sagsstamme pr. rådgiver", kilde=SAGSSTAMME,
    taeller="Åbne sager, hvor rådgiveren har sagens åbne rådgiveropgave, eller (uden en taget opgave) senest udførte "
            "en rådgiveropgave på sagen.",
    naevner="Ingen: et antal børn pr. rådgiver, ikke en andel.",
    periode="Nu (øjebliksbillede); ikke pr. periode.",
    haendelser="Teamets åbne sager og deres rådgiveropgaver i indbakken.",
    maal=None, maal_tekst="20–30 børn pr. rådgiver (fagforeningens vejledning)", hjemmel="God praksis (seed 004)")


def definitions() -> list[KpiDefinition]:
    """Every KPI, in the order the pages show them: deadlines, practice, caseload."""
    current = catalogue.current()
    return ([_deadline(rule) for rule in counted_deadlines(current.rules)] + _practice(current.quality_targets)
            + [CASELOAD_DEFINITION])


def by_id() -> dict[str, KpiDefinition]:
    return {d.id: d for d in definitions()}
