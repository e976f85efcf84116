"""Rendering task forms from JSON Schema and reading posted fields back; Danish times."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from service.config import ROOT
from service.demo_payloads import form
from service.errors import FieldError
from service.forms import service as validation
from service.webapp import forms
from service.webapp.format import time_left, when

FORM_KEYS = sorted(p.stem for p in (ROOT / "forms").glob("*.json"))


def _schema(key: str) -> dict[str, Any]:
    return json.loads((ROOT / "forms" / f"{key}.json").read_text(encoding="utf-8"))


def _post(fields: list[forms.Field]) -> MultiDict:
    """What a browser sends for the rendered fields with their values."""
    posted = MultiDict()
    for f in fields:
        if f.kind == "group":
            for item in f.items:
                posted.update(_post(item))
        elif f.kind in ("radio", "checkboxes"):
            posted.setlist(f.path, [value for value, _ in f.options if f.checked(value)])
        elif f.kind == "checkbox":
            if f.value:
                posted.add(f.path, "true")
        else:
            posted.add(f.path, f.text)
    return posted


@pytest.mark.parametrize("key", FORM_KEYS)
def test_every_form_round_trips_through_html_fields(key: str) -> None:
    schema = _schema(key)
    data = form(key)
    back = forms.to_data(schema, _post(forms.fields_for(schema, data)))
    assert _unordered(back) == _unordered(data)  # checkboxes come back in the form's order
    assert validation.validate(schema, back) == []


def _unordered(data: dict[str, Any]) -> dict[str, Any]:
    return {k: sorted(v) if isinstance(v, list) and all(isinstance(i, str) for i in v) else v
            for k, v in data.items()}


def test_fields_follow_the_ui_hints() -> None:
    fields = {f.path: f for f in forms.fields_for(_schema("afgoerelse"))}
    assert list(fields)[:3] == ["udfald", "foranstaltning", "lovgrundlag"]
    assert fields["udfald"].kind == "radio" and fields["udfald"].options == [("bevilget", "Bevilget"),
                                                                             ("afslag", "Afslag")]
    assert fields["samtykke"].options == [("true", "Ja"), ("false", "Nej")]
    assert fields["klagevejledning_givet"].kind == "checkbox"
    assert fields["afgoerelsesdato"].kind == "date"
    assert fields["forventet_varighed_maaneder"].kind == "number" and fields["forventet_varighed_maaneder"].integer
    assert fields["udfald"].required and not fields["foranstaltning"].required
    plan = {f.path: f for f in forms.fields_for(_schema("barnets_plan"))}
    assert len(plan["maal"].items) == 5  # maxItems: a fieldset for every possible goal
    assert [f.path for f in plan["maal"].items[0]] == ["maal.0.domaene", "maal.0.maal", "maal.0.maalbart_kriterium"]
    assert plan["maal"].items[0][1].kind == "textarea"


def test_posted_text_becomes_typed_data_and_errors_find_their_field() -> None:
    schema = _schema("afgoerelse")
    data = forms.to_data(schema, MultiDict({"forventet_varighed_maaneder": "x", "samtykke": "false", "udfald": ""}))
    assert data == {"forventet_varighed_maaneder": "x", "samtykke": False, "klagevejledning_givet": False}
    errors = forms.errors_by_field(validation.validate(schema, data))
    fields = {f.path: f for f in forms.fields_for(schema, data, errors)}
    assert fields["forventet_varighed_maaneder"].errors == ["«Forventet varighed (måneder)» skal være et helt tal."]
    assert fields["klagevejledning_givet"].errors == ["«Klagevejledning er givet» skal bekræftes."]
    assert fields["udfald"].errors == ["«Afgørelse» skal udfyldes."]
    lines = forms.to_data(_schema("partshoering"), MultiDict({"parter": "Mor\n\n Far \n"}))
    assert lines["parter"] == ["Mor", "Far"]
    assert forms.errors_by_field([FieldError("maal.1.maal", "a"), FieldError("maal.1.maal", "b")]) == {
        "maal.1.maal": ["a", "b"]}


def test_a_completed_form_reads_in_danish() -> None:
    pairs = dict(forms.readable(_schema("vurdering_24t"), form("vurdering_24t")))
    assert pairs == {"Barnet er i akut fare": "Nej", "Faglig begrundelse": form("vurdering_24t")["begrundelse"],
                     "Videre forløb": "Videre til screening og faglig vurdering"}
    afslutning = dict(forms.readable(_schema("afslutning"), form("afslutning")))
    assert all("_" not in value for value in afslutning.values())


def test_time_left_in_danish() -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert time_left(now + timedelta(hours=24), now) == "24 timer tilbage"
    assert time_left(now + timedelta(hours=1, minutes=5), now) == "1 time 5 min tilbage"
    assert time_left(now + timedelta(days=28, hours=3), now) == "28 dage tilbage"
    assert time_left(now - timedelta(minutes=20), now) == "overskredet med 20 min"
    assert time_left(now - timedelta(days=3), now) == "overskredet med 3 dage"
    assert when(now) == "2. mar. 2026 kl. 10.00"  # Copenhagen time


def test_server_choices_turn_a_text_field_into_a_list() -> None:
    fields = {f.path: f for f in forms.fields_for(_schema("frist_overskredet"), {"ny_raadgiver": "raadgiver2"},
                                                   choices={"ny_raadgiver": [("raadgiver2", "Rasmus Rådgiver")]})}
    assert fields["ny_raadgiver"].kind == "select"
    assert fields["ny_raadgiver"].options == [("raadgiver2", "Rasmus Rådgiver")]
    assert fields["ny_raadgiver"].checked("raadgiver2")
    assert fields["bemaerkning"].kind == "textarea"


def test_conditionally_required_fields_say_when() -> None:
    escalation = {f.path: f for f in forms.fields_for(_schema("frist_overskredet"))}
    assert escalation["ny_dato"].required_when == "«Handling» er «Aftal ny dato»"
    assert escalation["begrundelse"].required_when == "«Handling» er «Aftal ny dato»"
    assert escalation["bemaerkning"].required_when == ""
    registrering = {f.path: f for f in forms.fields_for(_schema("registrering"))}
    assert registrering["aarsag_andet"].required_when == "«Årsager til underretningen» omfatter «Andet»"
    assert registrering["orientering_undladt_begrundelse"].required_when == (
        "«Forældremyndighedsindehaveren er orienteret om underretningen» er «Nej»")
