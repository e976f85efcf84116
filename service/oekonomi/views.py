"""HTTP adapters for økonomi: a case's figures and payments, the finance system's file, budgets and the review."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from service.errors import TooLarge
from service.oekonomi import aarsopfoelgning, betalingsimport, budget, sag, schemas
from service.oekonomi.models import Betaling, Budget
from service.schemas import ProblemSchema
from service.web import current_user, uow

blp = Blueprint("oekonomi", __name__, url_prefix="/api",
                description="Økonomi: forventet udgift pr. indsats, betalinger, budget og årsopfølgning")
_PROBLEM = {"schema": ProblemSchema, "content_type": "application/problem+json"}
MAX_FILE_BYTES = 20 * 1024 * 1024


@blp.route("/cases/<string:case_id>/oekonomi")
class CaseEconomy(MethodView):
    @blp.response(200, schemas.SagsoekonomiSchema)
    def get(self, case_id: str) -> sag.Sagsoekonomi:
        """Sagens økonomi: pr. indsats forventet udgift (pris × antal × hyppighed) og betalt; betalingerne.
        Læsningen journaliseres."""
        unit = uow()
        figures = sag.for_case(unit, current_user(), case_id)
        unit.commit()
        return figures


@blp.route("/cases/<string:case_id>/betalinger")
class CasePayments(MethodView):
    @blp.arguments(schemas.BetalingCreateSchema)
    @blp.response(201, schemas.BetalingSchema)
    def post(self, args: dict[str, Any], case_id: str) -> Betaling:
        """Registrér en betaling på en af sagens indsatser (rådgiver eller teamleder i sagens team). Journaliseres."""
        unit = uow()
        payment = sag.register_payment(unit, current_user(), case_id, args)
        unit.commit()
        return payment


@blp.route("/cases/<string:case_id>/kontrakter/<string:kontrakt_id>/enheder")
class ContractUnits(MethodView):
    @blp.arguments(schemas.EnhederSchema)
    @blp.response(200, schemas.IndsatsoekonomiSchema)
    def put(self, args: dict[str, Any], case_id: str, kontrakt_id: str) -> sag.Indsatsoekonomi:
        """Angiv antal enheder og hyppighed på en individuel kontrakt, så den forventede udgift kan beregnes
        (rådgiver eller teamleder i sagens team). Journaliseres."""
        unit = uow()
        user = current_user()
        sag.set_units(unit, user, case_id, kontrakt_id, **args)
        figures = sag.for_case(unit, user, case_id)
        unit.commit()
        return next(r for r in figures.indsatser if r.kontrakt.id == kontrakt_id)


@blp.route("/oekonomi/betalinger/import")
class PaymentImport(MethodView):
    @blp.arguments(schemas.ImportUploadSchema, location="files")
    @blp.response(201, schemas.ImportResultSchema)
    @blp.alt_response(413, description="Filen er større end 20 MB", **_PROBLEM)
    def post(self, files: dict[str, Any]) -> betalingsimport.Outcome:
        """Indlæs betalinger fra økonomisystemets CSV-fil (administrator). Alt eller intet: én fejl i én linje
        afviser hele filen med fejlene pr. linje (422). Linjer med et betalings-id, der er indlæst før, springes
        over, så filen kan indlæses igen."""
        user = current_user()
        betalingsimport.require_importer(user)
        upload = files["fil"]
        raw = upload.stream.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise TooLarge("Filen er større end 20 MB. Del den i flere filer.")
        unit = uow()
        outcome = betalingsimport.import_payments(unit, user, filename=upload.filename or "betalinger.csv", raw=raw)
        unit.commit()
        return outcome


@blp.route("/oekonomi/budgetter")
class Budgets(MethodView):
    @blp.arguments(schemas.BudgetQuerySchema, location="query")
    @blp.response(200, schemas.BudgetSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[Budget]:
        """Årets budgetter pr. team og indsats (teamledere: eget team; afdelingsledere og administratorer: alle)."""
        return budget.readable(uow(), current_user(), aar=args["aar"], team_id=args["team_id"])

    @blp.arguments(schemas.BudgetPutSchema)
    @blp.response(200, schemas.BudgetSchema)
    def put(self, args: dict[str, Any]) -> Budget:
        """Sæt årets budget for et team og en indsats (teamleder for eget team, administrator for alle).
        Journaliseres."""
        unit = uow()
        row = budget.put(unit, current_user(), **args)
        unit.commit()
        return row


@blp.route("/ledelsesinformation/oekonomi")
class YearlyReview(MethodView):
    @blp.arguments(schemas.AarsopfoelgningQuerySchema, location="query")
    @blp.response(200, schemas.AarsopfoelgningSchema)
    def get(self, args: dict[str, Any]) -> aarsopfoelgning.Aarsopfoelgning:
        """Årsopfølgning mod budget pr. team og indsats: budget, forventet udgift, betalt og afvigelse (teamledere
        for eget team; afdelingsledere alle teams eller det valgte)."""
        aar = args["aar"] or sag.today().year
        return aarsopfoelgning.review(uow(), current_user(), aar=aar, team_id=args["team_id"])

