from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.cases.cpr import mask
from service.inbox.listing import SCOPES, SORTS
from service.list_schemas import ListArgsSchema, PageSchema, SearchArgsSchema


class _TaskFilters(Schema):
    scope = fields.String(load_default="team", validate=validate.OneOf(SCOPES), metadata={
        "description": "team: mine + ikke-tagne; mine: taget af mig; ledige: ikke-tagne; alle: hele teamets"})
    rolle = fields.String(validate=validate.OneOf(("raadgiver", "teamleder")))
    opgavetype = fields.String(validate=validate.Length(max=200), metadata={"description": "Opgavens navn"})
    sorter = fields.String(load_default="frist", validate=validate.OneOf(SORTS + tuple(f"-{s}" for s in SORTS)),
                           metadata={"description": "Kolonne; «-» foran for faldende. frist: overskredne først, "
                                                    "så nærmeste frist"})


class TaskListQuerySchema(ListArgsSchema, _TaskFilters):
    pass


class TaskSearchSchema(SearchArgsSchema, _TaskFilters):
    pass


class TaskSchema(Schema):
    id = fields.String()
    name = fields.String(data_key="navn")
    bpmn_id = fields.String()
    role = fields.String(data_key="rolle")
    form_key = fields.String(data_key="formular")
    status = fields.String()
    claimed_by = fields.Integer(data_key="taget_af", allow_none=True)
    case_id = fields.String()
    created_at = fields.DateTime(data_key="oprettet")
    process_name = fields.String(data_key="delproces", allow_none=True,
                                 metadata={"description": "Den kaldte proces, opgaven hører til (fx Visitation)"})
    message = fields.String(data_key="besked", allow_none=True,
                            metadata={"description": "Besked til brugeren, fx manglende forudsætninger"})


class TaskListItemSchema(TaskSchema):
    sagsnummer = fields.String()
    barnets_navn = fields.String()
    cpr_maskeret = fields.String()


class TaskRowSchema(TaskListItemSchema):
    frist = fields.DateTime(allow_none=True, metadata={"description": "Fristen på opgaven (også overskredet)"})
    overskredet = fields.Boolean()
    markeringer = fields.List(fields.String(), metadata={"description": "overgreb, akut, ny_underretning"})


class TaskPageSchema(PageSchema):
    opgaver = fields.List(fields.Nested(TaskRowSchema))


class TaskDetailSchema(TaskListItemSchema):
    formular_skema = fields.Dict()
    kladde = fields.Dict(allow_none=True)


class CompleteSchema(Schema):
    data = fields.Dict(required=True, metadata={"description": "Formularens data (valideres mod formular_skema)"})


class CompleteResultSchema(Schema):
    opgave = fields.Nested(TaskSchema)
    sag_status = fields.String()
    sag_fase = fields.String()
    naeste_opgaver = fields.List(fields.Nested(TaskSchema))


def list_item(task: object, case: object) -> dict:
    return {**{k: getattr(task, k) for k in ("id", "name", "bpmn_id", "role", "form_key", "status",
                                              "claimed_by", "case_id", "created_at", "process_name", "message")},
            "sagsnummer": case.sagsnummer, "barnets_navn": case.child_name, "cpr_maskeret": mask(case.cpr)}


def row_item(row: object) -> dict:
    return {**list_item(row.task, row.case), "frist": row.due, "overskredet": row.overdue,
            "markeringer": row.markers}
