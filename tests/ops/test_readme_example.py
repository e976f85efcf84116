"""The README's curl block, run as written against a service started like `make run` starts it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from service.config import ROOT
from tests.ops.test_logs_hold_no_case_data import _free_port


def _readme_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## En sag fra ende til anden med curl", 1)[1]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1)


@pytest.fixture
def embedded_service(tmp_path):  # noqa: ANN001, ANN201
    if shutil.which("curl") is None:
        pytest.fail("curl mangler: README-eksemplet bruger det")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAGSFLOW_")}
    env.update({"SAGSFLOW_DATABASE_URL": f"sqlite:///{tmp_path / 'sagsflow.db'}", "SAGSFLOW_DEMO_MODE": "1",
                "SAGSFLOW_TIMER_LOOP": "1"})
    cli = [sys.executable, "-m", "service.cli"]
    subprocess.run([*cli, "seed-demo"], env=env, cwd=ROOT, check=True, capture_output=True, timeout=300)
    port = _free_port()
    with open(tmp_path / "serve.log", "w") as log:
        server = subprocess.Popen([*cli, "serve", "--port", str(port)], env=env, cwd=ROOT, stdout=log,
                                  stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "tjenesten blev ikke klar"
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_readme_curl_example_creates_its_own_case_and_completes_its_24_hour_assessment(embedded_service):
    # Verbatim, except for the port: the test's service must not collide with one a developer is running.
    script = _readme_block().replace("localhost:5000", f"localhost:{embedded_service}")
    bash = shutil.which("bash")
    result = subprocess.run([bash, "-euo", "pipefail", "-c", script + '\necho "SAG=$SAG"\n'], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    case_id = lines[-1].removeprefix("SAG=")
    completed = json.loads(lines[-3])
    assert completed["opgave"]["bpmn_id"] == "vurdering_24t" and completed["opgave"]["status"] == "udfoert"
    case = json.loads(lines[-2])
    assert case["id"] == case_id and case["barnets_navn"] == "Frida Holm"
    assert case["sagsnummer"] != "2026-00001"  # a case of its own, not the first demo child's
    assert len(case["underretninger"]) == 1
    assert any(e["handling"] == "opgave_udfoert" for e in case["journal"])
