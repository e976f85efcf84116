"""The case page's notes: written in a form with the server's errors by the fields, in the journal's timeline;
changed on their own page within 24 hours, then only corrected."""

from __future__ import annotations

import re

import pytest

from tests.support import receive
from tests.webapp.test_pages import _log_in


def _note_id(response) -> str:  # noqa: ANN001
    return re.search(r"#notat-([0-9a-f-]{36})$", response.headers["Location"]).group(1)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_note_written_on_the_case_page_is_in_the_timeline_then_changed_and_corrected(api, app, frozen_clock):  # noqa: ANN001
    case_id = receive(api)["case_id"]
    client, token = _log_in(app)
    page = client.get(f"/sager/{case_id}").get_data(as_text=True)
    assert "Sagen har ingen notater." in page and 'action="/sager/' + case_id + '/notater"' in page
    assert 'type="date"' in page and 'max="2026-03-02"' in page  # the browser's limit; the server checks too

    refused = client.post(f"/sager/{case_id}/notater", data={"csrf_token": token, "dato": "2026-03-03",
                                                           "tekst": "Far ringede om skolen."})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert re.search(r'id="f-type-fejl">Vælg samtale, hjemmebesøg, telefon, netværksmøde eller andet\.', page)
    assert re.search(r'id="f-dato-fejl">Datoen for hændelsen må ikke ligge efter i dag \(2\. marts 2026\)\.', page)
    assert "Far ringede om skolen.</textarea>" in page  # what was typed survives the error

    written = client.post(f"/sager/{case_id}/notater", data={
        "csrf_token": token, "type": "telefon", "dato": "2026-03-02", "tekst": "Far ringede om skolen."})
    assert written.status_code == 302
    note_id = _note_id(written)
    page = client.get(f"/sager/{case_id}").get_data(as_text=True)
    assert f'id="notat-{note_id}"' in page and "Ret notatet" in page
    timeline = page[page.index('id="journal-titel"'):]
    assert "Notat: Telefon 02.03.2026" in timeline and "Far ringede om skolen." in timeline

    changed = client.post(f"/sager/{case_id}/notater/{note_id}/ret", data={
        "csrf_token": token, "type": "telefon", "dato": "2026-03-02", "tekst": "Far ringede om skolefraværet."})
    assert changed.status_code == 302
    timeline = client.get(f"/sager/{case_id}").get_data(as_text=True).split('id="journal-titel"')[1]
    assert "Notat ændret: Telefon 02.03.2026" in timeline and "Stod før" in timeline

    frozen_clock.advance(hours=24)  # a new working day: a new log-in
    client, token = _log_in(app)
    colleague, colleague_token = _log_in(app, "raadgiver2")
    page = colleague.get(f"/sager/{case_id}").get_data(as_text=True)
    assert "Ret notatet" not in page and "Skriv en rettelse" in page
    late = client.post(f"/sager/{case_id}/notater/{note_id}/ret", data={
        "csrf_token": token, "type": "telefon", "dato": "2026-03-02", "tekst": "For sent."})
    assert late.status_code == 409 and "Skriv en rettelse, der henviser til notatet" in late.get_data(as_text=True)
    form = colleague.get(f"/sager/{case_id}/notater/{note_id}/rettelse").get_data(as_text=True)
    assert 'value="2026-03-02"' in form  # the corrected note's date, to keep or change
    corrected = colleague.post(f"/sager/{case_id}/notater/{note_id}/rettelse", data={
        "csrf_token": colleague_token, "type": "telefon", "dato": "2026-03-02", "tekst": "Det var mor, ikke far."})
    assert corrected.status_code == 302
    page = colleague.get(f"/sager/{case_id}").get_data(as_text=True)
    note = page[page.index(f'id="notat-{note_id}"'):page.index('id="nyt-notat"')]
    assert "Far ringede om skolefraværet." in note and "Det var mor, ikke far." in note  # nested under the note
    assert "Rettelse til notat: Telefon 02.03.2026" in page.split('id="journal-titel"')[1]

    head = app.test_client()
    head.post("/log-ind", data={"username": "afdelingsleder1", "password": "demo"})
    page = head.get(f"/sager/{case_id}").get_data(as_text=True)
    assert "Det var mor, ikke far." in page and 'id="nyt-notat"' not in page  # reads, writes nothing
