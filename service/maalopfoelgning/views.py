"""HTTP adapter for a case's goal follow-up (case access per role and team; the read is journalled)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service.maalopfoelgning import schemas
from service.maalopfoelgning import service as maalopfoelgning
from service.web import current_user, uow

blp = Blueprint("maalopfoelgning", __name__, url_prefix="/api",
                description="Målopfølgning: hvert mål i barnets plan vurderet ved hver opfølgning")


@blp.route("/cases/<string:case_id>/maal")
class CaseGoals(MethodView):
    @blp.response(200, schemas.MaalopfoelgningSchema)
    def get(self, case_id: str) -> dict:
        """Målene i barnets plan, som den gælder nu, hver med vurderingerne fra opfølgningerne (ældste først); mål,
        som en revideret plan ikke længere har, til sidst. Læsningen journaliseres."""
        unit = uow()
        goals = maalopfoelgning.read_history(unit, current_user(), case_id)
        unit.commit()
        return {"maal": goals}
