"""A file is never lost when its transaction fails, nor a row left pointing to nothing when the store fails: the file
is written first under its own new key, then the row is committed. What a failed commit leaves is a file no row
names, which the clean-up removes once it is a day old (never a file a row names)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from io import BytesIO

import pytest
from sqlalchemy import text

from service import clock
from service.app import create_app
from service.dokumenter import oprydning
from service.dokumenter.models import Dokument
from service.journal.models import JournalEntry
from tests.dokumenter import files
from tests.support import ApiClient, receive


def _upload(api: ApiClient, case_id: str, content: bytes, name: str = "udtalelse.pdf"):  # noqa: ANN202
    return api.post(f"/api/cases/{case_id}/dokumenter", data={"fil": (BytesIO(content), name)},
                    content_type="multipart/form-data")


def _documents_added(app) -> tuple[list[Dokument], list[JournalEntry]]:  # noqa: ANN001
    with app.extensions["sagsflow"]["session_factory"]() as session:
        return (list(session.query(Dokument)),
                list(session.query(JournalEntry).filter_by(action="dokument_tilfoejet")))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_store_that_cannot_write_leaves_no_row_and_answers_503(app, settings, tmp_path) -> None:  # noqa: ANN001
    blocked = tmp_path / "ikke-en-mappe"
    blocked.write_text("en fil, hvor lagerets mappe skulle være")
    broken = create_app(replace(settings, documents_dir=blocked / "dokumenter"))
    api = ApiClient(broken)
    answer = _upload(api, receive(api)["case_id"], files.pdf())
    assert answer.status_code == 503 and answer.mimetype == "application/problem+json"
    assert answer.get_json()["detail"] == "Dokumentlageret kan ikke nås lige nu. Prøv igen om lidt."
    assert answer.headers["Retry-After"] == "5"
    assert _documents_added(broken) == ([], [])
    broken.extensions["sagsflow"]["engine"].dispose()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_failed_commit_leaves_only_a_nameless_file_which_the_clean_up_removes_after_a_day(
        app, api, frozen_clock) -> None:  # noqa: ANN001
    store = app.extensions["sagsflow"]["document_store"]
    factory = app.extensions["sagsflow"]["session_factory"]
    case_id = receive(api)["case_id"]
    kept = _upload(api, case_id, files.pdf("den gemte"))
    assert kept.status_code == 201
    # The database refuses the next row (as a full disk or a lost connection would): the commit fails for real.
    with factory() as session:
        session.execute(text("CREATE TRIGGER dokumenter_fuld BEFORE INSERT ON dokumenter "
                             "BEGIN SELECT RAISE(ABORT, 'disken er fuld'); END"))
        session.commit()
    failed = _upload(api, case_id, files.pdf("den tabte"))
    assert failed.status_code == 409 and failed.mimetype == "application/problem+json"
    rows, added = _documents_added(app)
    assert [d.id for d in rows] == [kept.get_json()["id"]] and len(added) == 1
    assert len(list(store.keys())) == 2  # the failed upload's file, which no row names

    assert oprydning.clean(factory, store, delete=True) == [
        "0 filer uden dokument i lageret (disk) slettet."]  # too young: its upload might still commit
    frozen_clock.set(clock.now() + timedelta(days=2))
    orphan = [key for key, _ in store.keys() if key != rows[0].noegle]
    assert oprydning.clean(factory, store, delete=False)[0] == orphan[0]
    assert oprydning.clean(factory, store, delete=True)[-1] == "1 filer uden dokument i lageret (disk) slettet."
    assert [key for key, _ in store.keys()] == [rows[0].noegle]
    assert api.get(kept.get_json()["url"]).get_data() == files.pdf("den gemte")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_file_damaged_in_the_store_is_never_sent(app, api) -> None:  # noqa: ANN001
    store = app.extensions["sagsflow"]["document_store"]
    document = _upload(api, receive(api)["case_id"], files.pdf()).get_json()
    key = next(key for key, _ in store.keys())
    (store.root / key).write_bytes(files.pdf("noget andet"))
    answer = api.get(document["url"])
    assert answer.status_code == 500 and answer.mimetype == "application/problem+json"
    assert answer.get_json()["detail"].startswith("Dokumentet kan ikke hentes: filen i dokumentlageret mangler")
