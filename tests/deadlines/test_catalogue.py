"""The deadline catalogue: local rules configurable, legal deadlines only tightened."""

from __future__ import annotations

import pytest

from service.config import ROOT
from service.deadlines import catalogue

SHIPPED = (ROOT / "workflows" / "frister.toml").read_text(encoding="utf-8")


def test_shipped_catalogue_holds_every_deadline_of_the_domain():
    loaded = catalogue.parse(SHIPPED)
    assert set(catalogue.LEGAL_LIMITS) <= set(loaded.rules)
    assert loaded.rule("vurdering_24t").unit == "hours" and loaded.rule("kvittering").unit == "working_days"
    assert loaded.rule("faglig_vurdering").basis == "lokal"


def test_a_local_deadline_can_be_changed_and_a_legal_one_tightened():
    text = SHIPPED.replace('varighed = 4\nenhed = "weeks"\ngrundlag = "lokal"',
                           'varighed = 3\nenhed = "weeks"\ngrundlag = "lokal"')
    text = text.replace('varighed = 4\nenhed = "months"', 'varighed = 3\nenhed = "months"')
    loaded = catalogue.parse(text)
    assert loaded.rule("faglig_vurdering").amount == 3 and loaded.rule("bfu").amount == 3


@pytest.mark.parametrize(("old", "new", "message"), [
    ('varighed = 24\nenhed = "hours"', 'varighed = 48\nenhed = "hours"', "længere end loven"),
    ('varighed = 6\nenhed = "working_days"', 'varighed = 2\nenhed = "weeks"', "tælles i working_days"),
    ('[frister.bfu]\nnavn = "Børnefaglig undersøgelse"\nvarighed = 4\nenhed = "months"\ngrundlag = "lov"',
     '[frister.bfu]\nnavn = "Børnefaglig undersøgelse"\nvarighed = 4\nenhed = "months"\ngrundlag = "lokal"',
     "lovbestemt frist"),
    ('varighed = 14\nenhed = "days"', 'varighed = 0\nenhed = "days"', "positivt heltal"),
    # a deadline before the 18th birthday is tightened by a longer lead, loosened by a shorter one
    ('varighed = 6\nenhed = "months"\nfoer = true', 'varighed = 5\nenhed = "months"\nfoer = true',
     "kortere end loven kræver"),
    ('varighed = 6\nenhed = "months"\nfoer = true', 'varighed = 6\nenhed = "months"\nfoer = false',
     "tælles før"),
    ('advis_foer = { varighed = 3, enhed = "months" }', 'advis_foer = { varighed = 3, enhed = "aar" }',
     "advis_foer"),
])
def test_legal_deadlines_cannot_be_loosened(old, new, message):
    assert old in SHIPPED
    with pytest.raises(catalogue.CatalogueInvalid) as refused:
        catalogue.parse(SHIPPED.replace(old, new, 1))
    assert message in str(refused.value)


def test_missing_legal_deadline_is_refused():
    start = SHIPPED.index("[frister.bfu]")
    end = SHIPPED.index("[frister.barnets_plan]")
    with pytest.raises(catalogue.CatalogueInvalid, match="bfu: den lovbestemte frist mangler"):
        catalogue.parse(SHIPPED[:start] + SHIPPED[end:])


def test_a_deadline_before_its_start_can_be_given_a_longer_lead():
    loaded = catalogue.parse(SHIPPED.replace('varighed = 6\nenhed = "months"\nfoer = true',
                                             'varighed = 7\nenhed = "months"\nfoer = true'))
    assert loaded.rule("ungestoette_afgoerelse").amount == 7 and loaded.rule("ungestoette_afgoerelse").before


@pytest.mark.parametrize("target", ["120", "-1", '"90"', "true", "90.5"])
def test_a_target_is_a_whole_percentage(target):
    with pytest.raises(catalogue.CatalogueInvalid, match="bfu: maal er den andel"):
        catalogue.parse(SHIPPED.replace("grundlag = \"lov\"\nmaal = 90", f"grundlag = \"lov\"\nmaal = {target}", 1))


def test_targets_are_the_municipalitys_and_optional():
    loaded = catalogue.parse(SHIPPED)
    assert loaded.rule("bfu").target == 90 and loaded.rule("faglig_vurdering").target == 75
    assert loaded.rule("kvittering").target is None


def test_practice_targets_are_percentages_too():
    targets = catalogue.parse(SHIPPED).quality_targets
    assert targets == {"barnets_plan_foer_afgoerelse": 95, "boernesamtale_afholdt": 100, "netvaerksmoede": 70,
                       "barn_deltager_i_opfoelgning": 100}
    with pytest.raises(catalogue.CatalogueInvalid, match="kvalitetsmaal.boernesamtale_afholdt"):
        catalogue.parse(SHIPPED.replace("boernesamtale_afholdt = 100", "boernesamtale_afholdt = 101"))
