"""The published OpenAPI document tells the truth about what is sent and returned."""

from __future__ import annotations

import re

from openapi_spec_validator import validate


def _spec(app):  # noqa: ANN001, ANN202
    return app.test_client().get("/api/openapi.json").get_json()


def _walk(node, path=""):  # noqa: ANN001, ANN202
    if isinstance(node, dict):
        for key, value in node.items():
            yield path, key, value
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}[{i}]")


def test_the_document_is_valid_openapi(app):
    validate(_spec(app))  # raises with the offending path when it is not


def test_every_error_answer_is_documented_as_problem_json(app):
    spec = _spec(app)
    for name, response in spec["components"]["responses"].items():
        if "content" in response:
            assert list(response["content"]) == ["application/problem+json"], name
            assert response["content"]["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            for status, response in operation["responses"].items():
                if status == "default" or status.startswith(("4", "5")):
                    target = response.get("$ref", "").rsplit("/", 1)[-1]
                    content = spec["components"]["responses"][target]["content"] if target else response["content"]
                    assert list(content) == ["application/problem+json"], (method, path, status)


def test_free_text_says_control_characters_are_refused(app, api):
    login = _spec(app)["components"]["schemas"]["Login"]["properties"]["username"]
    assert not re.fullmatch(login["pattern"], "raad\x00giver1") and re.fullmatch(login["pattern"], "Ærø\tå")
    response = api.post("/api/auth/token", None, json={"username": "raad\x00giver1", "password": "demo"})
    assert response.status_code == 422 and response.mimetype == "application/problem+json"


def test_every_minimum_and_maximum_is_a_number(app):
    wrong = [(p, k, v) for p, k, v in _walk(_spec(app)) if k in ("minimum", "maximum")
             and not isinstance(v, int | float)]
    assert wrong == []


def test_prices_are_documented_as_the_text_they_are_returned_as(app, api):
    spec = _spec(app)
    doc = spec["components"]["schemas"]["Standardkontrakt"]["properties"]["pris"]
    listed = api.get("/api/standardkontrakter", "teamleder1").get_json()
    price = next(k["pris"] for k in listed if k.get("pris") is not None)
    assert doc["type"] == "string" and isinstance(price, str) and re.fullmatch(doc["pattern"], price)


def test_the_month_is_documented_as_year_and_month(app):
    spec = _spec(app)
    param = next(p for p in spec["paths"]["/api/ledelsestilsyn"]["get"]["parameters"] if p["name"] == "maaned")
    assert param["schema"]["format"] != "date"
    assert re.fullmatch(param["schema"]["pattern"], "2026-12") and not re.fullmatch(param["schema"]["pattern"],
                                                                                       "2026-12-01")


def test_ids_too_large_for_the_database_are_404_not_500(app, api):
    too_large = 2**63
    for path in (f"/api/indsatsvifte/{too_large}", f"/api/udvalgsmoeder/{too_large}",
                 f"/api/process-versions/{too_large}/bpmn"):
        response = api.get(path, "teamleder1" if "udvalg" in path else "procesejer1")
        assert response.status_code == 404, (path, response.get_json())
        assert response.mimetype == "application/problem+json"


def test_a_required_body_is_required(api):
    for path in ("/api/cases/soeg", "/api/tasks/soeg", "/api/ledelsestilsyn"):
        response = api.post(path, "teamleder1")
        assert response.status_code == 422, path
        assert response.get_json()["errors"] == [{"field": "(body)", "message": "Send indholdet som application/json."}]
    assert api.post("/api/cases/soeg", "teamleder1", json={}).status_code == 200
    # Who may not use an operation hears that first, not what its body lacks.
    assert api.post("/api/admin/brugere/1/nulstil-adgangskode", "teamleder1").status_code == 403


def test_integers_are_whole_and_fit_the_database(app, api):
    doc = next(p for p in _spec(app)["paths"]["/api/standardkontrakter"]["get"]["parameters"]
               if p["name"] == "indsats_id")
    assert doc["schema"]["maximum"] == 2**63 - 1
    too_large = api.get("/api/standardkontrakter?indsats_id=1764756212894337859584", "teamleder1")
    assert too_large.status_code == 422 and too_large.get_json()["errors"][0]["field"] == "indsats_id"
    fraction = api.post("/api/cases/soeg", "teamleder1", json={"offset": 2.5})
    assert fraction.status_code == 422 and fraction.get_json()["errors"][0]["field"] == "offset"
    assert api.post("/api/cases/soeg", "teamleder1", json={"mine": 1}).status_code == 422


def test_the_documented_enums_and_months_are_the_ones_taken(app, api):
    spec = _spec(app)
    committee = spec["paths"]["/api/udvalg/{committee}/ventende"]["parameters"][0]["schema"]
    assert set(committee["enum"]) == {"visitationsudvalg", "boerne_og_ungeudvalg"}
    assert api.get("/api/udvalg/visitationsudvalg/ventende", "teamleder1").status_code == 200
    assert api.get("/api/udvalg/andet/ventende", "teamleder1").status_code == 404
    old = api.post("/api/ledelsestilsyn", "teamleder1", json={"maaned": "0302-12"})
    assert old.status_code == 422 and old.get_json()["errors"][0]["field"] == "maaned"
    review = spec["components"]["schemas"]["Review"]["properties"]
    assert set(review["maerke"]["enum"]) == {"i_orden", "opfoelgning"}
    assert re.fullmatch(review["bemaerkning"]["pattern"], " ok ") is None
    assert re.fullmatch(review["bemaerkning"]["pattern"], "I orden")


def test_every_link_leads_to_an_operation_with_the_parameters_it_fills(app):
    spec = _spec(app)
    links = 0
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            for status, response in operation["responses"].items():
                for name, link in response.get("links", {}).items():
                    links += 1
                    assert status.startswith("2"), (method, path, name)
                    pointer = link["operationRef"].removeprefix("#/paths/")
                    target_path, target_method = pointer.rsplit("/", 1)
                    target_path = target_path.replace("~1", "/").replace("~0", "~")
                    target = spec["paths"][target_path][target_method]
                    names = {p["name"] for p in [*spec["paths"][target_path].get("parameters", []),
                                                 *target.get("parameters", [])]}
                    assert set(link["parameters"]) <= names, (method, path, name)
    assert links >= 80


def test_an_underretning_links_to_the_case_it_created(app, api):
    link = _spec(app)["paths"]["/api/underretninger"]["post"]["responses"]["201"]["links"]["Sagen"]
    assert link == {"operationRef": "#/paths/~1api~1cases~1{case_id}/get",
                    "parameters": {"case_id": "$response.body#/case_id"}}
    received = api.post("/api/underretninger", "raadgiver1", json={
        "cpr": "010120-4321", "barnets_navn": "Alma Jensen", "underretter_type": "fagperson", "kanal": "mail",
        "beskrivelse": "Skolen er bekymret."})
    assert received.status_code == 201
    assert api.get(f"/api/cases/{received.get_json()['case_id']}", "raadgiver1").status_code == 200


def test_the_cpr_pattern_admits_the_days_that_exist_and_no_others(app):
    pattern = _spec(app)["components"]["schemas"]["UnderretningCreate"]["properties"]["cpr"]["pattern"]
    for real in ("010120-4321", "3112994321", "290200-4321", "300420-1234", "310720-1234"):
        assert re.fullmatch(pattern, real), real
    for impossible in ("320120-4321", "001220-4321", "011320-4321", "300220-4321", "310420-4321", "0101204321x"):
        assert not re.fullmatch(pattern, impossible), impossible
