"""The demo database both schemathesis runs start from (a copy per role)."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.cli import deploy, migrate
from service.demo import seed
from tests.api.fuzzing import settings


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database (people, teams, cases in every phase, the indsatsvifte), built once."""
    path = tmp_path_factory.mktemp("fuzz") / "demo.db"
    demo = settings(path)
    migrate(demo)
    deploy(demo)
    seed(demo)
    return path
