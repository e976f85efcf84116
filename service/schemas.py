"""Shared marshmallow bits: Danish default error messages, and the problem body for the OpenAPI spec."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

fields.Field.default_error_messages.update({
    "required": "Feltet skal udfyldes.",
    "null": "Feltet må ikke være tomt.",
    "validator_failed": "Ugyldig værdi.",
})
fields.String.default_error_messages.update({"invalid": "Skal være tekst."})
fields.Boolean.default_error_messages.update({"invalid": "Skal være true eller false."})
fields.Integer.default_error_messages.update({"invalid": "Skal være et helt tal."})
fields.Dict.default_error_messages.update({"invalid": "Skal være et JSON-objekt."})
fields.DateTime.default_error_messages.update({"invalid": "Ugyldigt tidspunkt (ISO 8601 med tidszone)."})
fields.Date.default_error_messages.update({"invalid": "Ugyldig dato (ÅÅÅÅ-MM-DD)."})
fields.AwareDateTime.default_error_messages.update({"invalid_awareness": "Tidspunktet skal have en tidszone."})
Schema.error_messages = {"unknown": "Ukendt felt.", "type": "Skal være et JSON-objekt."}
validate.OneOf.default_message = "Skal være en af: {choices}."
validate.Length.message_min = "Skal være mindst {min} tegn."
validate.Length.message_max = "Må højst være {max} tegn."
validate.Length.message_all = "Skal være mellem {min} og {max} tegn."


class FieldErrorSchema(Schema):
    field = fields.String()
    message = fields.String()


class ProblemSchema(Schema):
    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.List(fields.Nested(FieldErrorSchema))
