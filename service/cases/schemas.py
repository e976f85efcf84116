from __future__ import annotations

from datetime import date, datetime

from marshmallow import Schema, ValidationError, fields, validate

from service import clock
from service.cases.cpr import CPR_PATTERN, mask
from service.cases.listing import SORTS
from service.cases.service import UNDERRETTER_TYPES
from service.forms.dates import long_day
from service.list_schemas import ListArgsSchema, PageSchema, SearchArgsSchema
from service.parter.schemas import PartCreateSchema

KANALER = ("telefon", "mail", "digital_post", "brev", "personlig_henvendelse", "andet")


def _not_in_future(value: datetime) -> None:
    if value > clock.now():
        raise ValidationError("Modtagelsestidspunktet kan ikke ligge i fremtiden.")


def _not_after_today(value: date) -> None:
    if value > clock.today():
        raise ValidationError(f"Datoen må ikke ligge efter i dag ({long_day(clock.today())}).")


class UnderretningCreateSchema(Schema):
    cpr = fields.String(required=True, metadata={"description": "Barnets CPR-nummer (DDMMÅÅ-XXXX)",
                                                 "pattern": CPR_PATTERN})
    barnets_navn = fields.String(required=True, validate=validate.Length(min=1, max=200))
    underretter_type = fields.String(required=True, validate=validate.OneOf(UNDERRETTER_TYPES))
    kanal = fields.String(required=True, validate=validate.OneOf(KANALER))
    overgreb = fields.Boolean(load_default=False, metadata={"description": "Mistanke om overgreb mod barnet"})
    beskrivelse = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    modtaget = fields.AwareDateTime(validate=_not_in_future, metadata={
        "description": "Tidspunkt for modtagelse (T0); standard: nu. Må ikke ligge i fremtiden."})
    parter = fields.List(fields.Nested(PartCreateSchema), load_default=list,
                         validate=validate.Length(max=6, error="Højst 6 parter ad gangen."), metadata={
        "description": "Barnets forældremyndighedsindehavere og andre forældre, hvis de kendes (kan også registreres "
                       "senere på sagen). Barnet selv er part ud fra sit CPR-nummer."})


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
    arkiveret_at = fields.DateTime(data_key="arkiveret", allow_none=True,
                                   metadata={"description": "Arkiveret (skrivebeskyttet) siden; null ellers"})
    underretninger = fields.List(fields.Nested(UnderretningSchema))
    aktiviteter = fields.List(fields.Nested(ActivitySchema))
    journal = fields.List(fields.Nested(JournalEntrySchema))
    afventer = fields.List(fields.String(),
                           metadata={"description": "Udvalg, sagen venter på (fx Visitationsudvalget)"})


class _CaseFilters(Schema):
    alle = fields.Boolean(load_default=False, metadata={"description": "Medtag afsluttede sager"})
    mine = fields.Boolean(load_default=False, metadata={"description": "Kun sager, hvor jeg er rådgiver"})
    arkiverede = fields.Boolean(load_default=False, metadata={
        "description": "Kun arkiverede sager (teamledere i eget team og afdelingsledere; andre får 403). Uden: "
                       "arkiverede sager er ikke med"})
    sorter = fields.String(load_default="frist", validate=validate.OneOf(SORTS + tuple(f"-{s}" for s in SORTS)),
                           metadata={"description": "Kolonne; «-» foran for faldende. frist: nærmeste frist først"})


class CaseListQuerySchema(ListArgsSchema, _CaseFilters):
    pass


class CaseSearchSchema(SearchArgsSchema, _CaseFilters):
    pass


class CaseRowSchema(CaseListItemSchema):
    naeste_frist = fields.DateTime(allow_none=True)
    overskredet = fields.Boolean()
    raadgiver_id = fields.Integer(allow_none=True, metadata={"description": "Sagens rådgiver (bruger-id)"})
    markeringer = fields.List(fields.String(), metadata={"description": "overgreb, akut, ny_underretning"})


class CasePageSchema(PageSchema):
    sager = fields.List(fields.Nested(CaseRowSchema))


def row_item(row: object) -> dict:
    c = row.case
    return {"id": c.id, "sagsnummer": c.sagsnummer, "child_name": c.child_name, "cpr": c.cpr, "status": c.status,
            "phase": c.phase, "opened_at": c.opened_at, "naeste_frist": row.due, "overskredet": row.overdue,
            "raadgiver_id": row.owner_id, "markeringer": row.markers}


class KlageSchema(Schema):
    modtaget = fields.Date(required=True, validate=_not_after_today,
                           metadata={"description": "Dagen, klagen kom ind. Må ikke ligge efter i dag."})
    beskrivelse = fields.String(required=True, validate=validate.Length(min=1, max=20000))


class KlageResultSchema(Schema):
    genvurdering_oprettet = fields.Boolean()
