from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from service.cases import listing, schemas
from service.cases import service as cases
from service.idempotency.adapters import idempotent
from service.list_schemas import page_body, search_terms
from service.web import current_user, uow

blp = Blueprint("cases", __name__, url_prefix="/api", description="Underretninger og sager")


@blp.route("/underretninger")
class Underretninger(MethodView):
    @blp.arguments(schemas.UnderretningCreateSchema)
    @idempotent(blp, 201, schemas.ReceivedSchema, retry=True)
    def post(self, args: dict) -> dict:
        """Modtag en underretning: opretter en sag, eller knytter den til barnets åbne sag.

        Hører barnets åbne sag til et andet team, sendes underretningen dertil, og svaret siger kun, at den er
        modtaget. Samtidige underretninger om samme barn lander på samme sag (konflikter prøves igen).
        """
        user = current_user()
        received = cases.receive_underretning(uow(), user, args)
        if not received.visible_to(user):
            return {"underretning_id": received.underretning.id,
                    "besked": "Underretningen er modtaget og sendt til det team, der behandler barnets sag."}
        return {"case_id": received.case.id, "sagsnummer": received.case.sagsnummer,
                "underretning_id": received.underretning.id, "joined": received.joined,
                "besked": "Underretningen er knyttet til barnets åbne sag." if received.joined
                else "Underretningen er modtaget, og en ny sag er oprettet."}


@blp.route("/cases")
class Cases(MethodView):
    @blp.arguments(schemas.CaseListQuerySchema, location="query")
    @blp.response(200, schemas.CasePageSchema)
    def get(self, args: dict) -> dict:
        """Mit teams sager (CPR maskeret), én side ad gangen, nærmeste frist først. Søg på navn eller sagsnummer med
        `q`; et CPR-nummer i adressen afvises (422): brug POST /cases/soeg."""
        page = listing.list_cases(uow(), current_user(), listing.CaseQuery(**args))
        return page_body(page, "sager", [schemas.row_item(r) for r in page.rows])


@blp.route("/cases/soeg")
class CaseSearch(MethodView):
    @blp.arguments(schemas.CaseSearchSchema)
    @blp.response(200, schemas.CasePageSchema)
    def post(self, args: dict) -> dict:
        """Som GET /cases, men med søgningen i kroppen: `q` kan være hele CPR-nummeret. Nummeret vises aldrig i
        svaret (kun maskeret), og søgningen journaliseres som en læsning på de fundne sager."""
        unit = uow()
        page = listing.search_cases(unit, current_user(), listing.CaseQuery(**{**args, **search_terms(args)}))
        unit.commit()
        return page_body(page, "sager", [schemas.row_item(r) for r in page.rows])


@blp.route("/cases/<string:case_id>")
class CaseDetail(MethodView):
    @blp.response(200, schemas.CaseDetailSchema)
    def get(self, case_id: str) -> dict:
        """En sag med underretninger, aktuelle aktiviteter og journal. Læsningen journaliseres."""
        unit = uow()
        view = cases.get_case(unit, current_user(), case_id)
        unit.commit()
        c = view.case
        return {"id": c.id, "sagsnummer": c.sagsnummer, "child_name": c.child_name, "cpr": c.cpr,
                "status": c.status, "phase": c.phase, "opened_at": c.opened_at, "closed_at": c.closed_at,
                "arkiveret_at": c.arkiveret_at,
                "underretninger": view.underretninger, "aktiviteter": view.open_tasks, "journal": view.journal,
                "afventer": view.waiting_for}


@blp.route("/cases/<string:case_id>/klager")
class Klager(MethodView):
    @blp.arguments(schemas.KlageSchema)
    @blp.response(201, schemas.KlageResultSchema)
    def post(self, args: dict, case_id: str) -> dict:
        """Registrér en klage over en afgørelse; starter genvurdering hvis en indsats kører."""
        unit = uow()
        payload = {"modtaget": args["modtaget"].isoformat(), "beskrivelse": args["beskrivelse"]}
        delivered = cases.register_klage(unit, current_user(), case_id, payload)
        unit.commit()
        return {"genvurdering_oprettet": delivered}
