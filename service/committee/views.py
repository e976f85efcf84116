from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from service.cases.cpr import mask
from service.committee import service as committees
from service.committee.models import COMMITTEES
from service.idempotency.adapters import idempotent
from service.web import current_user, uow

blp = Blueprint("committees", __name__, url_prefix="/api",
                description="Udvalgsmøder: visitationsudvalget og børne- og ungeudvalget")


class AgendaItemSchema(Schema):
    case_id = fields.String()
    sagsnummer = fields.String()
    barnets_navn = fields.String()
    cpr_maskeret = fields.String()
    status = fields.String()
    beslutning = fields.Dict(allow_none=True)


class MeetingSchema(Schema):
    id = fields.Integer()
    udvalg = fields.String()
    moededato = fields.Date()
    status = fields.String()
    dagsorden = fields.List(fields.Nested(AgendaItemSchema))


class PlanSchema(Schema):
    udvalg = fields.String(required=True, validate=validate.OneOf(tuple(COMMITTEES)))
    moededato = fields.Date(required=True)


class DecisionSchema(Schema):
    case_id = fields.String(required=True)
    udfald = fields.String(required=True, validate=validate.OneOf(committees.OUTCOMES))
    begrundelse = fields.String(required=True, validate=validate.Length(min=3, max=10000))


class HoldSchema(Schema):
    beslutninger = fields.List(fields.Nested(DecisionSchema), required=True)


def _item(referral: object, case: object) -> dict:
    return {"case_id": case.id, "sagsnummer": case.sagsnummer, "barnets_navn": case.child_name,
            "cpr_maskeret": mask(case.cpr), "status": referral.status, "beslutning": referral.decision}


def _meeting(view: committees.MeetingView) -> dict:
    m = view.meeting
    return {"id": m.id, "udvalg": m.committee, "moededato": m.meeting_date, "status": m.status,
            "dagsorden": [_item(r, c) for r, c in view.agenda]}


@blp.route(f"/udvalg/<any({', '.join(COMMITTEES)}):committee>/ventende")  # the two committees, in the document
class Waiting(MethodView):
    @blp.response(200, AgendaItemSchema(many=True))
    def get(self, committee: str) -> list:
        """Sager i teamet, der venter på udvalgets beslutning (teamleder)."""
        return [_item(r, c) for r, c in committees.waiting_cases(uow(), current_user(), committee)]


@blp.route("/udvalgsmoeder")
class Meetings(MethodView):
    @blp.arguments(PlanSchema)
    @blp.response(201, MeetingSchema)
    def post(self, args: dict) -> dict:
        """Planlæg et møde: dagsordenen er alle sager, der nu venter på udvalget."""
        unit = uow()
        view = committees.plan_meeting(unit, current_user(), committee=args["udvalg"],
                                       meeting_date=args["moededato"])
        unit.commit()
        return _meeting(view)


@blp.route("/udvalgsmoeder/<int:meeting_id>")
class Meeting(MethodView):
    @blp.response(200, MeetingSchema)
    def get(self, meeting_id: int) -> dict:
        """Et møde med dagsorden og beslutninger."""
        return _meeting(committees.get_meeting(uow(), current_user(), meeting_id))


@blp.route("/udvalgsmoeder/<int:meeting_id>/afhold")
class Hold(MethodView):
    @blp.arguments(HoldSchema)
    @idempotent(blp, 200, MeetingSchema)
    def post(self, args: dict, meeting_id: int) -> dict:
        """Afhold mødet: én beslutning pr. sag på dagsordenen; hver sags proces fortsætter til den skriftlige
        afgørelse."""
        return _meeting(committees.hold_meeting(uow(), current_user(), meeting_id, args["beslutninger"]))
