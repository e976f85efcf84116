"""One process layout, three ways to run it: deploy/Procfile (honcho), systemd units, Docker Compose.

The Procfile is the source; the units and the Compose file must run the same process types with the same
commands and defaults, so the honcho and systemd drills test what the containers run too.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from service.config import ROOT
from tests.deploy.layout import (
    DEPLOY,
    SYSTEMD,
    compose_command,
    defaults,
    procfile,
    unit,
    unit_command,
    unit_environment,
    values,
    without_defaults,
)

PROCESS_TYPES = {"release", "web", "worker", "beat"}
UNITS = {"release": "sagsflow-release.service", "web": "sagsflow-web.service",
         "worker": "sagsflow-worker@.service", "beat": "sagsflow-beat.service"}
DROP_IN = SYSTEMD / "sagsflow-.service.d" / "10-sagsflow.conf"


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def _sagsflow_services() -> dict[str, dict]:
    return {name: s for name, s in _compose()["services"].items() if s.get("image", "").startswith("sagsflow:")}


def _replicas(service: dict) -> int:
    return service.get("deploy", {}).get("replicas", 1)


def test_the_procfile_has_the_agreed_process_types():
    types = procfile()
    assert set(types) == PROCESS_TYPES
    assert types["release"] == "sagsflow migrate && sagsflow deploy"
    assert types["web"].startswith("gunicorn -c deploy/gunicorn.conf.py ")
    assert defaults(types["worker"]) == {"SAGSFLOW_WORKER_CONCURRENCY": "2"}
    assert defaults(types["beat"]) == {"SAGSFLOW_BEAT_SCHEDULE": "/var/lib/sagsflow/celerybeat-schedule"}


@pytest.mark.parametrize("process_type", sorted(PROCESS_TYPES))
def test_each_systemd_unit_runs_the_procfile_command_with_its_defaults(process_type):
    command = procfile()[process_type]
    sections = unit(SYSTEMD / UNITS[process_type])
    assert unit_command(sections) == without_defaults(command)
    assert defaults(command).items() <= unit_environment(sections).items()
    assert values(sections, "Install", "WantedBy") == ["sagsflow.target"]
    assert values(sections, "Unit", "PartOf") == ["sagsflow.target"]


def test_the_release_unit_is_a_oneshot_that_web_worker_and_beat_wait_for():
    release = unit(SYSTEMD / UNITS["release"])
    assert values(release, "Service", "Type") == ["oneshot"]
    assert values(release, "Service", "RemainAfterExit") == ["yes"]
    for process_type in ("web", "worker", "beat"):
        sections = unit(SYSTEMD / UNITS[process_type])
        for key in ("After", "Requires"):
            assert "sagsflow-release.service" in " ".join(values(sections, "Unit", key)).split(), (process_type, key)
        assert values(sections, "Service", "Restart") == ["on-failure"]


def test_every_unit_runs_as_the_sagsflow_user_with_the_env_file_and_hardening():
    shared = dict(unit(DROP_IN)["Service"])
    assert shared["User"] == shared["Group"] == "sagsflow"
    assert shared["EnvironmentFile"] == "/etc/sagsflow/sagsflow.env"
    assert shared["WorkingDirectory"] == "/opt/sagsflow"  # where deploy/gunicorn.conf.py resolves
    assert (shared["NoNewPrivileges"], shared["ProtectSystem"], shared["PrivateTmp"]) == ("yes", "strict", "yes")
    assert shared["CapabilityBoundingSet"] == ""
    beat = unit(SYSTEMD / UNITS["beat"])
    schedule_dir = str(Path(defaults(procfile()["beat"])["SAGSFLOW_BEAT_SCHEDULE"]).parent)
    assert values(beat, "Service", "ReadWritePaths") == [schedule_dir]
    assert values(beat, "Service", "StateDirectory") == [Path(schedule_dir).name]


def test_systemd_accepts_the_units_with_the_shared_drop_in(tmp_path):
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze mangler (Debian-pakken systemd)"
    root = tmp_path / "root"
    system = root / "etc" / "systemd" / "system"
    shutil.copytree(SYSTEMD, system)
    shutil.copytree("/usr/lib/systemd/system", root / "usr" / "lib" / "systemd" / "system", symlinks=True)
    for program in ("gunicorn", "celery", "sagsflow"):  # verify checks that ExecStart= points at a program
        path = root / "opt" / "sagsflow" / "venv" / "bin" / program
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#!/bin/sh\n")
        path.chmod(0o755)
    (root / "bin").mkdir()
    shutil.copy("/bin/kill", root / "bin" / "kill")
    names = [n.replace("@.", "@1.") for n in UNITS.values()] + ["sagsflow.target"]
    done = subprocess.run([analyze, "verify", f"--root={root}", *names], cwd=system, capture_output=True, text=True,
                          timeout=60, check=False)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")
    # verify reads the drop-in: a mistake in it is reported for the worker instance
    (system / DROP_IN.relative_to(SYSTEMD)).write_text(DROP_IN.read_text(encoding="utf-8") + "ProtectSystem=nej\n")
    broken = subprocess.run([analyze, "verify", f"--root={root}", "sagsflow-worker@1.service"], cwd=system,
                            capture_output=True, text=True, timeout=60, check=False)
    assert "10-sagsflow.conf" in broken.stderr and "protect system" in broken.stderr


def test_compose_runs_each_procfile_command_and_nothing_else():
    types = procfile()
    by_type: dict[str, list[str]] = {}
    for name, service in _sagsflow_services().items():
        command = compose_command(service)
        matching = [t for t, c in types.items() if c == command]
        assert matching, f"{name} kører en kommando, der ikke står i deploy/Procfile: {command}"
        by_type.setdefault(matching[0], []).extend([name] * _replicas(service))
    assert {t: len(names) for t, names in by_type.items()} == {"release": 1, "web": 2, "worker": 2, "beat": 1}


def test_compose_starts_the_nodes_after_a_successful_release_and_keeps_the_beat_schedule():
    services = _sagsflow_services()
    release = next(n for n, s in services.items() if compose_command(s) == procfile()["release"])
    assert services[release]["restart"] == "no"
    for name, service in services.items():
        if name != release:
            assert service["depends_on"][release] == {"condition": "service_completed_successfully"}, name
            assert service["restart"] == "unless-stopped"
        assert service["environment"]["SAGSFLOW_PRODUCTION"] == "1"
        assert service["env_file"] == ".env"
    beat = next(s for s in services.values() if compose_command(s) == procfile()["beat"])
    schedule_dir = str(Path(defaults(procfile()["beat"])["SAGSFLOW_BEAT_SCHEDULE"]).parent)
    assert [v.split(":")[1] for v in beat["volumes"]] == [schedule_dir]
    assert _replicas(beat) == 1


def test_compose_has_postgresql_redis_and_health_checks():
    services = _compose()["services"]
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    for name in ("postgres", "redis"):
        assert services[name]["healthcheck"]["test"]
    webs = [s for s in _sagsflow_services().values() if compose_command(s) == procfile()["web"]]
    for web in webs:
        assert "http://127.0.0.1:8000/healthz" in " ".join(web["healthcheck"]["test"])


def test_docker_compose_accepts_the_file(tmp_path):
    tool = shutil.which("docker-compose")
    assert tool, "docker-compose mangler (Debian-pakken docker-compose; `make deploy-tools`)"
    project = tmp_path / "deploy"
    shutil.copytree(DEPLOY, project)
    (project / ".env").write_text("SAGSFLOW_DB_PASSWORD=proeve\nSAGSFLOW_DOMAIN=sagsflow.example\n")
    done = subprocess.run([tool, "-f", str(project / "compose.yaml"), "config"], capture_output=True, text=True,
                          timeout=60, check=False, env={**os.environ, "COMPOSE_PROJECT_NAME": "sagsflow"})
    assert done.returncode == 0, done.stderr
    resolved = yaml.safe_load(done.stdout)["services"]
    assert resolved["web1"]["environment"]["SAGSFLOW_DATABASE_URL"] == \
        "postgresql+psycopg://sagsflow:proeve@postgres:5432/sagsflow"
    assert resolved["postgres"]["environment"]["POSTGRES_PASSWORD"] == "proeve"
    (project / ".env").write_text("SAGSFLOW_DOMAIN=sagsflow.example\n")
    missing = subprocess.run([tool, "-f", str(project / "compose.yaml"), "config"], capture_output=True, text=True,
                             timeout=60, check=False)
    assert missing.returncode != 0 and "set SAGSFLOW_DB_PASSWORD in deploy/.env" in missing.stderr


def test_the_image_is_non_root_python_slim_with_assets_built_by_node_and_runs_web_by_default():
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    stages = re.findall(r"^FROM (\S+)(?: AS (\w+))?", text, flags=re.M)
    assert stages[-1][0] == "python:3.11-slim"
    assert stages[0][0].startswith("node:") and "RUN npm run build" in text
    assert re.findall(r"^USER (\S+)", text, flags=re.M) == ["sagsflow"]
    cmd = json.loads(re.search(r"^CMD (.+)$", text, flags=re.M).group(1))
    assert cmd == shlex.split(procfile()["web"])
    dirs = dict(re.findall(r"(SAGSFLOW_\w+_DIR)=(\S+)", text))
    for setting in ("SAGSFLOW_WORKFLOWS_DIR", "SAGSFLOW_FORMS_DIR", "SAGSFLOW_LETTERS_DIR"):
        folder = Path(dirs[setting]).name
        assert f"COPY {folder}/ {folder}/" in text


def test_the_proxy_sends_traffic_to_every_web_service_by_readyz():
    caddy = shutil.which("caddy")
    assert caddy, "caddy mangler (Debian-pakken caddy; `make deploy-tools`)"
    done = subprocess.run([caddy, "adapt", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
                          capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "SAGSFLOW_DOMAIN": "sagsflow.example"})
    assert done.returncode == 0, done.stderr
    config = json.loads(done.stdout)
    proxies = list(_handlers(config, "reverse_proxy"))
    assert len(proxies) == 1
    webs = {name for name, s in _sagsflow_services().items() if compose_command(s) == procfile()["web"]}
    assert {u["dial"] for u in proxies[0]["upstreams"]} == {f"{name}:8000" for name in webs}
    assert proxies[0]["health_checks"]["active"]["uri"] == "/readyz"
    assert proxies[0]["health_checks"]["active"]["expect_status"] == 200
    text = json.dumps(config)
    assert '"sagsflow.example"' in text


def _handlers(node: object, kind: str):  # noqa: ANN202
    if isinstance(node, dict):
        if node.get("handler") == kind:
            yield node
        for child in node.values():
            yield from _handlers(child, kind)
    elif isinstance(node, list):
        for child in node:
            yield from _handlers(child, kind)


def test_the_settings_example_names_the_procfile_variables():
    example = (DEPLOY / "sagsflow.env.example").read_text(encoding="utf-8")
    compose_example = (DEPLOY / "compose.env.example").read_text(encoding="utf-8")
    for command in procfile().values():
        for variable, default in defaults(command).items():
            assert f"{variable}={default}" in example
            assert f"{variable}={default}" in compose_example


def test_the_settings_example_names_every_production_setting():
    """What service/config.py and the gunicorn config read is in the example, bar the embedded-mode switches."""
    read = set()
    for source in (ROOT / "service" / "config.py", DEPLOY / "gunicorn.conf.py"):
        read |= set(re.findall(r'"(SAGSFLOW_[A-Z_]+)"', source.read_text(encoding="utf-8")))
    embedded_only = {"SAGSFLOW_DEMO_MODE", "SAGSFLOW_TIMER_LOOP", "SAGSFLOW_BENCH_ENDPOINT"}
    example = set(re.findall(r"^#?(SAGSFLOW_[A-Z_]+)=", (DEPLOY / "sagsflow.env.example").read_text(encoding="utf-8"),
                             flags=re.M))
    assert read - embedded_only <= example, sorted(read - embedded_only - example)


def test_the_sysusers_file_creates_the_user_the_units_run_as(tmp_path):
    sysusers = shutil.which("systemd-sysusers")
    assert sysusers, "systemd-sysusers mangler (Debian-pakken systemd)"
    (tmp_path / "etc").mkdir()
    done = subprocess.run([sysusers, f"--root={tmp_path}", str(SYSTEMD / "sagsflow.sysusers")], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    users = {line.split(":")[0]: line.split(":") for line in (tmp_path / "etc" / "passwd").read_text().splitlines()}
    user = dict(unit(DROP_IN)["Service"])["User"]
    schedule_dir = str(Path(defaults(procfile()["beat"])["SAGSFLOW_BEAT_SCHEDULE"]).parent)
    assert users[user][5:] == [schedule_dir, "/usr/sbin/nologin"]
