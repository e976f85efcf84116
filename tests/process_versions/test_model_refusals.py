"""Validér and deploy answer every model a process owner can draw or upload with a run or a Danish 422 that names
the element (so the editors' «Vis element» shows it) — never a 500, never a Python repr."""

from __future__ import annotations

import io
import re

import pytest

from tests.process_versions.model_catalogue import REFUSED, REFUSED_FILES, REFUSED_TABLES

PATHS = ("/api/process-versions/validering", "/api/process-versions")
# What a message must never show: objects, byte strings and exceptions as Python prints them.
PYTHON_REPR = re.compile(r"at 0x[0-9a-f]+|\b[A-Z][a-zA-Z]*(?:Error|Exception)\(|\bb'<|\bb\"<|Traceback|\{http")


def post(api, path: str, content: bytes, name: str):  # noqa: ANN001, ANN201
    return api.post(path, "procesejer1", data={"file": (io.BytesIO(content), name)},
                    content_type="multipart/form-data")


def refusal(response) -> list[dict]:  # noqa: ANN001
    assert response.status_code == 422, (response.status_code, response.get_data(as_text=True)[:500])
    assert response.mimetype == "application/problem+json"
    errors = response.get_json()["errors"]
    assert errors
    for error in errors:
        assert not PYTHON_REPR.search(error["message"]), error["message"]
        assert len(error["message"]) < 1000  # a huge value is never quoted whole
    return errors


def _each(cases, check) -> None:  # noqa: ANN001
    """Every case against one app (starting an app deploys workflows/, which costs more than all the checks);
    the failures are told together, each by its case's name."""
    failed = []
    for case in cases:
        try:
            check(*case[1:])
        except AssertionError as err:
            failed.append(f"{case[0]}: {err}")
    assert not failed, "\n".join(failed)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_construct_sagsflow_does_not_run_is_refused_at_its_element(api):
    def check(content: bytes, element: str, says: str) -> None:
        for path in PATHS:
            errors = refusal(post(api, path, content, "konstruktion.bpmn"))
            at_element = [e for e in errors if e.get("element") == element]
            assert at_element, errors
            assert all(e["field"] == f"konstruktion.bpmn#{element}" for e in at_element), errors
            assert any(says in e["message"] for e in at_element), errors
    _each(REFUSED, check)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_file_that_is_no_bpmn_model_is_refused_saying_why(api):
    def check(content: bytes, says: str) -> None:
        for path in PATHS:
            errors = refusal(post(api, path, content, "model.bpmn"))
            assert any(says in e["message"] for e in errors), errors
            assert all(e["field"].startswith("model.bpmn") for e in errors), errors
    _each(REFUSED_FILES, check)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_decision_file_sagsflow_cannot_run_is_refused(api):
    def check(content: bytes, element: str | None, says: str) -> None:
        for path in PATHS:
            errors = refusal(post(api, path, content, "tabel.dmn"))
            assert any(says in e["message"] for e in errors), errors
            assert element is None or any(e.get("element") == element for e in errors), errors
    _each(REFUSED_TABLES, check)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_process_not_marked_executable_says_where_the_checkbox_is(api):
    [(_, content, _, _)] = [c for c in REFUSED if c[0] == "proces ikke eksekverbar"]
    [error] = refusal(post(api, PATHS[0], content, "konstruktion.bpmn"))
    assert error == {"field": "konstruktion.bpmn#konstruktion", "element": "konstruktion", "message": (
        "konstruktion.bpmn: Processen «Konstruktion» (konstruktion) er ikke markeret som eksekverbar, så der er intet "
        "at udrulle. Sæt flueben i «Executable» under processens egenskaber (i Camunda Modeler: klik på et tomt sted "
        "i diagrammet, eller på deltageren/poolen, og se under «General»; i Sagsflows modeller: processens "
        "egenskaber) – det skriver isExecutable=\"true\".")}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_file_over_the_upload_limit_is_a_problem_not_a_crash(api):
    response = post(api, PATHS[0], b"<a>" + b" " * (6 * 1024 * 1024) + b"</a>", "stor.bpmn")
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
