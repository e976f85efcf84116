"""Retention (domain.md §7): a closed case is archived after the configured period, by IT's command; archived, it
is read-only, out of the lists, readable and searchable by its team leader and heads of department, and kept with
its journal (nothing deleted)."""

from __future__ import annotations

from io import BytesIO

import pytest
from sqlalchemy import text

from service.cli import archive
from service.demo_payloads import form
from tests.dokumenter import files
from tests.support import cases, complete, move_to, receive
from tests.webapp.test_pages import _log_in


def _closed_case(api) -> dict:  # noqa: ANN001
    case = receive(api, underretter_type="borger")
    complete(api, case["case_id"], "registrering")
    complete(api, case["case_id"], "vurdering_24t", form("vurdering_24t", videre_forloeb="luk"))
    complete(api, case["case_id"], "afslutning", form("afslutning", aarsag="ingen_bekymring"))
    return case


def test_a_closed_case_is_archived_after_the_period_then_read_only_and_out_of_the_lists(
        api, app, settings, frozen_clock) -> None:  # noqa: ANN001
    case = _closed_case(api)
    case_id, number = case["case_id"], case["sagsnummer"]
    still_open = receive(api, cpr="020219-4322", barnets_navn="Bo")["case_id"]
    assert settings.archive_after_months == 24

    move_to(frozen_clock, "2028-03-01")  # closed 2 March 2026 at 10.00: a day short of 24 months
    assert archive(settings, run=False)[-1].startswith("0 sager skal arkiveres")
    assert api.get("/api/arkiv", "teamleder1").get_json()["skal_arkiveres"] == []

    move_to(frozen_clock, "2028-03-02")  # 24 calendar months after it closed, to the minute
    assert archive(settings, run=False) == [
        f"skal arkiveres  sag {number}  afsluttet 02-03-2026",
        "1 sag skal arkiveres (afsluttet for mindst 24 måneder siden); arkivér med «sagsflow arkiv udfoer»."]
    due = api.get("/api/arkiv", "teamleder1").get_json()
    assert [c["sagsnummer"] for c in due["skal_arkiveres"]] == [number]
    assert due["skal_arkiveres"][0]["cpr_maskeret"] == "010120-xxxx"
    assert api.get("/api/arkiv", "raadgiver1").status_code == 403
    assert api.get("/api/arkiv", "raadgiver_syd").status_code == 403

    assert archive(settings, run=True) == [f"arkiveret  sag {number}",
                                           "1 sag arkiveret (afsluttet for mindst 24 måneder siden)."]
    assert archive(settings, run=True)[-1] == "0 sager arkiveret (afsluttet for mindst 24 måneder siden)."
    overview = api.get("/api/arkiv", "afdelingsleder1").get_json()
    assert overview["skal_arkiveres"] == [] and [c["sagsnummer"] for c in overview["arkiveret"]] == [number]

    # Out of the lists, for everyone; found by those who may read it.
    for user in ("raadgiver1", "teamleder1", "afdelingsleder1"):
        assert [c["id"] for c in cases(api, user, "alle=true")] == [still_open]
    for user in ("teamleder1", "afdelingsleder1"):
        found = api.post("/api/cases/soeg", user, json={"q": "010120-4321", "arkiverede": True}).get_json()
        assert [c["id"] for c in found["sager"]] == [case_id]
    refused = api.post("/api/cases/soeg", "raadgiver1", json={"q": "Alma", "arkiverede": True})
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"

    # Readable by the team leader, with its whole journal; not by the caseworker.
    assert api.get(f"/api/cases/{case_id}", "raadgiver1").status_code == 403
    detail = api.get(f"/api/cases/{case_id}", "teamleder1").get_json()
    assert detail["arkiveret"].startswith("2028-03-02") and detail["status"] == "afsluttet"
    actions = [e["handling"] for e in detail["journal"]]
    assert actions[0] == "underretning_modtaget" and "sag_afsluttet" in actions and "sag_arkiveret" in actions

    # The access log a citizen may ask for is kept with it (domain.md §7: at least 6 months; here: for good).
    log = api.post("/api/indsigt/cpr", "teamleder1", json={"cpr": "010120-4321"}).get_json()
    assert {s["sagsnummer"] for s in log["sager"]} == {number}
    assert ("underretning_modtaget", "Rikke Rådgiver (raadgiver1)") in [(a["handling"], a["bruger"])
                                                                         for a in log["adgange"]]

    # The pages: the team leader's archive overview, and the case page read-only.
    client, _ = _log_in(app, "teamleder1")
    page = client.get("/arkiv").get_data(as_text=True)
    assert "Senest arkiveret" in page and number in page and "010120-xxxx" in page
    case_page = client.get(f"/sager/{case_id}").get_data(as_text=True)
    assert "Sagen er arkiveret" in case_page and "Tilføj dokument" not in case_page
    assert f'action="/sager/{case_id}/notater"' not in case_page and "Dan aktindsigt" in case_page
    assert number in client.get("/sager?arkiverede=1&q=Alma").get_data(as_text=True)
    assert _log_in(app, "raadgiver1")[0].get("/arkiv").status_code == 403

    # Read-only: every change refused in Danish, and under the services by the database.
    note = api.post(f"/api/cases/{case_id}/notater", "teamleder1",
                    json={"type": "telefon", "dato": "2028-03-02", "tekst": "Mor ringede."})
    assert note.status_code == 409 and note.mimetype == "application/problem+json"
    assert "Sagen er arkiveret (02.03.2028) og kan ikke ændres" in note.get_json()["detail"]
    upload = api.post(f"/api/cases/{case_id}/dokumenter", "teamleder1", content_type="multipart/form-data",
                      data={"fil": (BytesIO(files.pdf()), "sent.pdf")})
    assert upload.status_code == 409
    klage = api.post(f"/api/cases/{case_id}/klager", "teamleder1",
                     json={"modtaget": "2028-03-02", "beskrivelse": "Klage"})
    assert klage.status_code == 409
    with app.extensions["sagsflow"]["engine"].connect() as conn:
        with pytest.raises(Exception, match="arkiveret sag kan ikke ændres"):
            conn.execute(text("UPDATE cases SET child_name = 'X' WHERE id = :id"), {"id": case_id})
        conn.rollback()
        with pytest.raises(Exception, match="sager slettes aldrig"):
            conn.execute(text("DELETE FROM cases WHERE id = :id"), {"id": still_open})

    # A new underretning about the child opens a new case (the archived one stays as it was).
    again = receive(api)
    assert again["case_id"] != case_id and not again["joined"]
