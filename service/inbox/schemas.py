from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.cases.cpr import mask


class TaskListQuerySchema(Schema):
    scope = fields.String(load_default="team", validate=validate.OneOf(("mine", "team", "alle")),
                          metadata={"description": "mine: taget af mig; team: mine + ikke-tagne; alle: hele teamets"})


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
