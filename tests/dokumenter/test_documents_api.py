"""Documents on a case through the API: added by the case's team, listed with who and when, downloaded as an
attachment only by those who may read the case, every download journalled."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO

import pytest
from sqlalchemy import delete
from sqlalchemy.exc import DBAPIError

from service.app import create_app
from service.dokumenter.models import Dokument
from service.journal.models import JournalEntry
from tests.dokumenter import files
from tests.support import ApiClient, receive


def _upload(api: ApiClient, case_id: str, content: bytes, name: str, user: str = "raadgiver1"):  # noqa: ANN202
    return api.post(f"/api/cases/{case_id}/dokumenter", user, data={"fil": (BytesIO(content), name)},
                    content_type="multipart/form-data")


def test_a_document_is_added_listed_and_downloaded_by_the_team_only(api, uow) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    content = files.pdf()
    added = _upload(api, case_id, content, "Skoleudtalelse æøå.pdf")
    assert added.status_code == 201, added.get_json()
    document = added.get_json()
    assert document["filnavn"] == "Skoleudtalelse æøå.pdf" and document["indholdstype"] == "application/pdf"
    assert document["stoerrelse"] == len(content) and document["type"] == "PDF"

    listed = api.get(f"/api/cases/{case_id}/dokumenter", "teamleder1").get_json()
    assert [(d["id"], d["tilfoejet_af"], d["tilfoejet"]) for d in listed] == [
        (document["id"], document["tilfoejet_af"], "2026-03-02T09:00:00+00:00")]

    download = api.get(document["url"], "teamleder1")
    assert download.status_code == 200 and download.get_data() == content
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=\"Skoleudtalelse aeoeaa.pdf\"; "  # for old clients; the name itself in filename*
        "filename*=UTF-8''Skoleudtalelse%20%C3%A6%C3%B8%C3%A5.pdf")
    assert api.get(document["url"], "afdelingsleder1").get_data() == content  # reads every team's cases

    # Another team's caseworker learns nothing: the same 404 as a document that does not exist.
    assert api.get(document["url"], "raadgiver_syd").status_code == 404
    assert api.get("/api/dokumenter/findes-ikke", "raadgiver_syd").get_json()["detail"] == "Dokumentet findes ikke."
    assert api.get(f"/api/cases/{case_id}/dokumenter", "raadgiver_syd").status_code == 404
    assert _upload(api, case_id, content, "x.pdf", "raadgiver_syd").status_code == 404
    assert _upload(api, case_id, content, "x.pdf", "afdelingsleder1").status_code == 403  # reads, never writes

    entries = uow.session.query(JournalEntry).filter_by(case_id=case_id).order_by(JournalEntry.id).all()
    added_entry = next(e for e in entries if e.action == "dokument_tilfoejet")
    assert added_entry.title == "Dokument tilføjet: Skoleudtalelse æøå.pdf"
    assert added_entry.data["sha256"] == document["sha256"]
    downloads = [e for e in entries if (e.data or {}).get("dokument_id") == document["id"] and e.action == "laest"]
    assert [e.title for e in downloads] == ["Dokumentet «Skoleudtalelse æøå.pdf» er hentet"] * 2
    assert {e.actor_id for e in downloads} != {None} and len({e.actor_id for e in downloads}) == 2

    with pytest.raises(DBAPIError, match="dokumenter slettes aldrig"):  # nothing is hard-deleted
        uow.session.execute(delete(Dokument))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_bytes_decide_the_type_and_wrong_files_are_refused_in_danish(api, app) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    renamed = _upload(api, case_id, files.xlsx(), "regnskab.pdf")
    assert renamed.status_code == 201
    assert renamed.get_json()["indholdstype"].endswith("spreadsheetml.sheet")
    assert renamed.get_json()["filnavn"] == "regnskab.pdf.xlsx"

    script = _upload(api, case_id, b"<script>alert(1)</script>", "brev.pdf")
    assert script.status_code == 422 and script.mimetype == "application/problem+json"
    assert script.get_json()["errors"] == [{"field": "fil", "message": (
        "Filtypen kan ikke tilføjes. Tilladt er PDF, billeder (PNG, JPEG, GIF, TIFF) og Office-dokumenter "
        "(Word, Excel, PowerPoint).")}]
    assert _upload(api, case_id, b"", "tom.pdf").get_json()["errors"] == [{"field": "fil", "message": "Filen er tom."}]
    assert _upload(api, case_id, files.docx(macros=True), "m.docm").status_code == 422
    missing = api.post(f"/api/cases/{case_id}/dokumenter", data={}, content_type="multipart/form-data")
    assert missing.status_code == 422
    assert [d["filnavn"] for d in api.get(f"/api/cases/{case_id}/dokumenter").get_json()] == ["regnskab.pdf.xlsx"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_file_over_the_limit_is_413_in_danish_and_nothing_is_stored(app, settings) -> None:  # noqa: ANN001
    small = create_app(replace(settings, document_max_bytes=50_000))
    api = ApiClient(small)
    case_id = receive(api)["case_id"]
    just_over = files.pdf() + b"\n%" + b"x" * 50_000  # a PDF still: the size alone refuses it
    refused = _upload(api, case_id, just_over, "stor.pdf")
    assert refused.status_code == 413 and refused.mimetype == "application/problem+json"
    assert refused.get_json()["detail"] == "Filen er for stor. Et dokument må højst fylde 49 kB."
    # Far over: refused by its Content-Length before the body is read.
    far = _upload(api, case_id, b"%PDF-" + b"x" * 200_000, "meget-stor.pdf")
    assert far.status_code == 413 and far.get_json()["errors"][0]["field"] == "fil"
    assert _upload(api, case_id, files.pdf(), "lille.pdf").status_code == 201
    with small.extensions["sagsflow"]["session_factory"]() as session:
        assert [d.filnavn for d in session.query(Dokument)] == ["lille.pdf"]
    assert len(list(small.extensions["sagsflow"]["document_store"].keys())) == 1
    small.extensions["sagsflow"]["engine"].dispose()
