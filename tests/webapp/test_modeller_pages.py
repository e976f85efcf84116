"""The process owner's pages: the overview, a process's versions, the modeler page and deploying an upload."""

from __future__ import annotations

import io
import re

from flask import Flask
from flask.testing import FlaskClient

from service.config import ROOT

CASE_MODEL = (ROOT / "workflows" / "sagsbehandling.bpmn").read_bytes()


def _log_in(app: Flask, username: str = "procesejer1") -> tuple[FlaskClient, str]:
    client = app.test_client()
    response = client.post("/log-ind", data={"username": username, "password": "demo"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return client, re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _upload(client: FlaskClient, token: str, xml: bytes, name: str = "sagsbehandling.bpmn", **extra: str):  # noqa: ANN202
    return client.post("/modeller/udrul", data={"csrf_token": token, "fil": (io.BytesIO(xml), name), **extra},
                       content_type="multipart/form-data")


def test_a_process_owner_starts_with_the_models_and_has_no_casework_menu(app) -> None:  # noqa: ANN001
    client = app.test_client()
    signed_in = client.post("/log-ind", data={"username": "procesejer1", "password": "demo"})
    assert signed_in.headers["Location"] == "/modeller"
    page = client.get("/modeller").get_data(as_text=True)
    for name in ("Børnesag – sagsbehandling", "Klage", "Visitation"):
        assert name.lower() in page.lower()
    assert 'href="/modeller"' in page and 'href="/indbakke"' not in page
    assert client.get("/indbakke").headers["Location"] == "/modeller"
    caseworker, _ = _log_in(app, "raadgiver1")
    assert "Procesmodeller" not in caseworker.get("/indbakke").get_data(as_text=True)
    refused = caseworker.get("/modeller")
    assert refused.status_code == 403 and "Kun procesejere" in refused.get_data(as_text=True)
    assert caseworker.get("/modeller/sagsbehandling/rediger").status_code == 403


def test_a_process_page_shows_its_versions_and_the_modeler_opens_the_chosen_one(app) -> None:  # noqa: ANN001
    client, token = _log_in(app)
    changed = CASE_MODEL.replace(b'name="Afslutning af sagen"', b'name="Afslut sagen"')
    assert _upload(client, token, changed).status_code == 302
    page = client.get("/modeller/sagsbehandling").get_data(as_text=True)
    assert "Versioner" in page and "Per Procesejer" in page and "Systemet (ved opstart)" in page
    shown = re.search(r'data-bpmn-url="/api/process-versions/(\d+)/bpmn"', page).group(1)
    old = client.get("/modeller/sagsbehandling?version=1").get_data(as_text=True)
    assert re.search(r'data-bpmn-url="/api/process-versions/(\d+)/bpmn"', old).group(1) != shown
    editor = client.get("/modeller/sagsbehandling/rediger").get_data(as_text=True)
    assert f'data-xml-url="/api/process-versions/{shown}/bpmn"' in editor
    assert 'data-filename="sagsbehandling.bpmn"' in editor and f'data-csrf="{token}"' in editor
    assert "men nyeste version er" not in editor
    older = client.get("/modeller/sagsbehandling/rediger?version=1").get_data(as_text=True)
    assert "Du tager udgangspunkt i version 1, men nyeste version er" in older
    assert client.get("/modeller/findes_ikke").status_code == 404


def test_deploying_an_upload_says_what_happened_and_a_broken_one_shows_why(app) -> None:  # noqa: ANN001
    client, token = _log_in(app)
    same = _upload(client, token, CASE_MODEL, proces="sagsbehandling")
    assert same.headers["Location"] == "/modeller/sagsbehandling"
    assert "uændret – version 1 bruges fortsat" in client.get("/modeller/sagsbehandling").get_data(as_text=True)
    missing_form = CASE_MODEL.replace(b'camunda:formKey="afslutning"', b'camunda:formKey="findes_ikke"')
    broken = _upload(client, token, missing_form, proces="sagsbehandling")
    assert broken.status_code == 422
    text = broken.get_data(as_text=True)
    assert "Modellen kan ikke udrulles" in text and "findes_ikke" in text and "sagsbehandling.bpmn#afslutning" in text
    nothing = client.post("/modeller/udrul", data={"csrf_token": token}, content_type="multipart/form-data")
    assert nothing.status_code == 422 and "Vælg en .bpmn- eller .dmn-fil" in nothing.get_data(as_text=True)
    assert _upload(client, "forkert", CASE_MODEL).status_code == 403
    versions = client.get("/api/process-versions").get_json()
    assert [v["version"] for v in versions if v["process_id"] == "sagsbehandling"] == [1]  # nothing deployed


def test_the_tables_are_listed_and_open_in_the_table_editor(app) -> None:  # noqa: ANN001
    client, token = _log_in(app)
    overview = client.get("/modeller").get_data(as_text=True)
    assert "Beslutningstabeller" in overview and 'href="/modeller/tabeller/kompetenceplan.dmn"' in overview
    editor = client.get("/modeller/tabeller/kompetenceplan.dmn")
    assert editor.status_code == 200 and "style-src 'self' 'unsafe-inline'" in editor.headers["Content-Security-Policy"]
    text = editor.get_data(as_text=True)
    assert re.search(r'data-xml-url="/api/process-versions/\d+/filer/kompetenceplan.dmn"', text)
    assert "Børnesag – sagsbehandling og Visitation og afgørelse" in text and f'data-csrf="{token}"' in text
    assert client.get("/modeller/tabeller/findes_ikke.dmn").status_code == 404
    caseworker, _ = _log_in(app, "raadgiver1")
    assert caseworker.get("/modeller/tabeller/kompetenceplan.dmn").status_code == 403


def test_the_deadline_catalogue_shows_lengths_limits_and_where_each_deadline_is_used(app) -> None:  # noqa: ANN001
    client, _ = _log_in(app)
    page = client.get("/modeller/frister").get_data(as_text=True)
    row = re.search(r"<tr>\s*<td>24-timers vurdering af underretning.*?</tr>", page, re.S).group(0)
    assert "24 timer" in row and "Lov" in row and "højst 24 timer" in row and "12 timer" in row and "100 %" in row
    assert "Børnesag – sagsbehandling: Frist overskredet: 24-timers vurdering af underretning" in row
    assert "6 måneder før" in page and "mindst 6 måneder" in page  # ungestøtte: before the 18th birthday
    assert "6 hverdage" in page
    first = re.search(r"<tr>\s*<td>Første opfølgning.*?</tr>", page, re.S).group(0)
    assert "Børnesag – sagsbehandling: Frist overskredet: Opfølgning" in first  # named through a variable
    caseworker, _ = _log_in(app, "raadgiver1")
    assert caseworker.get("/modeller/frister").status_code == 403


def test_the_editor_page_says_when_the_person_has_a_draft(app) -> None:  # noqa: ANN001
    client, token = _log_in(app)
    assert "data-draft-saved" not in client.get("/modeller/sagsbehandling/rediger").get_data(as_text=True)
    saved = client.put("/api/modelkladder/sagsbehandling.bpmn", json={"xml": CASE_MODEL.decode()},
                       headers={"X-CSRF-Token": token})
    assert saved.status_code == 204
    assert 'data-draft-saved="2026-03-02T09:00' in client.get("/modeller/sagsbehandling/rediger").get_data(as_text=True)
    assert client.put("/api/modelkladder/sagsbehandling.bpmn", json={"xml": "<x/>"}).status_code == 403  # no CSRF


def test_the_editors_say_which_expression_language_each_part_is_written_in(app) -> None:  # noqa: ANN001
    client, _ = _log_in(app)
    table_editor = client.get("/modeller/tabeller/kompetenceplan.dmn").get_data(as_text=True)
    assert "Cellerne er FEEL" in table_editor and "<code>[18..65)</code>" in table_editor
    model_editor = client.get("/modeller/sagsbehandling/rediger").get_data(as_text=True)
    assert "skrives i Python" in model_editor and "beslutningstabellerne skrives i FEEL" in model_editor
