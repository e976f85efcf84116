"""The goal follow-up's API document: Danish field names, codes with their Danish words beside them."""

from __future__ import annotations

from marshmallow import Schema, fields

from service.maalopfoelgning.models import VURDERINGER


class MaalvurderingSchema(Schema):
    opfoelgning_dato = fields.Date(metadata={"description": "Opfølgningens dato"})
    vurdering = fields.String(metadata={"description": "opnaaet, delvist, ikke_opnaaet eller udgaaet",
                                        "enum": list(VURDERINGER)})
    vurdering_tekst = fields.Function(lambda row: VURDERINGER.get(row.vurdering, row.vurdering),
                                      metadata={"description": "Vurderingen på dansk"})
    begrundelse = fields.String()
    maal_nr = fields.Integer(metadata={"description": "Målets nummer i planen, der gjaldt ved opfølgningen"})
    task_id = fields.String(metadata={"description": "Opfølgningsopgaven, hvis formular rummede vurderingen"})


class GoalHistorySchema(Schema):
    nr = fields.Integer(allow_none=True, metadata={"description": "Målets nummer i barnets plan nu; null for et "
                                                                 "mål, som planen ikke længere har"})
    maal = fields.String()
    maalbart_kriterium = fields.String(allow_none=True)
    vurderinger = fields.List(fields.Nested(MaalvurderingSchema), metadata={"description": "Ældste først"})


class MaalopfoelgningSchema(Schema):
    maal = fields.List(fields.Nested(GoalHistorySchema))
