"""HTTP adapters for a case's journal notes (case access per role and team; every read journalled)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service.idempotency.adapters import idempotent
from service.notater import service as notater
from service.notater.models import Notat
from service.notater.schemas import NotatChangeSchema, NotatCreateSchema, NotatSchema, RettelseCreateSchema
from service.schemas import ProblemSchema
from service.web import current_user, uow

blp = Blueprint("notater", __name__, url_prefix="/api",
                description="Notater på sagen (notatpligt): samtaler, hjemmebesøg, telefon, netværksmøder")

_AFTER_24_HOURS = {
    "schema": ProblemSchema, "content_type": "application/problem+json",
    "description": "Notatet er mere end 24 timer gammelt og kan ikke ændres: skriv en rettelse, der henviser til det "
                   "(POST /api/cases/{case_id}/notater/{notat_id}/rettelser). Også når en anden ændrede notatet "
                   "samtidig."}


@blp.route("/cases/<string:case_id>/notater")
class CaseNotes(MethodView):
    @blp.response(200, NotatSchema(many=True))
    def get(self, case_id: str) -> list[Notat]:
        """Sagens notater, seneste hændelse først; rettelser har `retter`. Læsningen journaliseres."""
        unit = uow()
        found = notater.read_all(unit, current_user(), case_id)
        unit.commit()
        return found

    @blp.arguments(NotatCreateSchema)
    @idempotent(blp, 201, NotatSchema)
    def post(self, args: dict, case_id: str) -> Notat:
        """Skriv et notat på sagen (rådgiver eller teamleder i sagens team). Journaliseres på sagen."""
        return notater.write(uow(), current_user(), case_id, args)


@blp.route("/cases/<string:case_id>/notater/<string:notat_id>")
class CaseNote(MethodView):
    @blp.response(200, NotatSchema)
    def get(self, case_id: str, notat_id: str) -> Notat:
        """Et notat. Læsningen journaliseres."""
        unit = uow()
        notat = notater.read_one(unit, current_user(), case_id, notat_id)
        unit.commit()
        return notat

    @blp.arguments(NotatChangeSchema)
    @blp.response(200, NotatSchema)
    @blp.alt_response(409, **_AFTER_24_HOURS)
    def patch(self, args: dict, case_id: str, notat_id: str) -> Notat:
        """Ret eget notat inden for 24 timer efter det blev skrevet (journalen beholder den tidligere tekst).
        Derefter 409: skriv en rettelse."""
        unit = uow()
        notat = notater.change(unit, current_user(), case_id, notat_id, args)
        unit.commit()
        return notat


@blp.route("/cases/<string:case_id>/notater/<string:notat_id>/rettelser")
class NoteCorrections(MethodView):
    @blp.arguments(RettelseCreateSchema)
    @idempotent(blp, 201, NotatSchema)
    def post(self, args: dict, case_id: str, notat_id: str) -> Notat:
        """Skriv en rettelse, der henviser til et notat (et notat står, som det blev skrevet, efter 24 timer).
        Type, dato og opgave er det rettede notats, medmindre de angives."""
        return notater.correct(uow(), current_user(), case_id, notat_id, args)
