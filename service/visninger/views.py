from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from service.cases.schemas import CaseListQuerySchema
from service.inbox.schemas import TaskListQuerySchema
from service.visninger import service as visninger
from service.web import current_user, uow

blp = Blueprint("visninger", __name__, url_prefix="/api", description="Gemte visninger af indbakke og sagsliste")

# A view's filter is what the list's GET takes, so a saved view can never hold a CPR number.
FILTERS = {"opgaver": TaskListQuerySchema, "sager": CaseListQuerySchema}
PAGING = ("limit", "offset")


class VisningSchema(Schema):
    id = fields.Integer(dump_only=True)
    liste = fields.String(required=True, validate=validate.OneOf(visninger.LISTS))
    name = fields.String(data_key="navn", required=True, validate=validate.Length(min=1, max=80))
    filter = fields.Dict(required=True, metadata={"description": "Listens GET-parametre, fx {\"scope\": \"mine\"}"})
    shared = fields.Boolean(data_key="delt", load_default=False, metadata={"description": "Delt med mit team"})
    owner_id = fields.Integer(data_key="ejer_id", dump_only=True)
    egen = fields.Method("_own", dump_only=True)

    def _own(self, view: Any) -> bool:
        return view.owner_id == current_user().id

    @validates_schema
    def _filter_fits_the_list(self, data: dict, **_: Any) -> None:
        schema = FILTERS.get(data.get("liste"))
        if schema is None:
            return
        errors = schema().validate({k: v for k, v in data["filter"].items()})
        if errors:
            raise ValidationError({f"filter.{k}": v for k, v in errors.items()})
        data["filter"] = {k: v for k, v in data["filter"].items() if k not in PAGING}


class VisningQuerySchema(Schema):
    liste = fields.String(validate=validate.OneOf(visninger.LISTS))


@blp.route("/visninger")
class Visninger(MethodView):
    @blp.arguments(VisningQuerySchema, location="query")
    @blp.response(200, VisningSchema(many=True))
    def get(self, args: dict) -> list:
        """Mine gemte visninger og dem, mit team deler."""
        return visninger.visible(uow(), current_user(), args.get("liste"))

    @blp.arguments(VisningSchema)
    @blp.response(201, VisningSchema)
    def post(self, args: dict) -> object:
        """Gem en visning (samme navn overskriver min egen); `delt` deler den med mit team."""
        unit = uow()
        view = visninger.save(unit, current_user(), liste=args["liste"], name=args["name"], filter=args["filter"],
                              shared=args["shared"])
        unit.commit()
        return view


@blp.route("/visninger/<int:visning_id>")
class VisningDetail(MethodView):
    @blp.response(204)
    def delete(self, visning_id: int) -> None:
        """Slet en af mine visninger (en kollegas delte kan kun hun selv slette)."""
        unit = uow()
        visninger.delete(unit, current_user(), visning_id)
        unit.commit()
