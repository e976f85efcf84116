"""Form dates that record what happened (held, sent, received) may not lie after today; planned dates may.

The clock is frozen at 2 March 2026 10.00 Danish time (tests/conftest.py); "today" is the Danish date.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from service.config import ROOT
from service.demo_payloads import UNDERRETNING, form
from service.forms import service as validation
from service.webapp import forms as html_forms
from service.webapp import intake as intake_form
from tests.support import complete, open_bpmn_ids, open_task, receive, walk_to_running_measure

TODAY = date(2026, 3, 2)
TOMORROW = (TODAY + timedelta(days=1)).isoformat()
TOO_LATE = "må ikke ligge efter i dag (2. marts 2026)."

# Every date field in forms/, decided one by one: it records what happened, or it plans something.
HAPPENED = {
    ("afgoerelse", "afgoerelsesdato"), ("ankestyrelsens_afgoerelse", "afgoerelsesdato"),
    ("akut_foranstaltning", "iverksat_dato"), ("barnets_plan", "plan_dato"), ("bfu", "boernesamtale_dato"),
    ("bfu", "netvaerksmoede_dato"), ("opfoelgning", "netvaerksmoede_dato"),
    ("bfu_beslutning", "afgoerelsesdato"), ("fremskudt_boernesamtale", "samtale_dato"),
    ("klage_genvurdering", "klage_modtaget"), ("kvittering", "kvittering_sendt"),
    ("opfoelgning", "opfoelgning_dato"), ("partshoering", "hoeringsbrev_sendt"), ("partshoering_svar", "svar_dato"),
    ("tidlig_indsats_evaluering", "evalueringsdato"), ("tilbagemelding_underretter", "tilbagemelding_sendt"),
    ("ungeplan", "plan_dato"), ("ungestoette_afgoerelse", "afgoerelsesdato"),
    ("videresend_ankestyrelsen", "videresendt_dato"), ("tilsynsbesoeg", "besoegsdato"),
    ("foraeldrehandleplan", "afgoerelsesdato"), ("foraeldrehandleplan", "plan_dato"),
}
PLANNED = {
    ("foreloebig_vurdering", "forventet_afslutning"), ("frist_overskredet", "ny_dato"),
    ("ivaerksaettelse", "startdato"), ("partshoering", "svarfrist"), ("tidlig_indsats", "startdato"),
}


def _schema(key: str) -> dict[str, Any]:
    return json.loads((ROOT / "forms" / f"{key}.json").read_text(encoding="utf-8"))


def _date_fields() -> dict[tuple[str, str], dict[str, Any]]:
    return {(path.stem, name): prop for path in sorted((ROOT / "forms").glob("*.json"))
            for name, prop in _schema(path.stem).get("properties", {}).items() if prop.get("format") == "date"}


def _payload(key: str, **dates: str) -> dict[str, Any]:
    """The demo payload with the dates given; a payload without the field (optional) gets it added."""
    data = form(key)
    if key == "partshoering_svar":  # the date of remarks belongs with remarks received
        data.update(bemaerkninger_modtaget=True, bemaerkninger="Mor er uenig i vurderingen.")
    if key == "tidlig_indsats_evaluering":
        data.update(evaluering="ny_screening")
    return {**data, **dates}


def test_every_date_field_is_decided_and_the_schema_says_which() -> None:
    fields = _date_fields()
    assert set(fields) == HAPPENED | PLANNED
    for key, name in HAPPENED:
        assert fields[key, name]["x-senest"] == "i dag"
        assert fields[key, name]["description"].endswith("Må ikke ligge efter i dag.")
    assert not [f for f in PLANNED if "x-senest" in fields[f]]


@pytest.mark.parametrize(("key", "name"), sorted(HAPPENED))
def test_a_date_that_happened_is_refused_tomorrow_and_taken_today(frozen_clock, key: str, name: str) -> None:
    schema = _schema(key)
    title = schema["properties"][name]["title"]
    assert validation.validate(schema, _payload(key, **{name: TODAY.isoformat()})) == []
    errors = validation.validate(schema, _payload(key, **{name: TOMORROW}))
    assert [(e.field, e.message) for e in errors] == [(name, f"«{title}» {TOO_LATE}")]


@pytest.mark.parametrize(("key", "name"), sorted(PLANNED))
def test_a_planned_date_may_lie_ahead(frozen_clock, key: str, name: str) -> None:
    ahead = {name: (TODAY + timedelta(days=365)).isoformat()}
    if key == "frist_overskredet":
        ahead.update(handling="ny_dato", begrundelse="Familien er på ferie.")
    assert validation.validate(_schema(key), _payload(key, **ahead)) == []


def test_today_is_the_danish_date_not_the_utc_one(frozen_clock) -> None:
    frozen_clock.set(datetime(2026, 3, 2, 23, 30, tzinfo=UTC))  # 00.30 on 3 March in Copenhagen
    schema = _schema("kvittering")
    assert validation.validate(schema, _payload("kvittering", kvittering_sendt="2026-03-03")) == []
    too_late = validation.validate(schema, _payload("kvittering", kvittering_sendt="2026-03-04"))
    assert too_late[0].message == "«Kvittering sendt (dato)» må ikke ligge efter i dag (3. marts 2026)."


def test_the_web_form_gives_past_dates_todays_date_as_max(frozen_clock) -> None:
    fields = {f.path: f for f in html_forms.fields_for(_schema("partshoering"))}
    assert fields["hoeringsbrev_sendt"].latest == "2026-03-02"
    assert fields["svarfrist"].latest == ""
    intake = {f.path: f for f in html_forms.fields_for(intake_form.FORM)}
    assert intake["modtaget"].kind == "datetime" and intake["modtaget"].latest == "2026-03-02T23:59"


def test_the_keyword_only_means_today_on_a_date_field(tmp_path: Path) -> None:
    schema = {"type": "object", "properties": {
        "holdt": {"type": "string", "format": "date", "x-senest": "i morgen"},
        "navn": {"type": "string", "x-senest": "i dag"}}}
    (tmp_path / "samtale.json").write_text(json.dumps(schema), encoding="utf-8")
    with pytest.raises(validation.FormInvalid) as refused:
        validation.load_form(tmp_path, "samtale")
    assert "«x-senest» ved «holdt» kan kun være \"i dag\"" in str(refused.value)
    assert "«x-senest» ved «navn»" in str(refused.value)


# Through the API, on SQLite and PostgreSQL, with the real engine.

def test_a_follow_up_dated_tomorrow_is_refused_and_the_case_stays_open(api) -> None:
    cid = receive(api)["case_id"]
    walk_to_running_measure(api, cid)
    task = open_task(api, cid, "opfoelgning")
    closing = form("opfoelgning", udfald="afslut", opfoelgning_dato=TOMORROW)
    response = api.post(f"/api/tasks/{task['id']}/complete", json={"data": closing})
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert response.get_json()["errors"] == [{"field": "opfoelgning_dato",
                                              "message": f"«Opfølgningens dato» {TOO_LATE}"}]
    assert "opfoelgning" in open_bpmn_ids(api, cid)
    complete(api, cid, "opfoelgning", form("opfoelgning", udfald="afslut", opfoelgning_dato=TODAY.isoformat()))
    assert "opfoelgning" not in open_bpmn_ids(api, cid)


def test_a_hearing_letter_sent_tomorrow_is_refused_while_its_reply_deadline_may_lie_ahead(api) -> None:
    cid = receive(api)["case_id"]
    for step in ("vurdering_24t", "faglig_vurdering"):
        complete(api, cid, step)
    complete(api, cid, "bfu", form("bfu", indstilling="afslag"))
    task = open_task(api, cid, "partshoering")
    sent_tomorrow = form("partshoering", hoeringsbrev_sendt=TOMORROW, svarfrist="2026-03-31")
    response = api.post(f"/api/tasks/{task['id']}/complete", json={"data": sent_tomorrow})
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["hoeringsbrev_sendt"]
    complete(api, cid, "partshoering", form("partshoering", hoeringsbrev_sendt="2026-03-02", svarfrist="2026-03-31"))


def test_a_complaint_received_tomorrow_is_refused(api) -> None:
    cid = receive(api)["case_id"]
    walk_to_running_measure(api, cid)
    url = f"/api/cases/{cid}/klager"
    response = api.post(url, json={"modtaget": TOMORROW, "beskrivelse": "Uenig i afgørelsen."})
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"field": "modtaget",
                                              "message": "Datoen må ikke ligge efter i dag (2. marts 2026)."}]
    assert "klage_genvurdering" not in open_bpmn_ids(api, cid)
    assert api.post(url, json={"modtaget": TODAY.isoformat(), "beskrivelse": "Uenig."}).status_code == 201


def test_an_underretning_received_in_an_hour_is_refused(api) -> None:
    later = {**UNDERRETNING, "cpr": "120521-4326", "modtaget": "2026-03-02T11:00:00+01:00"}  # now is 10.00
    response = api.post("/api/underretninger", json=later)
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"field": "modtaget",
                                              "message": "Modtagelsestidspunktet kan ikke ligge i fremtiden."}]
    assert api.post("/api/underretninger", json={**later, "modtaget": "2026-03-02T10:00:00+01:00"}).status_code == 201


def test_the_task_page_limits_the_date_picker_and_shows_the_refusal_at_the_field(api, app) -> None:
    from tests.webapp.test_pages import _log_in
    cid = receive(api)["case_id"]
    complete(api, cid, "registrering")
    task_id = open_task(api, cid, "kvittering")["id"]
    client, token = _log_in(app)
    page = client.get(f"/opgaver/{task_id}").get_data(as_text=True)
    field = re.search(r'<input id="f-kvittering_sendt"[^>]*>', page).group(0)
    assert 'type="date"' in field and 'max="2026-03-02"' in field
    response = client.post(f"/opgaver/{task_id}", data={"csrf_token": token, "kvittering_sendt": TOMORROW,
                                                        "kanal": "digital_post", "handling": "udfoer"})
    assert response.status_code == 422
    assert f'id="f-kvittering_sendt-fejl">«Kvittering sendt (dato)» {TOO_LATE}' in response.get_data(as_text=True)
