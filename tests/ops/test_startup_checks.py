"""Production settings are checked at start-up: each mistake stops the process with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from service.cli import main
from service.config import ROOT, ConfigError, Settings

GOOD = {"SAGSFLOW_PRODUCTION": "1", "SAGSFLOW_DATABASE_URL": "postgresql+psycopg://sagsflow@db:5432/sagsflow",
        "SAGSFLOW_SECRET_KEY": "9f1c2b7e5a4d3c8b6e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b", "SAGSFLOW_SECURE_COOKIES": "1",
        "SAGSFLOW_BROKER_URL": "redis://redis:6379/0"}


@pytest.mark.parametrize(("change", "expected"), [
    ({"SAGSFLOW_BROKER_URL": None}, "SAGSFLOW_BROKER_URL mangler"),
    ({"SAGSFLOW_SECRET_KEY": None}, "SAGSFLOW_SECRET_KEY mangler"),
    ({"SAGSFLOW_SECRET_KEY": "change-me-to-64-random-hex-chars-please-do-it-now"}, "pladsholder"),
    ({"SAGSFLOW_SECRET_KEY": "kort"}, "for kort"),
    ({"SAGSFLOW_SECURE_COOKIES": "0"}, "SAGSFLOW_SECURE_COOKIES=1 kræves"),
    ({"SAGSFLOW_DATABASE_URL": None}, "PostgreSQL i produktion"),
    ({"SAGSFLOW_DATABASE_URL": "sqlite:///tmp/x.db"}, "PostgreSQL i produktion"),
    ({"SAGSFLOW_DEMO_MODE": "1"}, "DEMO_MODE"),
])
def test_production_refuses_each_missing_or_unsafe_setting(change, expected):
    env = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    with pytest.raises(ConfigError, match=expected):
        Settings.from_env(env).check()


def test_production_settings_that_are_all_given_pass_and_embedded_defaults_need_none():
    Settings.from_env(GOOD).check()
    Settings.from_env({}).check()  # the embedded default (make run) stays as simple as before


def test_an_unreachable_database_stops_the_cli_with_one_line(capsys, monkeypatch):
    env = {**GOOD, "SAGSFLOW_DATABASE_URL": "postgresql+psycopg://sagsflow@127.0.0.1:1/sagsflow"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["migrate"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Fejl: Databasen kan ikke nås: postgresql+psycopg://sagsflow@127.0.0.1:1")


def _run(args: list[str], env_change: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAGSFLOW_")}
    env.update(env_change)
    return subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)


def test_gunicorn_stops_with_one_line_on_a_placeholder_secret():
    result = _run([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--bind", "127.0.0.1:0",
                   "service.app:create_app()"],
                  {**GOOD, "SAGSFLOW_SECRET_KEY": "change-me-to-64-random-hex-chars"})
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == ["Sagsflow starter ikke: SAGSFLOW_SECRET_KEY er en pladsholder eller for kort "
                     "(mindst 32 tegn, tilfældige)"]


def test_celery_worker_and_beat_stop_with_one_line_without_a_broker_url():
    result = _run([sys.executable, "-m", "celery", "-A", "tasks.celery_app", "beat", "--help"],
                  {k: v for k, v in GOOD.items() if k != "SAGSFLOW_BROKER_URL"})
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if line.strip()] == [
        "Sagsflow starter ikke: SAGSFLOW_BROKER_URL mangler (Redis til Celery, fx redis://redis:6379/0)"]
