"""What the two schemathesis runs (per operation: test_fuzz_contract.py; stateful: test_fuzz_stateful.py) share:
the roles, the checks, the rules a schema cannot state, the demo database and the published document."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from service.app import create_app
from service.config import ROOT, Settings

ROLES = ("raadgiver1", "teamleder1", "procesejer1", "admin1")
SEED = 20261203
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance", "response_headers_conformance", "negative_data_rejection",
          "positive_data_acceptance")

# Operations whose schema-valid requests may still be refused (422) by a rule the document cannot state: there
# positive_data_acceptance is off; every other check still runs on them.
RULES_BEYOND_THE_SCHEMA = {
    ("POST", "/api/underretninger"): "a CPR number must hold a real birth date",
    ("POST", "/api/indsigt/cpr"): "a CPR number must hold a real birth date",
    ("POST", "/api/cases/{case_id}/aktindsigt"): "a CPR number must hold a real birth date",
    ("PUT", "/api/tasks/{task_id}/draft"): "the form data follows the task's own form schema (GET /api/tasks/{id})",
    ("POST", "/api/tasks/{task_id}/complete"): "the form data follows the task's own form schema",
    ("POST", "/api/visninger"): "the filter's fields are those of the list named by liste",
    ("POST", "/api/vagtplan"): "the shift needs an active team leader of one's team and must end in the future",
    ("GET", "/api/ledelsesinformation/frister"): "a period is at most three years, counted from today",
    ("GET", "/api/ledelsesinformation/kvalitet"): "a period is at most three years, counted from today",
    ("GET", "/api/ledelsesinformation/opdeling"): "a period is at most three years, counted from today",
    ("GET", "/api/ledelsesinformation/sager"): "a period of at most three years; a KPI that exists (/definitioner); "
                                               "a column key (noegle) only with its efter",
    ("GET", "/api/ledelsesinformation/kvartal"): "the quarter must have begun",
    ("GET", "/api/ledelsesinformation/kvartalsrapport"): "the quarter must have begun",
    ("GET", "/api/ledelsesinformation/eksport"): "a period is at most three years; the trend's KPI exists "
                                                 "(/definitioner)",
    ("POST", "/api/indsatsvifte"): "a price and its unit come together, or neither",
    ("PATCH", "/api/indsatsvifte/{indsats_id}"): "a price and its unit come together, or neither",
    ("POST", "/api/standardkontrakter"): "the contract ends after it begins, for a measure and provider that exist",
    ("PATCH", "/api/standardkontrakter/{kontrakt_id}"): "the contract ends after it begins",
    ("POST", "/api/process-versions"): "the file must be a BPMN or DMN model that passes validation",
    ("POST", "/api/process-versions/validering"): "the file must be a BPMN or DMN model",
    ("POST", "/api/cases/{case_id}/notater"): "the event date may not lie after today; a task named is the case's",
    ("PATCH", "/api/cases/{case_id}/notater/{notat_id}"): "the event date may not lie after today; a task named is "
                                                          "the case's",
    ("POST", "/api/cases/{case_id}/notater/{notat_id}/rettelser"): "the event date may not lie after today; a task "
                                                                   "named is the case's",
    ("POST", "/api/cases/{case_id}/dokumenter"): "the file's bytes must be a PDF, an image or an Office document",
}


def positive_acceptance_exceptions() -> list[dict]:
    return [{"include-method": method, "include-path": path, "checks": {"positive_data_acceptance": {"enabled": False}}}
            for method, path in RULES_BEYOND_THE_SCHEMA]


def settings(path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{path}", secret_key="fuzz", workflows_dir=ROOT / "workflows",
                    forms_dir=ROOT / "forms", demo_mode=True, testing=True, token_hours=24,
                    expression_seconds=20,  # a loaded CI machine must not stop the demo models
                    documents_dir=path.parent / "dokumenter")


def bearer(app: Flask, username: str) -> str:
    response = app.test_client().post("/api/auth/token", json={"username": username, "password": "demo"})
    assert response.status_code == 201, response.get_json()
    return f"Bearer {response.get_json()['token']}"


def published_spec() -> dict:
    """The document /api/openapi.json serves (it needs no data: an empty in-memory database will do)."""
    app = create_app(Settings(database_url="sqlite://", secret_key="spec", workflows_dir=ROOT / "workflows",
                              forms_dir=ROOT / "forms", testing=True))
    try:
        return app.test_client().get("/api/openapi.json").get_json()
    finally:
        app.extensions["sagsflow"]["engine"].dispose()
