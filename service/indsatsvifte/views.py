"""HTTP adapters for the indsatsvifte: everyone logged in reads, process owners and admins write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from service.indsatsvifte import kontrakter, schemas
from service.indsatsvifte import service as catalogue
from service.web import current_user, uow

blp = Blueprint("indsatsvifte", __name__, url_prefix="/api",
                description="Indsatsviften: indsatser, leverandører og standardkontrakter")


@blp.before_request
def _writers_only() -> None:
    """A caseworker's write gets 403 before the body is parsed, not a 422 that hints at the fields."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        catalogue.require_writer(current_user())


def _write(action: Callable[..., Any], *args: Any) -> Any:
    """One commit per write; the service checks the role and the data."""
    unit = uow()
    row = action(unit, current_user(), *args)
    unit.commit()
    return row


@blp.route("/indsatsvifte")
class Indsatser(MethodView):
    @blp.arguments(schemas.ListQuerySchema, location="query")
    @blp.response(200, schemas.IndsatsSchema(many=True))
    def get(self, args: dict) -> list:
        """Indsatsviften: de aktive indsatser (alle=true medtager deaktiverede)."""
        current_user()
        return catalogue.list_indsatser(uow(), include_inactive=args["alle"])

    @blp.arguments(schemas.IndsatsCreateSchema)
    @blp.response(201, schemas.IndsatsSchema)
    def post(self, args: dict) -> object:
        """Opret en indsats (procesejer/admin). 409 hvis kode eller navn findes."""
        return _write(catalogue.create_indsats, args)


@blp.route("/indsatsvifte/<int:indsats_id>")
class IndsatsDetail(MethodView):
    @blp.response(200, schemas.IndsatsSchema)
    def get(self, indsats_id: int) -> object:
        """En indsats med hele beskrivelsen."""
        current_user()
        return catalogue.get_indsats(uow(), indsats_id)

    @blp.arguments(schemas.IndsatsUpdateSchema(partial=True))
    @blp.response(200, schemas.IndsatsSchema)
    def patch(self, args: dict, indsats_id: int) -> object:
        """Ret en indsats (procesejer/admin); «aktiv»: false deaktiverer den – indsatser slettes aldrig."""
        return _write(catalogue.update_indsats, indsats_id, args)


@blp.route("/leverandoerer")
class Leverandoerer(MethodView):
    @blp.arguments(schemas.ListQuerySchema, location="query")
    @blp.response(200, schemas.LeverandoerSchema(many=True))
    def get(self, args: dict) -> list:
        """Leverandørerne (alle=true medtager deaktiverede)."""
        current_user()
        return catalogue.list_leverandoerer(uow(), include_inactive=args["alle"])

    @blp.arguments(schemas.LeverandoerCreateSchema)
    @blp.response(201, schemas.LeverandoerSchema)
    def post(self, args: dict) -> object:
        """Opret en leverandør (procesejer/admin)."""
        return _write(catalogue.create_leverandoer, args)


@blp.route("/leverandoerer/<int:leverandoer_id>")
class LeverandoerDetail(MethodView):
    @blp.response(200, schemas.LeverandoerSchema)
    def get(self, leverandoer_id: int) -> object:
        """En leverandør."""
        current_user()
        return catalogue.get_leverandoer(uow(), leverandoer_id)

    @blp.arguments(schemas.LeverandoerUpdateSchema(partial=True))
    @blp.response(200, schemas.LeverandoerSchema)
    def patch(self, args: dict, leverandoer_id: int) -> object:
        """Ret en leverandør (procesejer/admin); «aktiv»: false deaktiverer den."""
        return _write(catalogue.update_leverandoer, leverandoer_id, args)


@blp.route("/standardkontrakter")
class Standardkontrakter(MethodView):
    @blp.arguments(schemas.StandardkontraktQuerySchema, location="query")
    @blp.response(200, schemas.StandardkontraktSchema(many=True))
    def get(self, args: dict) -> list:
        """Standardkontrakterne, evt. for én indsats eller én leverandør."""
        current_user()
        return catalogue.list_standardkontrakter(uow(), **args)

    @blp.arguments(schemas.StandardkontraktCreateSchema)
    @blp.response(201, schemas.StandardkontraktSchema)
    def post(self, args: dict) -> object:
        """Opret standardkontrakten med en leverandør om en indsats (procesejer/admin)."""
        return _write(catalogue.create_standardkontrakt, args)


@blp.route("/standardkontrakter/<int:kontrakt_id>")
class StandardkontraktDetail(MethodView):
    @blp.response(200, schemas.StandardkontraktSchema)
    def get(self, kontrakt_id: int) -> object:
        """En standardkontrakt."""
        current_user()
        return catalogue.get_standardkontrakt(uow(), kontrakt_id)

    @blp.arguments(schemas.StandardkontraktUpdateSchema(partial=True))
    @blp.response(200, schemas.StandardkontraktSchema)
    def patch(self, args: dict, kontrakt_id: int) -> object:
        """Ret en standardkontrakt, fx pris eller gyldighedsperiode (procesejer/admin)."""
        return _write(catalogue.update_standardkontrakt, kontrakt_id, args)


@blp.route("/cases/<string:case_id>/kontrakter")
class CaseContracts(MethodView):
    @blp.response(200, schemas.IndividuelKontraktSchema(many=True))
    def get(self, case_id: str) -> list:
        """Sagens individuelle kontrakter (oprettet ved iværksættelse). Læsningen journaliseres."""
        unit = uow()
        contracts = kontrakter.for_visible_case(unit, current_user(), case_id)
        unit.commit()
        return contracts
