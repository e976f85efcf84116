"""Input no person types is refused with a Danish 4xx before it reaches a parser's limit or the database, and
what a client puts in a path or a request id never reaches a log line."""

from __future__ import annotations

import json
import logging
import re

import pytest

from service.logs import loggable_path
from tests.support import receive
from tests.webapp.test_list_pages import _log_in

CPR = "120521-4326"
NAME = "Ingrid Bøgelund-Vestergaard"


def _raw(api, path: str, body: bytes, user: str = "raadgiver1"):  # noqa: ANN001, ANN202
    return api.post(path, user, data=body, content_type="application/json")


@pytest.mark.parametrize("depth", [40, 100_000])
def test_a_body_nested_deeper_than_any_of_ours_is_a_422_even_beyond_the_parsers_limit(api, depth):
    body = b'{"cpr": ' + b"[" * depth + b'"' + CPR.encode() + b'"' + b"]" * depth + b"}"
    answer = _raw(api, "/api/underretninger", body)
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    assert {e["message"] for e in answer.get_json()["errors"]} == {"Indholdet er indlejret for dybt."}


def test_half_a_surrogate_pair_in_a_field_or_a_field_name_is_a_422_per_field(api):
    answer = _raw(api, "/api/underretninger", b'{"barnets_navn": "Ingrid\\ud800", "beskrivelse": "ok"}')
    assert answer.status_code == 422
    assert answer.get_json()["errors"] == [{"field": "barnets_navn", "message": "Feltet indeholder et ugyldigt tegn."}]
    answer = _raw(api, "/api/cases/soeg", json.dumps({"q\u0000": CPR}).encode())
    assert answer.status_code == 422
    assert answer.get_json()["errors"] == [{"field": "(body)", "message": "Et feltnavn indeholder et ugyldigt tegn."}]


def test_a_surrogate_in_a_password_is_refused_before_it_is_hashed(api):
    answer = api.post("/api/auth/token", None, data=b'{"username": "raadgiver1", "password": "\\udfff"}',
                      content_type="application/json")
    assert answer.status_code == 422


def test_a_control_character_in_a_path_names_nothing(api):
    case_id = receive(api)["case_id"]
    assert api.get(f"/api/cases/{case_id}%00").status_code == 404
    assert api.get("/api/tasks/%00%01").status_code == 404


def test_a_path_in_a_log_line_shows_ids_and_route_words_but_no_text_a_client_typed():
    case_id = "3dd0af9f-ba85-48cb-9dbf-ee7fcf468eab"
    assert loggable_path(f"/api/cases/{case_id}/frister") == f"/api/cases/{case_id}/frister"
    assert loggable_path("/modeller/sagsbehandling/flyt") == "/modeller/sagsbehandling/flyt"
    assert loggable_path("/api/admin/brugere/12") == "/api/admin/brugere/12"
    assert loggable_path(f"/api/cases/{NAME}") == "/api/cases/…"
    assert loggable_path(f"/sager/{CPR}/cpr") == "/sager/…/cpr"
    assert loggable_path("/api/admin/brugere/1205214326") == "/api/admin/brugere/…"  # an int id, CPR-shaped
    assert loggable_path("/api/breve/xx1205214326.pdf") == "/api/breve/…"


def test_the_request_line_logged_for_a_cpr_in_the_path_holds_neither_it_nor_the_name(api, caplog):
    api.token("raadgiver1")
    with caplog.at_level(logging.INFO, logger="sagsflow.request"):
        api.get(f"/api/cases/{CPR}")
        api.get(f"/sager/{NAME}")
    lines = [(r.getMessage(), r.path) for r in caplog.records if r.name == "sagsflow.request"]
    assert lines == [("GET /api/cases/… 404", "/api/cases/…"), ("GET /sager/… 302", "/sager/…")]


def test_a_request_id_from_a_proxy_is_kept_but_a_cpr_or_a_name_in_its_place_is_not(api):
    proxy_id = "9f1c2b7e-4d3a-4b8e-a1f0-c2d3e4f5a6b7"
    assert api.get("/api/me", headers={"X-Request-ID": proxy_id}).headers["X-Request-ID"] == proxy_id
    for sent in (CPR, "1205214326", "abcdef-120521-4326", "IngridBoegelund"):
        given = api.get("/api/me", headers={"X-Request-ID": sent}).headers["X-Request-ID"]
        assert given != sent and re.fullmatch(r"[0-9a-f]{16}", given)


def test_a_search_too_long_for_an_address_is_a_422_page_not_a_redirect(app):
    client, token = _log_in(app)
    for path in ("/sager", "/indbakke"):
        answer = client.post(path, data={"csrf_token": token, "q": "Ingrid " * 100})
        assert answer.status_code == 422 and "Location" not in answer.headers
        assert "højst 200 tegn i et felt" in answer.get_data(as_text=True)


def test_a_view_name_longer_than_the_column_is_refused_in_danish(app):
    client, token = _log_in(app)
    answer = client.post("/visninger", data={"csrf_token": token, "navn": "x" * 81, "scope": "alle"},
                         follow_redirects=True)
    assert "Højst 80 tegn." in answer.get_data(as_text=True)
