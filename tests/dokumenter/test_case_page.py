"""The case page lists the documents (name, type, size, who, when) and has the upload form, in Danish."""

from __future__ import annotations

import re
from io import BytesIO

import pytest

from tests.dokumenter import files
from tests.support import receive


def _log_in(app, username: str):  # noqa: ANN001, ANN202
    client = app.test_client()
    assert client.post("/log-ind", data={"username": username, "password": "demo"}).status_code == 302
    return client


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_documents_on_the_case_page(api, app) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    client = _log_in(app, "raadgiver1")
    page = client.get(f"/sager/{case_id}").get_data(as_text=True)
    assert "Sagen har ingen dokumenter." in page and "Tilføj et dokument" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    wrong = client.post(f"/sager/{case_id}/dokumenter", data={"csrf_token": token,
                                                              "fil": (BytesIO(b"MZ program"), "brev.pdf")},
                        content_type="multipart/form-data")
    assert wrong.status_code == 422
    assert "Dokumentet blev ikke tilføjet" in wrong.get_data(as_text=True)
    assert 'aria-invalid="true"' in wrong.get_data(as_text=True)

    added = client.post(f"/sager/{case_id}/dokumenter", data={"csrf_token": token,
                                                              "fil": (BytesIO(files.pdf()), "Skoleudtalelse.pdf")},
                        content_type="multipart/form-data")
    assert added.status_code == 302 and added.headers["Location"] == f"/sager/{case_id}#dokumenter-titel"
    page = client.get(f"/sager/{case_id}").get_data(as_text=True)
    assert "Dokumentet «Skoleudtalelse.pdf» er tilføjet sagen." in page
    row = re.search(r'<tr><td><a href="(/api/dokumenter/[^"]+)" download>Skoleudtalelse.pdf</a></td>(.*?)</tr>', page,
                    re.S)
    cells = [c.strip() for c in re.findall(r"<td>(.*?)</td>", row.group(2), re.S)]
    assert cells == ["PDF", "1 kB", "Rikke Rådgiver", "2. mar. 2026 kl. 10.00"]
    assert client.get(row.group(1)).get_data() == files.pdf()  # the browser's download: the session cookie

    # The head of department reads the documents but is offered no upload form.
    reader = _log_in(app, "afdelingsleder1").get(f"/sager/{case_id}").get_data(as_text=True)
    assert "Skoleudtalelse.pdf" in reader and "Tilføj et dokument" not in reader
