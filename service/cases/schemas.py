from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.cases.cpr import mask
from service.cases.service import UNDERRETTER_TYPES

KANALER = ("telefon", "mail", "digital_post", "brev", "personlig_henvendelse", "andet")


class UnderretningCreateSchema(Schema):
    cpr = fields.String(required=True, metadata={"description": "Barnets CPR-nummer (DDMMÅÅ-XXXX)"})
    barnets_navn = fields.String(required=True, validate=validate.Length(min=1, max=200))
    underretter_type = fields.String(required=True, validate=validate.OneOf(UNDERRETTER_TYPES))
    kanal = fields.String(required=True, validate=validate.OneOf(KANALER))
    overgreb = fields.Boolean(load_default=False, metadata={"description": "Mistanke om overgreb mod barnet"})
    beskrivelse = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    modtaget = fields.AwareDateTime(metadata={"description": "Tidspunkt for modtagelse (T0); standard: nu"})


class ReceivedSchema(Schema):
    case_id = fields.String(metadata={"description": "Udeladt, når barnets åbne sag hører til et andet team"})
    sagsnummer = fields.String(metadata={"description": "Udeladt som case_id"})
    underretning_id = fields.String()
    joined = fields.Boolean(metadata={"description": "true hvis underretningen blev knyttet til en åben sag, "
                                                     "som du har adgang til (udeladt ellers)"})
    besked = fields.String()


class CaseListItemSchema(Schema):
    id = fields.String()
    sagsnummer = fields.String()
    child_name = fields.String(data_key="barnets_navn")
    cpr = fields.Function(lambda c: mask(c["cpr"] if isinstance(c, dict) else c.cpr), data_key="cpr_maskeret")
    status = fields.String()
    phase = fields.String(data_key="fase")
    opened_at = fields.DateTime(data_key="oprettet")


class UnderretningSchema(Schema):
    id = fields.String()
    modtaget = fields.DateTime()
    underretter_type = fields.String()
    kanal = fields.String()
    overgreb = fields.Boolean()


class ActivitySchema(Schema):
    id = fields.String()
    name = fields.String(data_key="navn")
    bpmn_id = fields.String()
    role = fields.String(data_key="rolle")
    claimed_by = fields.Integer(data_key="taget_af", allow_none=True)
    created_at = fields.DateTime(data_key="oprettet")


class JournalEntrySchema(Schema):
    at = fields.DateTime(data_key="tidspunkt")
    actor_id = fields.Integer(data_key="bruger_id", allow_none=True)
    action = fields.String(data_key="handling")
    title = fields.String(data_key="tekst")
    task_id = fields.String(allow_none=True)
    data = fields.Dict(allow_none=True)


class CaseDetailSchema(CaseListItemSchema):
    closed_at = fields.DateTime(data_key="afsluttet", allow_none=True)
    underretninger = fields.List(fields.Nested(UnderretningSchema))
    aktiviteter = fields.List(fields.Nested(ActivitySchema))
    journal = fields.List(fields.Nested(JournalEntrySchema))


class CaseListQuerySchema(Schema):
    alle = fields.Boolean(load_default=False, metadata={"description": "Medtag afsluttede sager"})


class KlageSchema(Schema):
    modtaget = fields.Date(required=True)
    beskrivelse = fields.String(required=True, validate=validate.Length(min=1, max=20000))


class KlageResultSchema(Schema):
    genvurdering_oprettet = fields.Boolean()
