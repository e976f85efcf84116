"""Journal notes (notatpligt): written on the case, changed by the author for 24 hours, then only corrected by a
note that refers to them; every note in the case's journal; access per team and role."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from tests.support import open_task, receive

NOTE = {"type": "hjemmebesoeg", "dato": "2026-03-01", "tekst": "Mor fortæller, at Alma sover dårligt om natten."}


def _journal(api, case_id: str) -> list[dict]:  # noqa: ANN001
    return api.get(f"/api/cases/{case_id}", "teamleder1").get_json()["journal"]


def test_a_note_is_changed_for_24_hours_then_only_corrected(api, app, frozen_clock, caplog) -> None:  # noqa: ANN001
    caplog.set_level(logging.DEBUG)
    case_id = receive(api)["case_id"]
    url = f"/api/cases/{case_id}/notater"
    written = api.post(url, json=NOTE)
    assert written.status_code == 201, written.get_json()
    note = written.get_json()
    assert note["type_navn"] == "Hjemmebesøg" and note["skrevet_af_navn"] == "Rikke Rådgiver"
    assert note["kan_aendres_til"].startswith("2026-03-03T09:00")

    frozen_clock.advance(hours=23, minutes=59)
    colleague = api.call("PATCH", f"{url}/{note['id']}", "raadgiver2", json={"tekst": "Noget andet."})
    assert colleague.status_code == 403 and "rettelse" in colleague.get_json()["detail"]
    changed = api.call("PATCH", f"{url}/{note['id']}", "raadgiver1",
                       json={"tekst": "Mor fortæller, at Alma sover dårligt og vågner flere gange."})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["aendret"] is not None

    frozen_clock.advance(minutes=1)  # 24 hours after it was written
    late = api.call("PATCH", f"{url}/{note['id']}", "raadgiver1", json={"tekst": "For sent."})
    assert late.status_code == 409 and late.mimetype == "application/problem+json"
    assert "kan kun ændres i 24 timer" in late.get_json()["detail"]
    assert f"/api/cases/{case_id}/notater/{note['id']}/rettelser" in late.get_json()["detail"]

    correction = api.post(f"{url}/{note['id']}/rettelser", "raadgiver2",
                          json={"tekst": "Rettelse: det var far, ikke mor, der fortalte det."})
    assert correction.status_code == 201, correction.get_json()
    assert correction.get_json()["retter"] == note["id"]
    assert (correction.get_json()["type"], correction.get_json()["dato"]) == ("hjemmebesoeg", "2026-03-01")

    listed = api.get(url, "teamleder1").get_json()
    assert {n["id"]: n["tekst"] for n in listed} == {
        note["id"]: "Mor fortæller, at Alma sover dårligt og vågner flere gange.",
        correction.get_json()["id"]: "Rettelse: det var far, ikke mor, der fortalte det."}
    journal = _journal(api, case_id)
    assert [e["handling"] for e in journal if e["handling"].startswith("notat")] == [
        "notat_skrevet", "notat_aendret", "notat_rettelse"]
    assert any(e["tekst"] == "Sagens notater er læst" for e in journal)
    assert "sover dårligt" not in caplog.text  # case content stays out of the logs

    with app.extensions["sagsflow"]["engine"].connect() as conn, pytest.raises(Exception, match="slettes"):
        conn.execute(text("DELETE FROM notater"))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_note_is_checked_field_by_field_and_written_only_by_the_cases_team(api) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    other_case = receive(api, cpr="020219-4322", barnets_navn="Bo")["case_id"]
    url = f"/api/cases/{case_id}/notater"
    for blank in ("  ", "    "):
        refused = api.post(url, json={"type": "sms", "dato": "2026-03-02", "tekst": blank})
        assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
        assert sorted((e["field"], e["message"]) for e in refused.get_json()["errors"]) == [
            ("tekst", "Skriv notatet (mindst 3 tegn)."),
            ("type", "Vælg samtale, hjemmebesøg, telefon, netværksmøde eller andet.")]
    future = api.post(url, json={**NOTE, "dato": "2026-03-03"})  # tomorrow in Denmark
    assert future.status_code == 422
    assert future.get_json()["errors"] == [
        {"field": "dato", "message": "Datoen for hændelsen må ikke ligge efter i dag (2. marts 2026)."}]
    foreign_task = open_task(api, other_case, "vurdering_24t")["id"]
    assert api.post(url, json={**NOTE, "opgave_id": foreign_task}).get_json()["errors"] == [
        {"field": "opgave_id", "message": "Opgaven hører ikke til sagen."}]

    task = open_task(api, case_id, "vurdering_24t")
    tied = api.post(url, json={**NOTE, "type": "telefon", "dato": "2026-03-02", "opgave_id": task["id"]})
    assert tied.status_code == 201 and tied.get_json()["opgave_navn"] == task["navn"]
    assert api.post(url, "raadgiver_syd", json=NOTE).status_code == 404  # another team's case does not exist
    assert api.get(url, "raadgiver_syd").status_code == 404
    assert api.post(url, "afdelingsleder1", json=NOTE).status_code == 403  # reads every team's cases, writes none
    assert [n["type"] for n in api.get(url, "afdelingsleder1").get_json()] == ["telefon"]
    other_note = f"/api/cases/{other_case}/notater/{tied.get_json()['id']}"
    assert api.call("PATCH", other_note, "raadgiver1", json={"tekst": "Forkert sag."}).status_code == 404
