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
fields.Integer.default_error_messages.update({"invalid": "Skal være et helt tal.",
                                              "too_large": "Tallet er for stort."})
fields.Dict.default_error_messages.update({"invalid": "Skal være et JSON-objekt."})
fields.Date.default_error_messages.update({"invalid": "Ugyldig dato (ÅÅÅÅ-MM-DD)."})
fields.Float.default_error_messages.update({"invalid": "Skal være et tal.", "special": "Skal være et endeligt tal."})
fields.DateTime.default_error_messages.update({"invalid": "Ugyldigt tidspunkt (ISO 8601 med tidszone)."})
fields.Date.default_error_messages.update({"invalid": "Ugyldig dato (ÅÅÅÅ-MM-DD)."})
fields.AwareDateTime.default_error_messages.update({"invalid_awareness": "Tidspunktet skal have en tidszone."})
_integer_validated = fields.Integer._validated
_boolean_deserialize = fields.Boolean._deserialize


INT64 = (-(2**63), 2**63 - 1)  # what the databases can compare with; a larger number names nothing we store


def _whole_number(self: fields.Integer, value: object) -> int:
    # marshmallow would cut 2.5 to 2; a fraction is not the integer the document promises.
    if isinstance(value, float) and not value.is_integer():
        raise self.make_error("invalid", input=value)
    number = _integer_validated(self, value)
    if not INT64[0] <= number <= INT64[1]:
        raise self.make_error("too_large", input=value)
    return number


def _true_or_false(self: fields.Boolean, value: object, attr: str | None, data: object, **kwargs: object) -> bool:
    # In JSON only true and false are booleans; 1 and 0 are numbers. (A query string's "true"/"1" is still read.)
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise self.make_error("invalid", input=value)
    return _boolean_deserialize(self, value, attr, data, **kwargs)


fields.Integer._validated = _whole_number  # type: ignore[method-assign]
fields.Boolean._deserialize = _true_or_false  # type: ignore[method-assign]
Schema.error_messages = {"unknown": "Ukendt felt.", "type": "Skal være et JSON-objekt."}
validate.OneOf.default_message = "Skal være en af: {choices}."
validate.Length.message_min = "Skal være mindst {min} tegn."
validate.Length.message_max = "Må højst være {max} tegn."
validate.Length.message_all = "Skal være mellem {min} og {max} tegn."


class FieldErrorSchema(Schema):
    field = fields.String(required=True)
    message = fields.String(required=True)
    element = fields.String(metadata={"description": "BPMN-elementet, fejlen gælder (validering af modeller)"})


class ProblemSchema(Schema):
    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.List(fields.Nested(FieldErrorSchema))


# The control characters service/web.py refuses in every request (all but tab and line breaks), as a regular
# expression for the OpenAPI document: a client reads there that such text is refused, not after a 422.
_CONTROL = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f"
PLAIN_TEXT = rf"^[^{_CONTROL}]*$"
# Plain text that still has three characters when trimmed (a remark, a reason): what the services check.
AT_LEAST_THREE_CHARACTERS = rf"^[^{_CONTROL}]*[^\s{_CONTROL}][^{_CONTROL}]+[^\s{_CONTROL}][^{_CONTROL}]*$"


def plain_text_pattern(self: object, field: fields.Field, ret: dict, **_: object) -> dict:
    """apispec attribute function: every free text field says it refuses control characters, every integer
    that it fits in 64 bits."""
    free_text = ret.get("type") == "string" and not {"pattern", "format", "enum"} & ret.keys()
    if isinstance(field, fields.String) and free_text:
        return {"pattern": PLAIN_TEXT}
    if isinstance(field, fields.Integer) and ret.get("type") == "integer":  # the 64-bit bound _whole_number keeps
        return {"minimum": ret.get("minimum", INT64[0]), "maximum": ret.get("maximum", INT64[1])}
    return {}
