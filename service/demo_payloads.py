"""Valid example data for each form: used by `sagsflow seed-demo`, the tests and the benchmarks.

Dates are relative to the clock's today and are filled in when a payload is made (`form`): a date that records
what happened may not lie after today (forms marked "x-senest"), and the demo is seeded on whatever day it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from service import clock


def _in_days(days: int = 0) -> Callable[[], str]:
    return lambda: (clock.today() + timedelta(days=days)).isoformat()


TODAY = _in_days(0)

UNDERRETNING: dict[str, Any] = {
    "cpr": "010120-4321", "barnets_navn": "Alma Jensen", "underretter_type": "fagperson",
    "kanal": "digital_post", "overgreb": False,
    "beskrivelse": "Skolen er bekymret: højt fravær og barnet virker trist og træt.",
}

FORMS: dict[str, dict[str, Any]] = {
    "registrering": {"aarsager": ["skolefravaer", "omsorgssvigt"], "beskrivelse": "Fravær på 20 % i 3 måneder.",
                     "foraeldremyndighed_orienteret": True},
    "kvittering": {"kvittering_sendt": TODAY, "kanal": "digital_post"},
    "vurdering_ny_underretning": {"akut": False,
                                  "begrundelse": "Underretningen ændrer ikke vurderingen; indgår i sagen."},
    "tilbagemelding_underretter": {"tilbagemelding_sendt": TODAY, "oplyst": "undersoegelse_iverksat",
                                   "kanal": "digital_post"},
    "vurdering_24t": {"akut": False, "begrundelse": "Ingen akut fare; barnet er i skole dagligt.",
                      "videre_forloeb": "screening"},
    "akut_foranstaltning": {"foranstaltning": "Midlertidigt ophold hos moster", "lovgrundlag": "BL § 47",
                            "iverksat_dato": TODAY, "begrundelse": "Barnet kan ikke blive hjemme i nat."},
    "fremskudt_boernesamtale": {"samtale_dato": TODAY, "deltagere": "Barnet og rådgiver",
                                "resume": "Barnet fortalte om forholdene derhjemme.",
                                "foraeldre_ikke_orienteret_forinden": True},
    "faglig_vurdering": {
        "bekymring": "Fravær og mistrivsel.", "hypoteser": ["Forældrenes skilsmisse", "Mobning"],
        "indsnaevring": "Familien har brug for støtte til at få barnet i skole.",
        "mistanke_om_overgreb": False, "anbringelse_overvejes": False, "retur_fra_krisecenter": False,
        "afgraenset_problem": False, "kompleks_problem": True, "familien_samarbejder": True,
        "et_uklart_forhold": False, "bekymring_underbygget": True, "udfald": "bfu",
        "begrundelse": "Flere og komplekse problemer: børnefaglig undersøgelse."},
    "tidlig_indsats": {"tilbud": "Familiebehandling i 3 måneder", "aftale_med_familien": True,
                       "startdato": _in_days(8)},
    "tidlig_indsats_evaluering": {"evaluering": "afslut", "evaluering_begrundelse": "Fraværet er faldet markant."},
    "visitation_indstilling": {"udfald": "bevilget", "foranstaltningstype": "stoette",
                               "foranstaltning": "Familiebehandling", "aarlig_udgift": 120000, "samtykke": "givet",
                               "boernesamtale": "afholdt", "begrundelse": "Undersøgelsen viser behov for støtte."},
    "videresend_ankestyrelsen": {"videresendt_dato": TODAY, "sagsakter_vedlagt": True,
                                 "klager_orienteret": True},
    "ankestyrelsens_afgoerelse": {"udfald": "stadfaestet", "afgoerelsesdato": TODAY},
    "afdaekning": {"afgraenset_forhold": "Skolefravær", "konklusion": "luk", "begrundelse": "Forklaret af sygdom."},
    "bfu_beslutning": {"grundlag": "stk_2", "samtykke": True, "klagevejledning_givet": True,
                       "begrundelse": "Fravær og mistrivsel over længere tid; behov for en samlet vurdering.",
                       "afgoerelsesdato": TODAY},
    "bfu": {"undersoegelsesplan": "Samtaler med barn, forældre og skole over 8 uger.",
            "barnets_udvikling": "Trist, fravær.", "foraeldrekompetencer": "Omsorgsfulde, pressede.",
            "familie_og_netvaerk": "Mormor er en ressource.", "netvaerksmoede_afholdt": True,
            "netvaerksmoede_dato": TODAY, "barnet_deltog": False, "boernesamtale_afholdt": True,
            "boernesamtale_dato": TODAY, "konklusion": "Behov for støtte i hjemmet.",
            "indstilling": "foranstaltning"},
    "partshoering": {"hoeringsbrev_sendt": TODAY, "parter": ["Mor", "Far"], "svarfrist": _in_days(14)},
    "partshoering_svar": {"bemaerkninger_modtaget": False},
    "foreloebig_vurdering": {"vurdering": "Barnet er fortsat presset, men skolen melder færre fraværsdage.",
                             "aarsag_til_forsinkelse": "Udtalelsen fra børne- og ungdomspsykiatrien mangler.",
                             "forventet_afslutning": _in_days(60)},
    "barnets_plan": {
        "formaal": "At barnet kommer stabilt i skole og trives.",
        "maal": [
            {"domaene": "skoleforhold", "maal": "Barnet møder i skole hver dag",
             "maalbart_kriterium": "Fravær under 5 % pr. måned"},
            {"domaene": "familieforhold", "maal": "Faste morgenrutiner i hjemmet",
             "maalbart_kriterium": "Forældrene melder rutinen fulgt 4 ud af 5 dage"},
            {"domaene": "fritidsforhold_og_venskaber", "maal": "Barnet går til en fritidsaktivitet",
             "maalbart_kriterium": "Deltager mindst én gang om ugen"},
        ],
        "plan_dato": TODAY},
    "afgoerelse": {"udfald": "bevilget", "foranstaltning": "Familiebehandling", "lovgrundlag": "BL § 32, stk. 1",
                   "formaal": "Støtte familien til stabil skolegang.", "forventet_varighed_maaneder": 6,
                   "samtykke": True, "begrundelse": "Undersøgelsen viser behov for støtte i hjemmet.",
                   "klagevejledning_givet": True, "afgoerelsesdato": TODAY},
    # A measure and provider of the demo indsatsvifte (service/indsatsvifte/demo.py) with a standard contract;
    # planned to start in 74 days (15 May from the tests' 2 March, which their follow-up deadlines count from).
    "ivaerksaettelse": {"indsats_kode": "familiebehandling", "leverandoer_kode": "familiehuset",
                        "maal": [{"domaene": "skoleforhold", "maal": "Barnet møder i skole hver dag",
                                  "maalbart_kriterium": "Fravær under 5 % pr. måned"},
                                 {"domaene": "familieforhold", "maal": "Faste morgenrutiner i hjemmet"}],
                        "startdato": _in_days(74), "omfang": "2 timer",
                        "hyppighed": "Ugentligt", "antal_enheder": 2, "enheder_pr": "uge",
                        "forventet_varighed_maaneder": 6,
                        "opfoelgning_aftalt": "Første opfølgning efter 3 måneder"},
    # One assessment per goal of the demo plan above (barnets_plan: three goals).
    "opfoelgning": {"opfoelgning_dato": TODAY, "samtale_med_barnet": True,
                    "maalvurderinger": [
                        {"maal_nr": 1, "vurdering": "delvist", "begrundelse": "Fraværet er faldet til 8 %."},
                        {"maal_nr": 2, "vurdering": "opnaaet", "begrundelse": "Rutinen følges næsten hver dag."},
                        {"maal_nr": 3, "vurdering": "ikke_opnaaet", "begrundelse": "Ingen aktivitet fundet endnu."}],
                    "netvaerksmoede_afholdt": True, "netvaerksmoede_dato": TODAY, "barnet_deltog": True,
                    "udfald": "fortsaet", "begrundelse": "Fremgang."},
    "tilsynsbesoeg": {"besoegsdato": TODAY, "paa_anbringelsesstedet": True, "samtale_med_barnet": True,
                      "samtale_uden_personale": True,
                      "observationer": "Barnet trives i plejefamilien og går i skole hver dag."},
    "foraeldrehandleplan": {"stoette": "bevilget", "stoette_beskrivelse": "Familiebehandling og samvær med støtte.",
                            "begrundelse": "Forældrene har brug for støtte til samværet under anbringelsen.",
                            "klagevejledning_givet": True, "afgoerelsesdato": TODAY,
                            "foraeldrehandleplan_tilbudt": True, "foraeldrene_takker_ja": True, "plan_dato": TODAY,
                            "maal": "Mor og far deltager i samvær hver anden uge."},
    "justering": {"justeringer": "Flere timer om ugen", "begrundelse": "Målene nås ikke i tide."},
    "klage_genvurdering": {"klage_modtaget": TODAY, "resultat": "fastholdt",
                           "begrundelse": "Afgørelsen fastholdes.", "videresendt_ankestyrelsen": True},
    "genvurdering": {"ny_medarbejder": "Rasmus Rådgiver", "vurdering": "Indsatsen er fortsat rigtig.",
                     "begrundelse": "Ny underretning ændrer ikke vurderingen."},
    "afslutning": {"aarsag": "maal_naaet", "maalopfyldelse": "Alle mål nået.",
                   "orienterede": ["foraeldre", "barnet", "skole"], "tilbagemelding_underretter": True},
    "ungeplan": {"plan_dato": TODAY, "maal_uddannelse_beskaeftigelse": "Gennemfører 10. klasse og søger EUD.",
                 "maal_bolig_og_oekonomi": "Kan selv handle ind og lave mad.", "den_unge_inddraget": True,
                 "samtykke": "den_unge_og_foraeldre"},
    "ungestoette_afgoerelse": {"udfald": "bevilget", "indsats": "Kontaktperson til 20 år",
                               "ungeplan_revideret": True, "begrundelse": "Den unge har fortsat behov for støtte.",
                               "afgoerelsesdato": TODAY, "klagevejledning_givet": True},
    "frist_overskredet": {"handling": "kvitter", "bemaerkning": "Sagen følges på næste teammøde."},
}
# The escalation tasks (eskalering_<frist>) all use the form "frist_overskredet"; keyed by BPMN id too,
# so callers that look payloads up by task id find them.
for _deadline in ("vurdering_24t", "kvittering", "faglig_vurdering", "bfu", "tidlig_indsats_evaluering",
                  "klage_genvurdering", "tilbagemelding_underretter", "ungeplan", "ungestoette_afgoerelse",
                  "tilsynsbesoeg", "foraeldrehandleplan"):
    FORMS[f"eskalering_{_deadline}"] = FORMS["frist_overskredet"]
FORMS["indstilling"] = FORMS["visitation_indstilling"]  # the task id in visitation.bpmn


def form(key: str, **changes: Any) -> dict[str, Any]:
    """A valid payload for a form, with some fields changed (None removes a field); dates as of today."""
    data = {**FORMS[key], **changes}
    return {k: v() if callable(v) else v for k, v in data.items() if v is not None}
