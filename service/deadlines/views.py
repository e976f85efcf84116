from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from service import clock
from service.access import service as access
from service.cases import service as cases
from service.deadlines import service as deadlines
from service.web import current_user, uow

blp = Blueprint("deadlines", __name__, url_prefix="/api", description="Frister og notifikationer")


class DeadlineSchema(Schema):
    id = fields.String()
    frist = fields.String(attribute="deadline_id")
    navn = fields.String()
    opgave = fields.String(attribute="guards", allow_none=True)
    forfald = fields.DateTime(attribute="due_at")
    sekunder_tilbage = fields.Integer()
    overskredet = fields.Boolean()
    case_id = fields.String()
    sagsnummer = fields.String()
    barnets_navn = fields.String()


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String(data_key="type")
    text = fields.String(data_key="tekst")
    case_id = fields.String()
    created_at = fields.DateTime(data_key="oprettet")
    read_at = fields.DateTime(data_key="laest", allow_none=True)


class NotificationQuerySchema(Schema):
    alle = fields.Boolean(load_default=False, metadata={"description": "Medtag læste"})


def _rows(pairs: list) -> list[dict]:
    now = clock.now()
    return [{"id": t.id, "deadline_id": t.deadline_id, "navn": t.name.removeprefix("Frist overskredet: "),
             "guards": t.guards, "due_at": t.due_at, "sekunder_tilbage": int((t.due_at - now).total_seconds()),
             "overskredet": t.due_at <= now, "case_id": c.id, "sagsnummer": c.sagsnummer,
             "barnets_navn": c.child_name} for t, c in pairs]


@blp.route("/frister")
class TeamDeadlines(MethodView):
    @blp.response(200, DeadlineSchema(many=True))
    def get(self) -> list:
        """Mit teams åbne frister med tid tilbage; overskredne først (en afdelingsleder: alle teams')."""
        user = current_user()
        if access.reads_all_teams(user):
            return _rows(deadlines.open_deadlines(uow(), team_id=None))
        if user.team_id is None:
            return []
        return _rows(deadlines.open_deadlines(uow(), team_id=user.team_id))


@blp.route("/cases/<string:case_id>/frister")
class CaseDeadlines(MethodView):
    @blp.response(200, DeadlineSchema(many=True))
    def get(self, case_id: str) -> list:
        """En sags åbne frister."""
        user = current_user()
        case = cases.readable_case(uow(), user, case_id)
        return _rows(deadlines.open_deadlines(uow(), team_id=case.team_id, case_id=case.id))


@blp.route("/notifikationer")
class Notifications(MethodView):
    @blp.arguments(NotificationQuerySchema, location="query")
    @blp.response(200, NotificationSchema(many=True))
    def get(self, args: dict) -> list:
        """Advis, overskredne frister og omfordelinger til mig og min rolle i teamet."""
        return deadlines.notifications_for(uow(), current_user(), unread_only=not args["alle"])


@blp.route("/notifikationer/<int:notification_id>/laest")
class MarkRead(MethodView):
    @blp.response(200, NotificationSchema)
    def post(self, notification_id: int) -> object:
        """Markér en notifikation som læst."""
        unit = uow()
        note = deadlines.mark_read(unit, current_user(), notification_id)
        unit.commit()
        return note
