"""HTTP adapter: what is due for archiving (team leaders, heads of department). Archiving itself is IT's command
(`sagsflow arkiv udfoer`), so the API only shows it."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from service.arkiv import service as arkiv
from service.cases.cpr import mask
from service.web import current_user, uow

blp = Blueprint("arkiv", __name__, url_prefix="/api", description="Arkivering af afsluttede sager")


def months() -> int:
    return current_app.extensions["sagsflow"]["settings"].archive_after_months


class ArkivSagSchema(Schema):
    id = fields.String()
    sagsnummer = fields.String()
    child_name = fields.String(data_key="barnets_navn")
    cpr = fields.Function(lambda c: mask(c.cpr), data_key="cpr_maskeret")
    team_id = fields.Integer()
    closed_at = fields.DateTime(data_key="afsluttet")
    arkiveret_at = fields.DateTime(data_key="arkiveret", allow_none=True)


class ArkivOversigtSchema(Schema):
    months = fields.Integer(data_key="arkivering_efter_maaneder")
    cutoff = fields.DateTime(data_key="afsluttet_senest",
                             metadata={"description": "Sager afsluttet til og med dette tidspunkt skal arkiveres"})
    due = fields.List(fields.Nested(ArkivSagSchema), data_key="skal_arkiveres")
    archived = fields.List(fields.Nested(ArkivSagSchema), data_key="arkiveret",
                           metadata={"description": "De senest arkiverede sager, nyeste først"})


@blp.route("/arkiv")
class Arkiv(MethodView):
    @blp.response(200, ArkivOversigtSchema)
    def get(self) -> arkiv.Overview:
        """Sager, der skal arkiveres (afsluttet for mindst den indstillede periode siden), og de senest arkiverede.
        Teamledere ser eget team, afdelingsledere alle. Arkiveringen udføres af IT med `sagsflow arkiv udfoer`."""
        return arkiv.overview(uow(), current_user(), months=months())
