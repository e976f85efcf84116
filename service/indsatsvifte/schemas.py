"""Request and response bodies for the indsatsvifte API (Danish field names and messages)."""

from __future__ import annotations

import re
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate

from service.indsatsvifte.models import LEVERANDOER_TYPER, PRISENHEDER

KODE = validate.Regexp(r"^[a-z0-9][a-z0-9_-]{1,39}$",
                       error="Skal være 2–40 tegn: små bogstaver a–z, tal, _ eller - (fx «familiebehandling»).")
DATE_ERRORS = {"invalid": "Skal være en dato (ÅÅÅÅ-MM-DD)."}
PRICE_ERRORS = {"invalid": "Skal være et beløb i kroner, fx 650.00.", "special": "Skal være et beløb i kroner."}


def _text(max_len: int = 10000, *, required: bool = True, **kw: object) -> fields.String:
    return fields.String(required=required, allow_none=not required, validate=validate.Length(min=1, max=max_len),
                         **kw)


# A price travels as text with at most two decimals ("1150.00": no float rounding of kroner), both ways, and
# is documented so.
PRICE_PATTERN = r"^[0-9]+(\.[0-9]{1,2})?$"
PRICE_DOC = {"type": "string", "format": "decimal", "pattern": PRICE_PATTERN,
             "description": "Kroner med højst to decimaler som tekst, fx \"1150.00\""}


class Price(fields.Decimal):
    """A price as the document gives it: text of digits with at most two decimals (not a JSON number)."""

    def _deserialize(self, value: object, attr: str | None, data: object, **kwargs: object) -> Decimal | None:
        # A minus passes here so that _not_negative can say what is wrong with it.
        if not isinstance(value, str) or not re.fullmatch(r"-?" + PRICE_PATTERN[1:], value):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def _not_negative(value: Decimal) -> None:
    if value < 0:
        raise ValidationError("Prisen kan ikke være negativ.")


def _price(required: bool) -> fields.Decimal:
    return Price(required=required, allow_none=not required, places=2, as_string=True,
                          error_messages=PRICE_ERRORS, validate=_not_negative, metadata=PRICE_DOC)


def _months(required: bool = True) -> fields.Integer:
    return fields.Integer(required=required, strict=True,
                          validate=validate.Range(min=1, max=120, error="Skal være mellem {min} og {max} måneder."))


class IndsatsUpdateSchema(Schema):
    """Fields of seed 001's template «Beskrivelse af indsats»."""

    navn = _text(200)
    maalgruppe = _text(metadata={"description": "Målgruppe(r): ressourcer og problemer, der kendetegner dem"})
    formaal = _text(metadata={"description": "Den virkning, indsatsen forventes at have"})
    indhold = _text(metadata={"description": "Fagligt indhold og sammenhæng i indsatsen"})
    lovgrundlag = _text(300)
    omfang = _text(metadata={"description": "Kommunens serviceniveau: niveau/omfang, fx timer pr. uge"})
    hyppighed = _text(300)
    varighed = _text(300)
    opfoelgning = _text(metadata={"description": "Opfølgning på indsatsen og evaluering af tilbuddet"})
    revisionsinterval_maaneder = _months()
    samarbejdspartnere = _text(required=False, metadata={"description": "Krav og forventninger til samarbejdspartnere"})
    leverandoerkrav = _text(metadata={"description": "Kvalitets- og kompetencekrav til leverandøren"})
    pris = _price(required=False)
    prisenhed = fields.String(allow_none=True, validate=validate.OneOf(PRISENHEDER))
    aktiv = fields.Boolean(metadata={"description": "false: indsatsen tilbydes ikke længere (slettes aldrig)"})


class IndsatsCreateSchema(IndsatsUpdateSchema):
    kode = fields.String(required=True, validate=KODE, metadata={"description": "Fast kort kode, fx «kontaktperson»"})

    class Meta:
        exclude = ("aktiv",)


