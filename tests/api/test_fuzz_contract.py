"""schemathesis over every operation of the published OpenAPI document, as each role, in-process on the demo data.

Every check is on: no 500, only documented status codes, content types, headers and bodies, schema-valid
requests accepted and schema-violating ones refused. Each role gets its own demo database (an administrator
who deactivates a user must not spoil the caseworker's run). The run is derandomised with a fixed seed, so CI
sees the same examples every time; the number of examples per operation keeps it within a few minutes.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from service.app import create_app
from service.cli import deploy, migrate
from service.config import ROOT, Settings
from service.demo import seed

ROLES = ("raadgiver1", "teamleder1", "procesejer1", "admin1")
MAX_EXAMPLES = 5
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance", "response_headers_conformance", "negative_data_rejection",
          "positive_data_acceptance")

# Operations whose schema-valid requests may still be refused (422) by a rule the document cannot state: there
# positive_data_acceptance is off; every other check still runs on them.
RULES_BEYOND_THE_SCHEMA = {
    ("POST", "/api/underretninger"): "a CPR number must hold a real birth date",
    ("POST", "/api/indsigt/cpr"): "a CPR number must hold a real birth date",
    ("PUT", "/api/tasks/{task_id}/draft"): "the form data follows the task's own form schema (GET /api/tasks/{id})",
    ("POST", "/api/tasks/{task_id}/complete"): "the form data follows the task's own form schema",
    ("POST", "/api/visninger"): "the filter's fields are those of the list named by liste",
    ("POST", "/api/vagtplan"): "the shift needs an active team leader of one's team and must end in the future",
    ("GET", "/api/ledelsesinformation/frister"): "a period is at most three years, counted from today",
    ("GET", "/api/ledelsesinformation/kvalitet"): "a period is at most three years, counted from today",
    ("POST", "/api/indsatsvifte"): "a price and its unit come together, or neither",
    ("PATCH", "/api/indsatsvifte/{indsats_id}"): "a price and its unit come together, or neither",
    ("POST", "/api/standardkontrakter"): "the contract ends after it begins, for a measure and provider that exist",
    ("PATCH", "/api/standardkontrakter/{kontrakt_id}"): "the contract ends after it begins",
    ("POST", "/api/process-versions"): "the file must be a BPMN or DMN model that passes validation",
    ("POST", "/api/process-versions/validering"): "the file must be a BPMN or DMN model",
}

TOTALS: dict[str, Counter[str]] = {role: Counter() for role in ROLES}


def _config() -> SchemathesisConfig:
    return SchemathesisConfig.from_dict({
        "seed": 20261203,
        # The bearer token is the role under test; that it is required is tests/api/test_login_security.py's.
        # Unknown query parameters are ignored (as by most HTTP APIs), so none are invented.
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "mode": "all", "database": "none",
                       "with-security-parameters": False, "allow-extra-parameters": False},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True},
                   "stateful": {"enabled": False}},
        "operations": [{"include-method": method, "include-path": path,
                        "checks": {"positive_data_acceptance": {"enabled": False}}}
                       for method, path in RULES_BEYOND_THE_SCHEMA],
    })


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database (people, teams, cases in every phase, the indsatsvifte), built once."""
    path = tmp_path_factory.mktemp("fuzz") / "demo.db"
    settings = _settings(path)
    migrate(settings)
    deploy(settings)
    seed(settings)
    return path


def _settings(path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{path}", secret_key="fuzz", workflows_dir=ROOT / "workflows",
                    forms_dir=ROOT / "forms", demo_mode=True, testing=True, token_hours=24,
                    expression_seconds=20)  # a loaded CI machine must not stop the demo models


@pytest.fixture(scope="module")
def fuzz_app(role: str, demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    path = tmp_path_factory.mktemp(f"fuzz_{role}") / "demo.db"
    shutil.copy(demo_template, path)
    app = create_app(_settings(path))
    yield app
    app.extensions["sagsflow"]["engine"].dispose()


@pytest.fixture(scope="module")
def bearer(fuzz_app, role: str, request: pytest.FixtureRequest) -> Iterator[str]:  # noqa: ANN001
    response = fuzz_app.test_client().post("/api/auth/token", json={"username": role, "password": "demo"})
    assert response.status_code == 201, response.get_json()
    yield f"Bearer {response.get_json()['token']}"
    totals = TOTALS[role]
    line = f"schemathesis {role}: {totals['operations']} operations, {totals['examples']} examples, " \
           f"{totals['failures']} failures"
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\n{line}")


def _published_spec() -> dict:
    """The document /api/openapi.json serves (it needs no data: an empty in-memory database will do)."""
    app = create_app(Settings(database_url="sqlite://", secret_key="spec", workflows_dir=ROOT / "workflows",
                              forms_dir=ROOT / "forms", testing=True))
    try:
        return app.test_client().get("/api/openapi.json").get_json()
    finally:
        app.extensions["sagsflow"]["engine"].dispose()


schema = schemathesis.openapi.from_dict(_published_spec(), config=_config())


@schema.parametrize()
@pytest.mark.parametrize("role", ROLES, scope="module")
def test_every_operation_keeps_its_contract(case, role: str, fuzz_app, bearer: str) -> None:  # noqa: ANN001
    totals = TOTALS[role]
    if (case.operation.label, role) not in _seen:
        _seen.add((case.operation.label, role))
        totals["operations"] += 1
    totals["examples"] += 1
    try:
        case.call_and_validate(app=fuzz_app, headers={"Authorization": bearer})
    except BaseException:
        totals["failures"] += 1
        raise


_seen: set[tuple[str, str]] = set()
