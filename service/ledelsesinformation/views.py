from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from service.ledelsesinformation import (
    definitions,
    drilldown,
    eksport,
    facts,
    kvartal,
    kvartalsrapport_pdf,
    opdeling,
    tilsyn,
)
from service.ledelsesinformation import service as mi
from service.schemas import AT_LEAST_THREE_CHARACTERS
from service.web import current_user, uow

blp = Blueprint("ledelsesinformation", __name__, url_prefix="/api/ledelsesinformation",
                description="Ledelsesinformation: fristoverholdelse for teamet (afdelingsledere: alle teams)")


class PeriodSchema(Schema):
    fra = fields.Date(load_default=None, metadata={"description": "Første dag (standard: 1. januar i år)"})
    til = fields.Date(load_default=None, metadata={"description": "Sidste dag, medregnet (standard: i dag)"})
    team_id = fields.Integer(load_default=None, metadata={
        "description": "Kun for afdelingsledere: ét team (standard: alle teams). En teamleder ser sit eget team."})


class DeadlineComplianceSchema(Schema):
    frist = fields.String()
    navn = fields.String()
    hjemmel = fields.String()
    maal = fields.Integer(allow_none=True, metadata={"description": "Kommunens mål: andel (%) overholdt"})
    overholdt = fields.Integer()
    overskredet = fields.Integer()
    afventer = fields.Integer(metadata={"description": "Forfalder i perioden, men endnu ikke"})
    andel = fields.Float(allow_none=True, metadata={"description": "Andel (%) overholdt af de afgjorte"})
    maal_naaet = fields.Boolean(allow_none=True)


class ComplianceSchema(Schema):
    fra = fields.Date()
    til = fields.Date()
    frister = fields.List(fields.Nested(DeadlineComplianceSchema))


@blp.route("/frister")
class DeadlineCompliance(MethodView):
    @blp.arguments(PeriodSchema, location="query")
    @blp.response(200, ComplianceSchema)
    def get(self, args: dict[str, Any]) -> mi.ComplianceReport:
        """Andel af teamets frister overholdt, pr. frist, for frister der forfalder i perioden (teamledere; for
        afdelingsledere alle teams eller det valgte)."""
        fra, til = mi.default_period(args["fra"], args["til"])
        return mi.deadline_compliance(uow(), current_user(), fra=fra, til=til, team_id=args["team_id"])


class QualityMeasureSchema(Schema):
    maal_id = fields.String(data_key="id")
    navn = fields.String()
    grundlag = fields.String()
    maal = fields.Integer(allow_none=True, metadata={"description": "Kommunens mål: andel (%)"})
    antal = fields.Integer(metadata={"description": "Sager, målet gælder i perioden"})
    opfyldt = fields.Integer()
    ikke_opfyldt = fields.Integer()
    andel = fields.Float(allow_none=True)
    maal_naaet = fields.Boolean(allow_none=True)