class IndsatsSchema(IndsatsCreateSchema):
    id = fields.Integer()
    aktiv = fields.Boolean()
    oprettet = fields.DateTime()
    aendret = fields.DateTime()
    version = fields.Integer()

    class Meta:
        exclude = ()


class LeverandoerUpdateSchema(Schema):
    navn = _text(200)
    type = fields.String(required=True, validate=validate.OneOf(LEVERANDOER_TYPER))
    cvr = fields.String(allow_none=True, validate=validate.Regexp(r"^\d{8}$", error="CVR-nummeret skal være 8 cifre."))
    adresse = _text(300, required=False)
    kontaktperson = _text(200, required=False)
    telefon = _text(40, required=False)
    email = fields.Email(allow_none=True, error_messages={"invalid": "Ugyldig e-mailadresse."})
    aktiv = fields.Boolean()


class LeverandoerCreateSchema(LeverandoerUpdateSchema):
    kode = fields.String(required=True, validate=KODE)

    class Meta:
        exclude = ("aktiv",)


class LeverandoerSchema(LeverandoerCreateSchema):
    id = fields.Integer()
    aktiv = fields.Boolean()
    oprettet = fields.DateTime()
    version = fields.Integer()

    class Meta:
        exclude = ()


class StandardkontraktUpdateSchema(Schema):
    """Seed 002's standardkontrakt: the general terms with one provider for one measure."""

    gyldig_fra = fields.Date(required=True, error_messages=DATE_ERRORS)
    gyldig_til = fields.Date(allow_none=True, error_messages=DATE_ERRORS)
    pris = _price(required=True)
    prisenhed = fields.String(required=True, validate=validate.OneOf(PRISENHEDER))
    betalingsbetingelser = _text()
    samarbejdsbetingelser = _text(required=False)
    opfoelgning = _text()
    opsigelse = _text(required=False)


class StandardkontraktCreateSchema(StandardkontraktUpdateSchema):
    indsats_id = fields.Integer(required=True, strict=True)
    leverandoer_id = fields.Integer(required=True, strict=True)


class StandardkontraktSchema(StandardkontraktCreateSchema):
    id = fields.Integer()
    oprettet = fields.DateTime()
    version = fields.Integer()


class ListQuerySchema(Schema):
    alle = fields.Boolean(load_default=False, metadata={"description": "Medtag deaktiverede"})


class StandardkontraktQuerySchema(Schema):
    indsats_id = fields.Integer()
    leverandoer_id = fields.Integer()


class MaalSchema(Schema):
    domaene = fields.String()
    maal = fields.String()
    maalbart_kriterium = fields.String()


class IndividuelKontraktSchema(Schema):
    id = fields.String()
    case_id = fields.String()
    standardkontrakt_id = fields.Integer()
    indsats = fields.Function(lambda k: {"id": k.indsats.id, "kode": k.indsats.kode, "navn": k.indsats.navn})
    leverandoer = fields.Function(lambda k: {"id": k.leverandoer.id, "kode": k.leverandoer.kode,
                                             "navn": k.leverandoer.navn})
    maal = fields.List(fields.Nested(MaalSchema))
    omfang = fields.String()
    hyppighed = fields.String()
    startdato = fields.Date()
    forventet_varighed_maaneder = fields.Integer()
    opfoelgning = fields.String()
    saerlige_aftaler_oekonomi = fields.String(allow_none=True)
    pris = fields.Decimal(places=2, as_string=True, metadata=PRICE_DOC)
    prisenhed = fields.String()
    antal_enheder = fields.Decimal(places=2, as_string=True, allow_none=True, metadata={
        "type": "string", "format": "decimal",
        "description": "Antal prisenheder pr. periode (enheder_pr); grundlaget for den forventede udgift"})
    enheder_pr = fields.String(allow_none=True, metadata={"description": "dag, uge, maaned, aar eller forloeb"})
    oprettet = fields.DateTime()
    oprettet_af = fields.Integer()
