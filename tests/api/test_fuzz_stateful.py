"""schemathesis' stateful run: sequences of requests that follow the OpenAPI links (service/api_links.py), as each
role, in-process on the demo data, with every check on.

An underretning's answer leads to its case, the case to its open tasks and journal, a task to its form, claim,
draft and completion, completion to the next tasks; an administrator's new user or team is read and changed;
a new measure, provider, contract, shift, view, meeting or sample is read, changed or deleted. Each step is
checked as in the per-operation run, and the stateful checks also ask that what was just created can be read
(ensure_resource_availability) and that what was deleted stays gone (use_after_free).

The first completion of a task in a scenario carries the demo's valid form for it (service/demo_payloads.py), as
a caseworker would fill it in, so scenarios move cases on through the process; later ones keep their generated
data and test the refusals. Every scenario starts from the same demo data. The run is derandomised (the same
scenarios in every CI run) and bounded per role (tests/fuzz_budget.py; `make fuzz-deep` for more).
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

import hypothesis
import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from service.app import create_app
from service.demo_payloads import FORMS, form
from tests.api.fuzzing import ROLES, SEED, bearer, positive_acceptance_exceptions, published_spec, settings
from tests.fuzz_budget import examples

SCENARIOS = examples(12)  # Hypothesis examples per role: each a scenario of up to MAX_STEPS linked requests
MAX_STEPS = 12
# Every check schemathesis has. object_level_authorization needs a second identity configured, so it passes
# trivially here (need-to-know between teams is tests/api/test_indsigt.py's and the underretning tests').
ALL_CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
              "response_schema_conformance", "response_headers_conformance", "negative_data_rejection",
              "positive_data_acceptance", "missing_required_header", "unsupported_method",
              "allow_header_conformance", "use_after_free", "ensure_resource_availability", "ignored_auth",
              "object_level_authorization")
COMPLETE = "POST /api/tasks/{task_id}/complete"
CATALOGUE_CHANGES = r"^(POST|PATCH) /api/(indsatsvifte|leverandoerer|standardkontrakter)"
# What each role is refused (403) is left out of its scenarios, which then walk the role's own flows rather than
# spend their steps on refusals; the per-operation run (test_fuzz_contract.py) still sends every operation as
# every role. A pattern here that no longer holds narrows the role's scenarios; it hides no failure.
REFUSED = {
    "raadgiver1": (r"/api/admin/", r"/api/auth/spaerrede", r"/api/modelkladder/", r"/api/udvalg", r"/api/ledelses",
                   r"^POST /api/process-versions", CATALOGUE_CHANGES),
    "teamleder1": (r"/api/admin/", r"/api/modelkladder/", r"^POST /api/process-versions", CATALOGUE_CHANGES),
    "procesejer1": (r"/api/admin/", r"/api/auth/spaerrede", r"/api/udvalg", r"/api/ledelses"),
    "admin1": (r"/api/udvalg", r"/api/ledelses"),
}


def _config(role: str, token: str) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict({
        "seed": SEED,
        # The role's token, as the document's bearer scheme: ignored_auth then also tries each step without it.
        "auth": {"openapi": {"bearer": {"bearer": token}}},
        "generation": {"deterministic": True, "mode": "all", "database": "none",
                       "with-security-parameters": False, "allow-extra-parameters": False},
        "checks": {name: {"enabled": True} for name in ALL_CHECKS},
        # Only the documented links: the flows are ours to state, not guessed from field names.
        "phases": {"stateful": {"enabled": True, "max-steps": MAX_STEPS, "inference": {"algorithms": []}}},
        "operations": [*positive_acceptance_exceptions(),
                       *({"include-name-regex": pattern, "phases": {"stateful": {"enabled": False}}}
                         for pattern in REFUSED[role])],
    })


class RoleDatabase:
    """The role's demo database, put back as it was (the role's token included) before each scenario.

    Hypothesis replays scenarios and expects a step to meet the state it met before; each also starts from the
    same data, as each role's run does in the per-operation test."""

    def __init__(self, template: Path, directory: Path, role: str) -> None:
        self.live, self.start = directory / "demo.db", directory / "start.db"
        shutil.copy(template, self.live)
        self.app = create_app(settings(self.live))
        self.authorization = bearer(self.app, role)
        self._close()
        shutil.copy(self.live, self.start)

    def _close(self) -> None:
        self.app.extensions["sagsflow"]["engine"].dispose()  # the last connection folds the WAL into the file
        for suffix in ("-wal", "-shm"):
            self.live.with_name(self.live.name + suffix).unlink(missing_ok=True)

    def reset(self) -> None:
        self._close()
        shutil.copy(self.start, self.live)


def _machine(db: RoleDatabase, role: str, totals: Counter[str], operations: set[str]) -> type:
    app, authorization = db.app, db.authorization
    token = authorization.removeprefix("Bearer ")
    schema = schemathesis.openapi.from_dict(published_spec(), config=_config(role, token))
    schema.app = app  # in-process (WSGI), also for the checks' own probes
    client = app.test_client()

    class Scenario(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            db.reset()
            self.filled_in: set[str] = set()
            totals["scenarios"] += 1

        def before_call(self, case: Any) -> None:  # noqa: ANN401
            # The first completion of a task in a scenario carries the task's valid form, so the process moves on;
            # schemathesis then counts it as the valid request it has become. Later ones keep the generated data.
            task_id = (case.path_parameters or {}).get("task_id")
            if case.operation.label != COMPLETE or not isinstance(task_id, str) or task_id in self.filled_in:
                return
            task = client.get(f"/api/tasks/{quote(task_id, safe='')}", headers={"Authorization": authorization})
            bpmn_id = task.get_json().get("bpmn_id") if task.status_code == 200 else None
            if bpmn_id in FORMS:
                self.filled_in.add(task_id)
                case.body = {"data": form(bpmn_id)}

        def after_call(self, response: Any, case: Any) -> None:  # noqa: ANN401
            super().after_call(response, case)
            totals["steps"] += 1
            operations.add(case.operation.label)
            if case.operation.label == COMPLETE and response.status_code == 200:
                totals["completions"] += 1

    return Scenario


@pytest.mark.parametrize("role", ROLES)
def test_linked_flows_keep_their_contract(role: str, demo_template: Path, tmp_path: Path,
                                          request: pytest.FixtureRequest) -> None:
    db = RoleDatabase(demo_template, tmp_path, role)
    totals: Counter[str] = Counter()
    operations: set[str] = set()
    try:
        machine = _machine(db, role, totals, operations)
        machine.run(settings=hypothesis.settings(
            max_examples=SCENARIOS, stateful_step_count=MAX_STEPS, derandomize=True, database=None, deadline=None,
            suppress_health_check=list(hypothesis.HealthCheck),
            phases=[hypothesis.Phase.generate, hypothesis.Phase.shrink]))
    except BaseException:
        totals["failures"] += 1
        raise
    finally:
        db.app.extensions["sagsflow"]["engine"].dispose()
        line = (f"schemathesis stateful {role}: {len(operations)} operations, {totals['scenarios']} scenarios, "
                f"{totals['steps']} steps ({totals['completions']} tasks completed), {totals['failures']} failures")
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        with capture.global_and_fixture_disabled():
            print(f"\n{line}")
