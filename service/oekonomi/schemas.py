"""Marshmallow schemas for the økonomi API. Amounts are whole øre (integers); *_kr fields are the Danish text."""

from __future__ import annotations

from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate

from service import schemas as _danish_messages  # noqa: F401 - Danish default messages
from service.indsatsvifte.schemas import PRICE_DOC, PRICE_ERRORS, Price
from service.oekonomi.beloeb import MAX_OERE, kroner
from service.oekonomi.beregning import PERIODER

_OERE = {"description": "Beløb i øre (heltal)"}
_YEAR = validate.Range(min=2000, max=2100, error="Året skal ligge mellem {min} og {max}.")
_ID = validate.Range(min=1, error="Skal være et positivt id.")


def _kr(attribute: str) -> fields.Function:
    return fields.Function(lambda obj: kroner(getattr(obj, attribute)), metadata={
        "description": "Samme beløb som tekst i kroner, fx «1.234,50 kr.» («–» uden beløb)"})


class BetalingCreateSchema(Schema):
    kontrakt_id = fields.String(required=True, validate=validate.Length(min=1, max=36), metadata={
        "description": "Den individuelle kontrakts id (GET /api/cases/{case_id}/oekonomi)"})
    betalingsdato = fields.Date(required=True)
    beloeb_oere = fields.Integer(required=True, validate=validate.Range(
        min=-MAX_OERE + 1, max=MAX_OERE - 1, error="Beløbet er for stort."), metadata={
        "description": "Beløb i øre; negativt for en kreditering"})
    tekst = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))


class BetalingSchema(Schema):
    id = fields.Integer()
    case_id = fields.String()
    kontrakt_id = fields.String()
    betalingsdato = fields.Date()
    beloeb_oere = fields.Integer(metadata=_OERE)
    beloeb_kr = _kr("beloeb_oere")
    tekst = fields.String(allow_none=True)
    kilde = fields.String(metadata={"description": "manuel eller import"})
    ekstern_id = fields.String(allow_none=True, metadata={"description": "Økonomisystemets betalings-id"})
    oprettet = fields.DateTime()


def _units(value: Decimal) -> None:
    if not Decimal(0) < value <= Decimal(100000):
        raise ValidationError("Skal være over 0 og højst 100000.")


DECIMAL_DOC = {"type": "string", "format": "decimal"}


class EnhederSchema(Schema):
    antal_enheder = Price(required=True, places=2, as_string=True, validate=_units, error_messages={
        **PRICE_ERRORS, "invalid": "Skal være et antal med højst to decimaler, fx 2 eller 1.5."}, metadata={
        **PRICE_DOC, "description": "Antal prisenheder (fx timer) pr. periode, som tekst: «2» eller «1.5»"})
    enheder_pr = fields.String(required=True, validate=validate.OneOf(tuple(PERIODER)))


class IndsatsoekonomiSchema(Schema):
    kontrakt_id = fields.String(attribute="kontrakt.id")
    indsats = fields.Function(lambda r: {"id": r.kontrakt.indsats.id, "kode": r.kontrakt.indsats.kode,
                                         "navn": r.kontrakt.indsats.navn})
    leverandoer = fields.Function(lambda r: r.kontrakt.leverandoer.navn)
    startdato = fields.Date(attribute="kontrakt.startdato")
    slutdato = fields.Date(metadata={"description": "Første dag efter den forventede varighed"})
    pris = fields.Decimal(attribute="kontrakt.pris", places=2, as_string=True, metadata=DECIMAL_DOC)
    prisenhed = fields.String(attribute="kontrakt.prisenhed")
    antal_enheder = fields.Decimal(attribute="kontrakt.antal_enheder", places=2, as_string=True, allow_none=True,
                                   metadata=DECIMAL_DOC)
    enheder_pr = fields.String(attribute="kontrakt.enheder_pr", allow_none=True)
    forventet_oere = fields.Integer(allow_none=True, metadata={
        "description": "Forventet udgift for hele kontraktperioden (pris × antal × hyppighed), i øre"})
    forventet_kr = _kr("forventet_oere")
    forventet_til_dato_oere = fields.Integer(allow_none=True, metadata={
        "description": "Forventet udgift fra start til og med i dag, i øre"})
    betalt_oere = fields.Integer(metadata=_OERE)
    betalt_kr = _kr("betalt_oere")
    afvigelse_oere = fields.Integer(allow_none=True, metadata={
        "description": "Betalt minus forventet til dato, i øre (over 0: mere betalt end ventet)"})
    afvigelse_kr = _kr("afvigelse_oere")
    grundlag_mangler = fields.String(allow_none=True)


