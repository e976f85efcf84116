"""The parties' API documents: Danish field names, CPR masked (the full number only by its own journalled call)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.cases.cpr import CPR_PATTERN, mask
from service.parter.models import ROLLER, SAMTYKKER

_ROLLE = {"validate": validate.OneOf(tuple(ROLLER), error="Rollen skal være mor, far eller værge."),
          "metadata": {"description": "mor, far eller vaerge"}}
_CPR = {"allow_none": True, "metadata": {"description": "Partens CPR-nummer (DDMMÅÅ-XXXX); kan mangle, fx for en "
                                                       "forælder i udlandet", "pattern": CPR_PATTERN}}
_NAVN = {"validate": validate.Length(min=1, max=200, error="Navnet skal have 1–200 tegn.")}
_ADRESSE = {"validate": validate.Length(min=1, max=500, error="Adressen skal have 1–500 tegn."),
            "metadata": {"description": "Postadressen, som brevene sendes til"}}
_TELEFON = {"allow_none": True, "validate": validate.Length(max=40, error="Højst 40 tegn.")}
_EMAIL = {"allow_none": True, "validate": validate.Length(max=200, error="Højst 200 tegn.")}
_MYNDIGHED = {"metadata": {"description": "Har forældremyndigheden (standard: ja). En mor eller far uden den er "
                                          "barnets anden forælder; en værge har den altid."}}


class PartCreateSchema(Schema):
    rolle = fields.String(required=True, **_ROLLE)
    foraeldremyndighed = fields.Boolean(load_default=True, **_MYNDIGHED)
    navn = fields.String(required=True, **_NAVN)
    cpr = fields.String(load_default=None, **_CPR)
    adresse = fields.String(required=True, **_ADRESSE)
    telefon = fields.String(load_default=None, **_TELEFON)
    email = fields.String(load_default=None, **_EMAIL)


class PartChangeSchema(Schema):
    """Only what is sent is changed; `ophoert: true` ends the party (it stays on the case, never deleted)."""

    navn = fields.String(**_NAVN)
    adresse = fields.String(**_ADRESSE)
    telefon = fields.String(**_TELEFON)
    email = fields.String(**_EMAIL)
    foraeldremyndighed = fields.Boolean(**_MYNDIGHED)
    ophoert = fields.Boolean(metadata={"description": "Parten er ikke længere part (fx ændret forældremyndighed)"})


class PartSchema(Schema):
    id = fields.String()
    rolle = fields.String()
    foraeldremyndighed = fields.Boolean()
    navn = fields.String()
    cpr = fields.Function(lambda p: mask(p.cpr) if p.cpr else None, data_key="cpr_maskeret", allow_none=True)
    adresse = fields.String()
    telefon = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    created_at = fields.DateTime(data_key="registreret")
    ophoert_at = fields.DateTime(data_key="ophoert", allow_none=True)


class SamtykkeSchema(Schema):
    samtykke = fields.String()
    dato = fields.Date()
    registered_at = fields.DateTime(data_key="registreret")


class SamtykkeCreateSchema(Schema):
    samtykke = fields.String(required=True, validate=validate.OneOf(
        tuple(SAMTYKKER), error="Samtykket skal være givet eller ikke givet."),
        metadata={"description": "givet eller ikke_givet"})
    dato = fields.Date(required=True, metadata={"description": "Hvornår den unge gav (eller nægtede) samtykket; "
                                                              "må ikke ligge efter i dag"})


class BarnetSchema(Schema):
    navn = fields.String()
    alder = fields.Integer()
    er_part = fields.Boolean(metadata={"description": "Barnet er part fra 10 år (BL § 3), beregnet ud fra CPR"})
    samtykke = fields.Nested(SamtykkeSchema, allow_none=True, metadata={
        "description": "Den unges eget samtykke (fra 15 år, BL § 46); det nyeste gælder"})


class ParterSchema(Schema):
    barn = fields.Nested(BarnetSchema)
    foraeldremyndighed = fields.String(metadata={"description": "faelles, mor, far, vaerge eller tom"})
    parter = fields.List(fields.Nested(PartSchema))
    ophoerte = fields.List(fields.Nested(PartSchema))


class CprSchema(Schema):
    cpr = fields.String()
