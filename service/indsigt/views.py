from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service.indsigt import schemas
from service.indsigt import service as indsigt
from service.web import current_user, uow

blp = Blueprint("indsigt", __name__, url_prefix="/api/indsigt", description="Indsigt i adgangsloggen")


def as_answer(found: indsigt.Indsigt) -> dict:
    return {"cpr_maskeret": found.cpr_masked, "adgange": found.entries,
            "sager": [{"sagsnummer": c.sagsnummer, "status": c.status, "team": team, "oprettet": c.opened_at}
                      for c, team in found.cases]}


@blp.route("/cpr")
class IndsigtCpr(MethodView):
    @blp.arguments(schemas.IndsigtQuerySchema)
    @blp.response(200, schemas.IndsigtSchema)
    def post(self, args: dict) -> dict:
        """Hvem har læst og skrevet i et barns sager, hvornår og hvad (teamleder: eget team; administrator: alle).

        CPR-nummeret sendes i body, så det aldrig står i en adresse eller en log. Opslaget journaliseres på
        hver sag, det viser.
        """
        unit = uow()
        found = indsigt.access_log(unit, current_user(), args["cpr"])
        unit.commit()
        return as_answer(found)