@blp.route("/kvalitet")
class Quality(MethodView):
    @blp.arguments(PeriodSchema, location="query")
    @blp.response(200, QualityMeasureSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[mi.QualityMeasure]:
        """God praksis i perioden: barnets plan før afgørelsen, børnesamtale i BFU'en (teamledere; for
        afdelingsledere alle teams eller det valgte)."""
        fra, til = mi.default_period(args["fra"], args["til"])
        return mi.quality_measures(uow(), current_user(), fra=fra, til=til, team_id=args["team_id"])


class BreakdownArgs(PeriodSchema):
    efter = fields.String(load_default="team", validate=validate.OneOf(
        tuple(opdeling.DIMENSIONS), error="«Opdel efter» skal være team, raadgiver eller maaned."),
        metadata={"description": "team, raadgiver eller maaned (standard: team)"})


class CellSchema(Schema):
    noegle = fields.String(metadata={"description": "Kolonnens nøgle (team-id, bruger-id, «ingen» eller ÅÅÅÅ-MM)"})
    opfyldt = fields.Integer(metadata={"description": "Overholdt/opfyldt"})
    ikke_opfyldt = fields.Integer(metadata={"description": "Overskredet/ikke opfyldt"})
    afventer = fields.Integer(metadata={"description": "Frister i perioden, der endnu ikke er forfaldne"})
    antal = fields.Integer()
    andel = fields.Float(allow_none=True, metadata={"description": "Andel (%) opfyldt af de afgjorte"})
    maal = fields.Integer(allow_none=True, metadata={"description": "Kommunens mål: andel (%)"})
    maal_naaet = fields.Boolean(allow_none=True)


class ColumnSchema(Schema):
    noegle = fields.String()
    navn = fields.String()


class KpiRowSchema(Schema):
    id = fields.String(attribute="definition.id")
    navn = fields.String(attribute="definition.navn")
    kilde = fields.String(attribute="definition.kilde")
    maal = fields.Integer(attribute="definition.maal", allow_none=True)
    i_alt = fields.Nested(CellSchema)
    celler = fields.List(fields.Nested(CellSchema))


class BreakdownSchema(Schema):
    efter = fields.String()
    fra = fields.Date()
    til = fields.Date()
    team_id = fields.Integer(allow_none=True)
    kolonner = fields.List(fields.Nested(ColumnSchema))
    noegletal = fields.List(fields.Nested(KpiRowSchema))


@blp.route("/opdeling")
class Breakdown(MethodView):
    @blp.arguments(BreakdownArgs, location="query")
    @blp.response(200, BreakdownSchema)
    def get(self, args: dict[str, Any]) -> opdeling.Breakdown:
        """Hvert nøgletal med en andel pr. team, rådgiver eller måned, med målet ved hver værdi (teamledere: eget
        team; afdelingsledere: alle teams side om side eller det valgte)."""
        fra, til = mi.default_period(args["fra"], args["til"])
        return opdeling.breakdown(uow(), current_user(), efter=args["efter"], fra=fra, til=til,
                                  team_id=args["team_id"])


class DrilldownArgs(BreakdownArgs):
    noegletal = fields.String(required=True, metadata={"description": "Nøgletallets id (se /definitioner)"})
    efter = fields.String(load_default=None, validate=validate.OneOf(
        tuple(opdeling.DIMENSIONS), error="«Opdel efter» skal være team, raadgiver eller maaned."),
        metadata={"description": "Kun én kolonne af opdelingen: team, raadgiver eller maaned (med «noegle»)"})
    noegle = fields.String(load_default=None, validate=validate.Length(max=40), metadata={
        "description": "Kolonnens nøgle fra /opdeling (team-id, bruger-id, ingen, ÅÅÅÅ-MM)"})
    udfald = fields.String(load_default=None, validate=validate.OneOf(
        facts.OUTCOMES, error="«Udfald» skal være opfyldt, ikke_opfyldt eller afventer."),
        metadata={"description": "Kun sager med dette udfald: opfyldt, ikke_opfyldt eller afventer"})


class DrillRowSchema(Schema):
    case_id = fields.String()
    sagsnummer = fields.String()
    udfald = fields.String()
    udfald_tekst = fields.String()
    tidspunkt = fields.DateTime(metadata={"description": "Frister: forfald; praksis: hvornår formularen blev udført"})
    frist = fields.DateTime(allow_none=True)
    udfoert = fields.DateTime(attribute="udfoert_at", allow_none=True)
    forsinkelse_sekunder = fields.Integer(allow_none=True, metadata={
        "description": "Sekunder efter fristen (negativ: før); for en åben overskredet frist indtil nu"})
    raadgiver_id = fields.Integer(allow_none=True)
    raadgiver = fields.String()


class DrilldownSchema(Schema):
    noegletal = fields.String(attribute="definition.id")
    navn = fields.String(attribute="definition.navn")
    fra = fields.Date()
    til = fields.Date()
    team_id = fields.Integer(allow_none=True)
    antal = fields.Function(lambda d: len(d.sager), metadata={"description": "Antal; lig med tallet i opdelingen"})
    sager = fields.List(fields.Nested(DrillRowSchema))


@blp.route("/sager")
class Drilldown(MethodView):
    @blp.arguments(DrilldownArgs, location="query")
    @blp.response(200, DrilldownSchema)
    def get(self, args: dict[str, Any]) -> drilldown.Drilldown:
        """Sagerne bag et tal: nøgletallet, evt. én kolonne (team, rådgiver, måned) og ét udfald, med frist,
        forsinkelse og rådgiver. Hver sag på listen journaliseres som læst."""
        fra, til = mi.default_period(args["fra"], args["til"])
        unit = uow()
        found = drilldown.drilldown(unit, current_user(), kpi=args["noegletal"], fra=fra, til=til,
                                    team_id=args["team_id"], efter=args["efter"], noegle=args["noegle"],
                                    udfald=args["udfald"])
        unit.commit()
        return found


class KpiDefinitionSchema(Schema):
    id = fields.String()
    navn = fields.String()
    kilde = fields.String(metadata={"description": "frist (fristtimerne), praksis (formularerne) eller sagsstamme"})
    taeller = fields.String(metadata={"description": "Tælleren: hvad der tæller som opfyldt"})
    naevner = fields.String(metadata={"description": "Nævneren: hvad andelen regnes af"})
    periode = fields.String(metadata={"description": "Hvilken dato der placerer en hændelse i perioden"})
    haendelser = fields.String(metadata={"description": "Hvilke hændelser der tælles, og hvor de hentes fra"})
    maal = fields.Integer(allow_none=True, metadata={"description": "Kommunens mål: andel (%)"})
    maal_tekst = fields.String()
    hjemmel = fields.String()


@blp.route("/definitioner")
class Definitions(MethodView):
    @blp.response(200, KpiDefinitionSchema(many=True))
    def get(self) -> list[definitions.KpiDefinition]:
        """Den skrevne definition af hvert nøgletal: tæller, nævner, periode, hændelser og mål (alle brugere)."""
        current_user()
        return definitions.definitions()


# A month, not a date: documented as what is sent and returned ("2026-12"), not as OpenAPI's full-date format.
MONTH_DOC = {"type": "string", "format": "year-month", "pattern": r"^[2-9][0-9]{3}-(0[1-9]|1[0-2])$",
             "example": "2026-12", "description": "Måned som ÅÅÅÅ-MM (standard: denne måned)"}


class MonthSchema(Schema):
    maaned = fields.Date(format="%Y-%m", load_default=None, metadata=MONTH_DOC, validate=validate.Range(
        min=date(2000, 1, 1), error="Måneden skal være ÅÅÅÅ-MM fra år 2000."))  # %Y writes year 302 as "302"


class PointSchema(Schema):
    text = fields.String(data_key="punkt")
    ok = fields.Boolean(allow_none=True, data_key="opfyldt")


class SampleSchema(Schema):
    id = fields.Integer(attribute="row.id")
    maaned = fields.Date(format="%Y-%m", attribute="row.maaned", metadata=MONTH_DOC)
    raadgiver = fields.String(attribute="caseworker.full_name")
    case_id = fields.String(attribute="case.id")
    sagsnummer = fields.String(attribute="case.sagsnummer")
    barnets_navn = fields.String(attribute="case.child_name")
    punkter = fields.List(fields.Nested(PointSchema), attribute="points")
    gennemgaaet = fields.DateTime(attribute="row.gennemgaaet_at", allow_none=True)
    maerke = fields.String(attribute="row.maerke", allow_none=True)
    bemaerkning = fields.String(attribute="row.bemaerkning", allow_none=True)


class ReviewSchema(Schema):
    maerke = fields.String(required=True, validate=validate.OneOf(tilsyn.VERDICTS),
                           metadata={"description": "i_orden eller opfoelgning"})
    bemaerkning = fields.String(required=True, metadata={"description": "Hvad gennemgangen viste (mindst 3 tegn)"},
                                validate=validate.Regexp(AT_LEAST_THREE_CHARACTERS, error=tilsyn.NOTE_TOO_SHORT))


tilsyn_blp = Blueprint("ledelsestilsyn", __name__, url_prefix="/api/ledelsestilsyn",
                       description="Ledelsestilsyn: en tilfældig sag pr. rådgiver hver måned")


@tilsyn_blp.route("")
class Samples(MethodView):
    @tilsyn_blp.arguments(MonthSchema, location="query")
    @tilsyn_blp.response(200, SampleSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[tilsyn.Sample]:
        """Månedens udtrukne sager med de punkter, gennemgangen ser på (kun teamledere)."""
        return tilsyn.samples(uow(), current_user(), args["maaned"] or mi.this_month())

    @tilsyn_blp.arguments(MonthSchema)
    @tilsyn_blp.response(201, SampleSchema(many=True))
    def post(self, args: dict[str, Any]) -> list[tilsyn.Sample]:
        """Udtræk månedens sager: én tilfældig åben sag pr. rådgiver (en måned udtrækkes kun én gang)."""
        unit = uow()
        drawn = tilsyn.draw(unit, current_user(), args["maaned"] or mi.this_month())
        unit.commit()
        return drawn


@tilsyn_blp.route("/<int:sample_id>/gennemgang")
class Review(MethodView):
    @tilsyn_blp.arguments(ReviewSchema)
    @tilsyn_blp.response(200, SampleSchema)
    def post(self, args: dict[str, Any], sample_id: int) -> tilsyn.Sample:
        """Registrér gennemgangen af en udtrukket sag (journaliseres på sagen)."""
        unit = uow()
        user = current_user()
        row = tilsyn.review(unit, user, sample_id, verdict=args["maerke"], note=args["bemaerkning"])
        # The answer is read before the commit: a connection lost after it must not make the done review an error.
        reviewed = next(s for s in tilsyn.samples(unit, user, row.maaned) if s.row.id == row.id)
        unit.commit()
        return reviewed


QUARTER_DOC = {"type": "string", "pattern": kvartal.QUARTER_PATTERN, "example": "2026-1",
               "description": "Kvartal som ÅÅÅÅ-K, fx 2026-1 (standard: dette kvartal)"}


class QuarterArgs(Schema):
    kvartal = fields.String(load_default=None, metadata=QUARTER_DOC, validate=validate.Regexp(
        kvartal.QUARTER_PATTERN, error=kvartal.QUARTER_FORMAT))
    team_id = fields.Integer(load_default=None, metadata={
        "description": "Kun for afdelingsledere: ét team (standard: alle teams). En teamleder får sit eget team."})


class CaseFlowSchema(Schema):
    sagstype = fields.String(metadata={"description": "Processen, sagen er oprettet i"})
    aabnet = fields.Integer(metadata={"description": "Sager åbnet i kvartalet"})
    afsluttet = fields.Integer(metadata={"description": "Sager afsluttet i kvartalet"})
    aabne_ved_udgang = fields.Integer(metadata={"description": "Sager åbne ved kvartalets udgang"})


class PriceSchema(Schema):
    antal = fields.Integer(metadata={"description": "Kontrakter startet i kvartalet til denne pris"})
    pris = fields.Decimal(as_string=True, metadata={"description": "Aftalt pris i kroner pr. enhed (ikke forbrug)"})
    prisenhed = fields.String()


class MeasureMoneySchema(Schema):
    indsats = fields.String()
    startet = fields.Integer(metadata={"description": "Individuelle kontrakter med startdato i kvartalet"})
    i_gang = fields.Integer(metadata={"description": "Kontrakter i gang i kvartalet efter den forventede varighed"})
    aftalt_pris = fields.List(fields.Nested(PriceSchema), metadata={
        "description": "De startede kontrakter talt pr. aftalt pris og prisenhed"})


class QuarterReportSchema(Schema):
    kvartal = fields.String(attribute="kvartal.key", metadata=QUARTER_DOC)
    navn = fields.String(attribute="kvartal.navn")
    fra = fields.Date()
    til = fields.Date()
    team_id = fields.Integer(allow_none=True)
    team_navn = fields.String()
    noegletal = fields.List(fields.Nested(KpiRowSchema), attribute="opdeling.noegletal", metadata={
        "description": "Hvert nøgletal i alt og pr. team (kolonnerne), med mål"})
    kolonner = fields.List(fields.Nested(ColumnSchema), attribute="opdeling.kolonner")
    sager = fields.List(fields.Nested(CaseFlowSchema))
    indsatser = fields.List(fields.Nested(MeasureMoneySchema))
    oekonomi_note = fields.String(metadata={"description": "Hvad økonomitallene ikke rummer (ikke registreret)"})
    ikke_registreret = fields.List(fields.String(), metadata={
        "description": "Mål fra udviklingsplanen, som Sagsflow endnu ikke registrerer"})


@blp.route("/kvartal")
class QuarterNumbers(MethodView):
    @blp.arguments(QuarterArgs, location="query")
    @blp.response(200, QuarterReportSchema)
    def get(self, args: dict[str, Any]) -> kvartal.QuarterReport:
        """Kvartalsrapportens tal til Børne- og Ungeudvalget: nøgletal mod mål (i alt og pr. team), sagstal pr.
        sagstype og aftalte priser pr. indsatstype; de samme tal som PDF'en."""
        return kvartal.quarter_report(uow(), current_user(), kvartal=args["kvartal"], team_id=args["team_id"])


_PDF = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}


@blp.route("/kvartalsrapport")
class QuarterReportPdf(MethodView):
    @blp.arguments(QuarterArgs, location="query")
    @blp.doc(responses={"200": {"description": "Kvartalsrapporten som PDF", "content": _PDF}})
    def get(self, args: dict[str, Any]) -> Response:
        """Kvartalsrapporten til Børne- og Ungeudvalget som PDF: nøgletal med mål og «nået»/«ikke nået» i ord,
        søjlediagram, sagstal pr. sagstype og aftalte priser pr. indsatstype (teamledere: eget team;
        afdelingsledere: alle teams eller det valgte). Rapporten rummer kun tal, ingen sager."""
        report = kvartal.quarter_report(uow(), current_user(), kvartal=args["kvartal"], team_id=args["team_id"])
        response = Response(kvartalsrapport_pdf.render(report), mimetype="application/pdf")
        response.headers["Content-Disposition"] = f'attachment; filename="kvartalsrapport-{report.kvartal.key}.pdf"'
        return response


class ExportArgs(PeriodSchema):
    tabel = fields.String(required=True, validate=validate.OneOf(tuple(eksport.TABLES), error=eksport.UNKNOWN_TABLE),
                          metadata={"description": "Sidens tabel: " + ", ".join(eksport.TABLES)})
    format = fields.String(load_default="csv", validate=validate.OneOf(tuple(eksport.FORMATS),
                                                                      error=eksport.UNKNOWN_FORMAT),
                           metadata={"description": "csv (semikolon, decimalkomma) eller xlsx"})
    efter = fields.String(load_default="team", validate=validate.OneOf(
        tuple(opdeling.DIMENSIONS), error="«Opdel efter» skal være team, raadgiver eller maaned."),
        metadata={"description": "Kun tabellen opdeling: team, raadgiver eller maaned"})
    noegletal = fields.String(load_default=None, validate=validate.Length(max=60), metadata={
        "description": "Kun tabellen udvikling: nøgletallets id (standard: vurdering_24t)"})
    maaned = fields.Date(format="%Y-%m", load_default=None, metadata={
        **MONTH_DOC, "description": "Kun tabellen tilsyn (teamledere): måned som ÅÅÅÅ-MM (standard: denne måned)"},
        validate=validate.Range(min=date(2000, 1, 1), error="Måneden skal være ÅÅÅÅ-MM fra år 2000."))


_BINARY = {"schema": {"type": "string", "format": "binary"}}


@blp.route("/eksport")
class Export(MethodView):
    @blp.arguments(ExportArgs, location="query")
    @blp.doc(responses={"200": {"description": "Tabellen som CSV eller XLSX (vedhæftning) med danske overskrifter",
                                "content": {"text/csv": _BINARY, eksport.FORMATS["xlsx"]: _BINARY}}})
    def get(self, args: dict[str, Any]) -> Response:
        """En af ledelsesinformationssidens tabeller som CSV eller XLSX, med de samme tal som siden. Tabellen
        tilsyn (månedens udtrukne sager, kun teamledere) journaliseres som læst på hver sag."""
        fra, til = mi.default_period(args["fra"], args["til"])
        unit = uow()
        found = eksport.table(unit, current_user(), tabel=args["tabel"], fra=fra, til=til, team_id=args["team_id"],
                              efter=args["efter"], noegletal=args["noegletal"], maaned=args["maaned"])
        unit.commit()
        response = Response(eksport.render(found, args["format"]), mimetype=eksport.FORMATS[args["format"]])
        response.headers["Content-Disposition"] = \
            f'attachment; filename="{eksport.filename(args["tabel"], fra, til, args["format"])}"'
        return response
