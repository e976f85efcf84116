from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.cases.cpr import CPR_PATTERN


class IndsigtQuerySchema(Schema):
    cpr = fields.String(
        required=True, validate=validate.Length(max=20, error="CPR-nummeret skal have 10 cifre (DDMMÅÅ-XXXX)."),
        metadata={"description": "Barnets CPR-nummer (DDMMÅÅ-XXXX) – i body, aldrig i adressen",
                  "pattern": CPR_PATTERN})


class AdgangSchema(Schema):
    at = fields.AwareDateTime(data_key="tidspunkt")
    sagsnummer = fields.String()
    action = fields.String(data_key="handling", metadata={"description": "Journalens handling, fx laest, "
                                                                           "cpr_vist, opgave_udfoert"})
    title = fields.String(data_key="beskrivelse")
    actor = fields.String(data_key="bruger")
    actor_role = fields.String(data_key="rolle", allow_none=True)


class IndsigtSagSchema(Schema):
    sagsnummer = fields.String()
    status = fields.String()
    team = fields.String()
    oprettet = fields.AwareDateTime()


class IndsigtSchema(Schema):
    cpr_maskeret = fields.String()
    sager = fields.List(fields.Nested(IndsigtSagSchema))
    adgange = fields.List(fields.Nested(AdgangSchema), metadata={"description": "Nyeste først"})
