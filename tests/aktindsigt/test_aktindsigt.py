"""Aktindsigt: the case's team leader produces one PDF of the journal, notes, letters and documents for a party; every
CPR number but the party's own is masked, and producing it is journalled."""

from __future__ import annotations

import io
import logging
from io import BytesIO

import pytest
from pypdf import PdfReader

from tests.dokumenter import files
from tests.support import complete, receive, walk_to_decision
from tests.webapp.test_pages import _log_in

FATHER, NEIGHBOUR = "150385-1237", "2207901234"  # the requesting party; a third party (written without a dash)


def _text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_team_leader_gives_a_party_aktindsigt_with_other_cpr_numbers_masked(api, app, caplog) -> None:  # noqa: ANN001
    caplog.set_level(logging.DEBUG)
    case_id = receive(api)["case_id"]
    walk_to_decision(api, case_id)
    complete(api, case_id, "afgoerelse", user="teamleder1")  # the decision letter
    written = api.post(f"/api/cases/{case_id}/notater", json={
        "type": "samtale", "dato": "2026-03-02",
        "tekst": f"Far (CPR {FATHER}) fortalte, at naboen ({NEIGHBOUR}) har set Alma alene om aftenen."})
    assert written.status_code == 201, written.get_json()
    uploaded = api.post(f"/api/cases/{case_id}/dokumenter", content_type="multipart/form-data",
                        data={"fil": (BytesIO(files.pdf()), "Skoleudtalelse.pdf")})
    assert uploaded.status_code == 201, uploaded.get_json()
    url = f"/api/cases/{case_id}/aktindsigt"

    for user, status in (("raadgiver1", 403), ("afdelingsleder1", 403), ("raadgiver_syd", 404)):
        refused = api.post(url, user, json={})
        assert refused.status_code == status and refused.mimetype == "application/problem+json"
    bad = api.post(url, "teamleder1", json={"part_cpr": "320185-1234"})
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "part_cpr"

    given = api.post(url, "teamleder1", json={"part_cpr": FATHER, "part_navn": "Jens Jensen"})
    assert given.status_code == 200 and given.mimetype == "application/pdf"
    assert 'filename="aktindsigt-2026-00001.pdf"' in given.headers["Content-Disposition"]
    bundle = _text(given.data)
    assert "Aktindsigt i sag 2026-00001" in bundle and "Udleveret til: Jens Jensen, CPR 150385-1237" in bundle
    assert f"Far (CPR {FATHER}) fortalte, at naboen (xxxxxx-xxxx) har set Alma" in bundle
    assert "Barn: Alma Jensen, CPR xxxxxx-xxxx" in bundle  # the child's number too: the father asked
    assert "010120" not in bundle and "220790" not in bundle
    assert "Underretning modtaget" in bundle and "Skoleudtalelse.pdf" in bundle and "Rikke Rådgiver" in bundle
    assert "Breve (2) Afgørelse om" in bundle and "Klagevejledning" in bundle  # the BFU decision and the grant
    assert "Afgørelse om børnefaglig undersøgelse" in bundle
    assert "Sagen er læst" not in bundle  # reads are the access log (indsigt), not the case's events

    anonymous = _text(api.post(url, "teamleder1", json={}).data)
    assert FATHER not in anonymous and "Far (CPR xxxxxx-xxxx)" in anonymous

    client, token = _log_in(app, "teamleder1")
    assert "Dan aktindsigt (PDF)" in client.get(f"/sager/{case_id}").get_data(as_text=True)
    wrong = client.post(f"/sager/{case_id}/aktindsigt", data={"csrf_token": token, "part_cpr": "12345"})
    assert wrong.status_code == 422 and "CPR-nummeret skal have 10 cifre" in wrong.get_data(as_text=True)
    from_page = client.post(f"/sager/{case_id}/aktindsigt", data={"csrf_token": token, "part_navn": "Mor"})
    assert from_page.mimetype == "application/pdf" and "Udleveret til: Mor" in _text(from_page.data)

    journal = api.get(f"/api/cases/{case_id}", "teamleder1").get_json()["journal"]
    given_entries = [e for e in journal if e["handling"] == "aktindsigt_udleveret"]
    assert [e["tekst"] for e in given_entries] == ["Aktindsigt udleveret til Jens Jensen", "Aktindsigt udleveret",
                                                   "Aktindsigt udleveret til Mor"]
    assert {k: v for k, v in given_entries[0]["data"].items() if k != "haendelser"} == {
        "part_cpr_angivet": True, "notater": 1, "breve": 2, "dokumenter": 1}
    assert "150385" not in caplog.text and "naboen" not in caplog.text


def test_a_long_text_is_broken_into_lines_that_fit_and_keep_every_word() -> None:
    from datetime import UTC, datetime

    from fpdf import FPDF

    from service.aktindsigt import pdf
    note = "Mor fortæller om skolen. " * 60 + "https://" + "x" * 400 + "\nNy linje æøå."
    content = pdf.Content(title="Aktindsigt", header=[], events=[], notes=[("Samtale", "", note)])
    pages = PdfReader(io.BytesIO(pdf.render(content, created=datetime(2026, 3, 2, tzinfo=UTC)))).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert text.count("Mor fortæller om skolen.") == 60 and text.count("x") >= 400 and "Ny linje æøå." in text
    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=10)
    lines = pdf._lines(doc, note, 170)  # noqa: SLF001 - the line breaking itself: every line within the width
    assert all(doc.get_string_width(line) <= 170 for line in lines) and lines[-1] == "Ny linje æøå."
    assert "".join(lines).replace(" ", "") == note.replace(" ", "").replace("\n", "")
