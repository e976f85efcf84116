from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from service.vagtplan import service as vagtplan
from service.web import current_user, uow

blp = Blueprint("vagtplan", __name__, url_prefix="/api/vagtplan", description="Vagtplan for teamledere")


class ShiftSchema(Schema):
    id = fields.Integer(dump_only=True)
    user_id = fields.Integer(data_key="bruger_id", required=True)
    navn = fields.String(attribute="user.full_name", dump_only=True)
    starts_at = fields.AwareDateTime(data_key="start", required=True, default_timezone=None)
    ends_at = fields.AwareDateTime(data_key="slut", required=True, default_timezone=None)
    note = fields.String(data_key="bemaerkning", load_default=None, allow_none=True)


@blp.route("")
class Shifts(MethodView):
    @blp.response(200, ShiftSchema(many=True))
    def get(self) -> Any:
        """Teamets aktuelle og kommende vagter."""
        return vagtplan.shifts(uow(), current_user())

    @blp.arguments(ShiftSchema)
    @blp.response(201, ShiftSchema)
    def post(self, data: dict) -> Any:
        """Læg en teamleder på vagt (kun teamledere; vagter må ikke overlappe)."""
        shift = vagtplan.plan_shift(uow(), current_user(), data)
        _ = shift.user  # the answer names her: read before the commit, which a lost connection cannot then undo
        uow().commit()
        return shift


@blp.route("/<int:shift_id>")
class Shift(MethodView):
    @blp.response(204)
    def delete(self, shift_id: int) -> None:
        """Slet en kommende vagt, eller afslut en igangværende nu."""
        vagtplan.cancel_shift(uow(), current_user(), shift_id)
        uow().commit()