class SagsoekonomiSchema(Schema):
    case_id = fields.String(attribute="case.id")
    forventet_oere = fields.Integer(metadata=_OERE)
    betalt_oere = fields.Integer(metadata=_OERE)
    indsatser = fields.List(fields.Nested(IndsatsoekonomiSchema))
    betalinger = fields.List(fields.Nested(BetalingSchema))


class ImportUploadSchema(Schema):
    fil = fields.Raw(required=True, metadata={"type": "string", "format": "binary", "description": (
        "CSV fra økonomisystemet med kolonnerne Betalings-id; Sagsnummer; Kontrakt; Betalingsdato; Beløb; Tekst")})


class ImportResultSchema(Schema):
    import_id = fields.Integer(allow_none=True)
    linjer = fields.Integer()
    nye = fields.Integer(metadata={"description": "Betalinger indlæst nu"})
    kendte = fields.Integer(metadata={"description": "Linjer indlæst før (samme betalings-id); springes over"})


class BudgetQuerySchema(Schema):
    aar = fields.Integer(required=True, validate=_YEAR)
    team_id = fields.Integer(load_default=None, validate=_ID, metadata={
        "description": "Ét team (en teamleder ser kun sit eget)"})


class BudgetPutSchema(Schema):
    aar = fields.Integer(required=True, validate=_YEAR)
    team_id = fields.Integer(required=True, validate=_ID)
    indsats_id = fields.Integer(required=True, validate=_ID)
    beloeb_oere = fields.Integer(required=True, validate=validate.Range(
        min=0, max=MAX_OERE - 1, error="Budgettet skal være 0 kr. eller mere."), metadata=_OERE)


class BudgetSchema(Schema):
    id = fields.Integer()
    aar = fields.Integer()
    team_id = fields.Integer()
    indsats_id = fields.Integer()
    beloeb_oere = fields.Integer(metadata=_OERE)
    beloeb_kr = _kr("beloeb_oere")
    aendret = fields.DateTime()


class AarsopfoelgningQuerySchema(Schema):
    aar = fields.Integer(load_default=None, validate=_YEAR, metadata={"description": "Året (standard: i år)"})
    team_id = fields.Integer(load_default=None, validate=_ID, metadata={
        "description": "Kun for afdelingsledere: ét team (standard: alle). En teamleder ser sit eget team."})


class AarsopfoelgningLinjeSchema(Schema):
    team_id = fields.Integer()
    team = fields.String()
    indsats_id = fields.Integer()
    indsats = fields.String()
    budget_oere = fields.Integer(allow_none=True, metadata=_OERE)
    forventet_oere = fields.Integer(metadata={"description": "Forventet udgift i året efter kontrakterne, i øre"})
    betalt_oere = fields.Integer(metadata={"description": "Betalinger med betalingsdato i året, i øre"})
    afvigelse_oere = fields.Integer(allow_none=True, metadata={
        "description": "Betalt minus budget, i øre (over 0: over budget)"})
    forventet_afvigelse_oere = fields.Integer(allow_none=True, metadata={
        "description": "Forventet minus budget, i øre"})
    kontrakter = fields.Integer(metadata={"description": "Kontrakter, der løber i året"})
    uden_grundlag = fields.Integer(metadata={
        "description": "Heraf kontrakter uden antal enheder og hyppighed (ikke med i forventet)"})


class AarsopfoelgningSchema(Schema):
    aar = fields.Integer()
    team_id = fields.Integer(allow_none=True)
    linjer = fields.List(fields.Nested(AarsopfoelgningLinjeSchema))
    i_alt = fields.Function(lambda r: AarsopfoelgningLinjeSchema().dump(r.i_alt()))
