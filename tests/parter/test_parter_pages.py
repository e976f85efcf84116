"""The case page's parties: registered in a form with the server's errors by the fields, CPR masked until shown
(and the showing journalled), ended without being deleted; the young person's consent from 15."""

from __future__ import annotations

import re

import pytest

from tests.webapp.test_pages import _log_in


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_party_registered_on_the_case_page_is_masked_shown_and_ended(api, app) -> None:  # noqa: ANN001
    client, token = _log_in(app)
    intake = {"csrf_token": token, "cpr": "010110-4321", "barnets_navn": "Alma Jensen", "underretter_type": "borger",
              "kanal": "telefon", "beskrivelse": "Naboen hører råben.", "foraelder_rolle": "mor",
              "foraelder_navn": "Karen Holm", "foraelder_cpr": "120385-12", "foraelder_adresse": "Skolevej 3"}
    refused = client.post("/underretninger/ny", data=intake)
    assert refused.status_code == 422
    assert re.search(r'id="f-foraelder_cpr-fejl">CPR-nummeret', refused.get_data(as_text=True))
    received = client.post("/underretninger/ny", data={**intake, "foraelder_cpr": "120385-1234"})
    assert received.status_code == 302
    case_id = received.headers["Location"].removeprefix("/sager/")
    page = client.get(f"/sager/{case_id}").get_data(as_text=True)
    # 16 years old: a party who consents herself
    assert "16 år – part i sagen" in page and "Forældremyndighed</dt><dd>Mor" in page
    assert "120385-xxxx" in page and "120385-1234" not in page
    assert 'action="/sager/' + case_id + '/parter/samtykke"' in page

    refused = client.post(f"/sager/{case_id}/parter", data={"csrf_token": token, "navn": "Jens Holm",
                                                          "foraeldremyndighed": "true"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert re.search(r'id="f-rolle-fejl">Vælg mor, far eller værge\.', page)
    assert re.search(r'id="f-adresse-fejl">Adressen skal udfyldes', page) and 'value="Jens Holm"' in page
    added = client.post(f"/sager/{case_id}/parter", data={
        "csrf_token": token, "rolle": "far", "navn": "Jens Holm", "adresse": "Havnegade 9, 4220 Korsør",
        "foraeldremyndighed": "true"})
    assert added.status_code == 302
    page = client.get(f"/sager/{case_id}").get_data(as_text=True)
    assert "Forældremyndighed</dt><dd>Fælles (mor og far)" in page
    part_id = re.search(r'/parter/([0-9a-f-]{36})/cpr', page).group(1)

    shown = client.post(f"/sager/{case_id}/parter/{part_id}/cpr", data={"csrf_token": token})
    assert shown.status_code == 200 and "120385-1234" in shown.get_data(as_text=True)
    consent = client.post(f"/sager/{case_id}/parter/samtykke", data={
        "csrf_token": token, "ung_samtykke": "givet", "samtykke_dato": "2026-03-02"})
    assert consent.status_code == 302
    ended = client.post(f"/sager/{case_id}/parter/{part_id}/ophoer", data={"csrf_token": token})
    assert ended.status_code == 302
    page = client.get(f"/sager/{case_id}").get_data(as_text=True)
    assert "Tidligere parter: Karen Holm" in page and "Forældremyndighed</dt><dd>Far" in page
    assert "Givet (2. mar. 2026)" in page
    timeline = page[page.index('id="journal-titel"'):]
    assert "Part registreret: Karen Holm, mor" in timeline and "Part ophørt: Karen Holm, mor" in timeline
