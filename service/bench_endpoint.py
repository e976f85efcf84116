"""Bare endpoints for the benchmarks' baselines, a JSON write and an indexed read (only with SAGSFLOW_BENCH_ENDPOINT=1).

Same app, same auth and same transaction handling as the real API; it writes one journal row
with the request's JSON, so the benchmark can compare the engine's cost against a plain write.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from service.access.models import Team
from service.journal import service as journal
from service.web import current_user, uow

blp = Blueprint("bench", __name__, url_prefix="/api/bench")


@blp.post("/write")
def write() -> object:
    user = current_user()
    unit = uow()
    entry = journal.record(unit, case_id=None, actor_id=user.id, action="bench", title="bench",
                           data=request.get_json(force=True))
    unit.commit()
    return jsonify({"id": entry.id}), 201


@blp.get("/read")
def read() -> object:
    """The bare indexed GET: the caller's team by primary key, with the same log-in and request handling."""
    user = current_user()
    team = uow().session.get(Team, user.team_id)
    return jsonify({"id": team.id, "navn": team.navn})
