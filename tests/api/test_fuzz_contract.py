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
from tests.api.fuzzing import CHECKS, ROLES, SEED, positive_acceptance_exceptions, published_spec, settings
from tests.api.fuzzing import bearer as bearer_for

MAX_EXAMPLES = 5

TOTALS: dict[str, Counter[str]] = {role: Counter() for role in ROLES}


def _config() -> SchemathesisConfig:
    return SchemathesisConfig.from_dict({
        "seed": SEED,
        # The bearer token is the role under test; that it is required is tests/api/test_login_security.py's.
        # Unknown query parameters are ignored (as by most HTTP APIs), so none are invented.
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "mode": "all", "database": "none",
                       "with-security-parameters": False, "allow-extra-parameters": False},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True},
                   "stateful": {"enabled": False}},
        "operations": positive_acceptance_exceptions(),
    })


@pytest.fixture(scope="module")
def fuzz_app(role: str, demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    path = tmp_path_factory.mktemp(f"fuzz_{role}") / "demo.db"
    shutil.copy(demo_template, path)
    app = create_app(settings(path))
    yield app
    app.extensions["sagsflow"]["engine"].dispose()


@pytest.fixture(scope="module")
def bearer(fuzz_app, role: str, request: pytest.FixtureRequest) -> Iterator[str]:  # noqa: ANN001
    yield bearer_for(fuzz_app, role)
    totals = TOTALS[role]
    line = f"schemathesis {role}: {totals['operations']} operations, {totals['examples']} examples, " \
           f"{totals['failures']} failures"
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\n{line}")


schema = schemathesis.openapi.from_dict(published_spec(), config=_config())


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
