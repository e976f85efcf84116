"""HTTP adapter: the team leader's aktindsigt bundle for one case, as a PDF. The party's CPR is in the body, never in
the address."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from service.aktindsigt import service as aktindsigt
from service.cases.cpr import CPR_PATTERN
from service.web import current_user, uow

blp = Blueprint("aktindsigt", __name__, url_prefix="/api", description="Aktindsigt i en sag")


class AktindsigtSchema(Schema):
    part_cpr = fields.String(load_default=None, allow_none=True, metadata={
        "description": "Den anmodende parts CPR-nummer (DDMMÅÅ-XXXX). Alle andre CPR-numre i samlingen skjules; "
                       "uden det skjules alle.", "pattern": CPR_PATTERN})
    part_navn = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200),
                              metadata={"description": "Den anmodende parts navn (står på forsiden og i journalen)"})


@blp.route("/cases/<string:case_id>/aktindsigt")
class Aktindsigt(MethodView):
    @blp.arguments(AktindsigtSchema)
    @blp.doc(responses={"200": {"description": "Aktindsigten som PDF: journalens hændelser, notater, brevenes tekst "
                                               "og listen over dokumenter",
                                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}})
    def post(self, args: dict, case_id: str) -> Response:
        """Dan aktindsigt i sagen som én PDF (kun sagens teamleder; også arkiverede sager). Dannelsen journaliseres."""
        unit = uow()
        bundle = aktindsigt.produce(unit, current_user(), case_id, args)
        unit.commit()
        response = Response(bundle.pdf, mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'attachment; filename="{bundle.filename}"'
        return response
