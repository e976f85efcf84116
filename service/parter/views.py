"""HTTP adapters for a case's parties (case access per role and team; every read journalled)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service.idempotency.adapters import idempotent
from service.parter import schemas
from service.parter import service as parter
from service.parter.models import Part, UngSamtykke
from service.web import current_user, uow

blp = Blueprint("parter", __name__, url_prefix="/api",
                description="Sagens parter: barnet (fra 10 år), forældremyndighedsindehavere, andre forældre")


@blp.route("/cases/<string:case_id>/parter")
class CaseParties(MethodView):
    @blp.response(200, schemas.ParterSchema)
    def get(self, case_id: str) -> parter.Parter:
        """Sagens parter (CPR maskeret) med barnet og den unges eget samtykke. Læsningen journaliseres."""
        unit = uow()
        found = parter.read(unit, current_user(), case_id)
        unit.commit()
        return found

    @blp.arguments(schemas.PartCreateSchema)
    @idempotent(blp, 201, schemas.PartSchema)
    def post(self, args: dict, case_id: str) -> Part:
        """Registrér en part: forældremyndighedsindehaver (mor, far, værge) eller anden forælder. Journaliseres."""
        return parter.add(uow(), current_user(), case_id, args)


@blp.route("/cases/<string:case_id>/parter/<string:part_id>")
class CaseParty(MethodView):
    @blp.arguments(schemas.PartChangeSchema)
    @blp.response(200, schemas.PartSchema)
    def patch(self, args: dict, case_id: str, part_id: str) -> Part:
        """Ret en parts navn, adresse, kontakt eller forældremyndighed, eller afslut parten (`ophoert`)."""
        unit = uow()
        part = parter.change(unit, current_user(), case_id, part_id, args)
        unit.commit()
        return part


@blp.route("/cases/<string:case_id>/parter/<string:part_id>/cpr")
class CasePartyCpr(MethodView):
    @blp.response(200, schemas.CprSchema)
    def post(self, case_id: str, part_id: str) -> dict:
        """Partens fulde CPR-nummer. Visningen journaliseres (som barnets)."""
        unit = uow()
        cpr = parter.reveal_cpr(unit, current_user(), case_id, part_id)
        unit.commit()
        return {"cpr": cpr}


@blp.route("/cases/<string:case_id>/parter/samtykke")
class YoungConsent(MethodView):
    @blp.arguments(schemas.SamtykkeCreateSchema)
    @blp.response(201, schemas.SamtykkeSchema)
    def post(self, args: dict, case_id: str) -> UngSamtykke:
        """Registrér den unges eget samtykke (fra 15 år, BL § 46); visitationen læser det herfra."""
        unit = uow()
        row = parter.register_consent(unit, current_user(), case_id, args)
        unit.commit()
        return row
