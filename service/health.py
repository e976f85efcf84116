"""Health for load balancers and orchestrators: /healthz (the process answers) and /readyz (it can serve)."""

from __future__ import annotations

from functools import cache
from typing import Any

from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from service.web import problem

blp = Blueprint("health", __name__)


@cache
def migration_heads() -> frozenset[str]:
    from service.cli import alembic_config
    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def readiness_problems(engine: Any) -> list[str]:
    """What stops this node from serving, in Danish; empty when it is ready."""
    from service.cases.service import CASE_PROCESS
    from service.engine.models import ProcessVersion
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            applied = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
            deployed = conn.execute(select(ProcessVersion.id).where(ProcessVersion.process_id == CASE_PROCESS)
                                    .limit(1)).first()
    except SQLAlchemyError as err:
        return [f"Databasen kan ikke nås eller er ikke oprettet ({type(getattr(err, 'orig', None) or err).__name__})."]
    problems = []
    if applied != migration_heads():
        problems.append(f"Databasen er ikke migreret til nyeste version (har {', '.join(sorted(applied)) or 'ingen'},"
                        f" kræver {', '.join(sorted(migration_heads()))}): kør «sagsflow migrate».")
    if deployed is None:
        problems.append(f"Processen '{CASE_PROCESS}' er ikke udrullet: kør «sagsflow deploy».")
    return problems


@blp.get("/healthz")
def healthz() -> Any:
    return jsonify({"status": "ok"})


@blp.get("/readyz")
def readyz() -> Any:
    problems = readiness_problems(current_app.extensions["sagsflow"]["engine"])
    if problems:
        response = problem(503, "Ikke klar", " ".join(problems))
        response.headers["Retry-After"] = "5"
        return response
    return jsonify({"status": "klar"})
