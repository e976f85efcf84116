"""The notes' API documents: field names in Danish, as the rest of the case API."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from service.notater.models import TYPES
from service.notater.service import MAX_TEXT, TEXT_TOO_LONG, TEXT_TOO_SHORT, TYPE_CHOICES, changeable_until

_TYPE = {"validate": validate.OneOf(tuple(TYPES), error=TYPE_CHOICES),
         "metadata": {"description": "samtale, hjemmebesoeg, telefon, netvaerksmoede eller andet"}}
_DATO = {"metadata": {"description": "Hvornår samtalen, besøget, opkaldet eller mødet fandt sted. Må ikke ligge "
                                     "efter i dag (dansk dato)."}}


def _not_blank(value: str) -> None:
    if len(value) >= 3 and len(value.strip()) < 3:  # a shorter one has its message from the length
        raise ValidationError(TEXT_TOO_SHORT)


# That the three characters are not all blank is left out of the document: as a pattern beside the length it made the
# contract fuzzing's examples several times slower to generate (the service checks it as well).
_TEKST = {"validate": [validate.Length(min=3, error=TEXT_TOO_SHORT), validate.Length(max=MAX_TEXT, error=TEXT_TOO_LONG),
                       _not_blank],
          "metadata": {"description": f"Notatet (mindst 3 tegn, der ikke alle er blanke; højst {MAX_TEXT})."}}
_OPGAVE = {"attribute": "task_id", "data_key": "opgave_id", "allow_none": True,
           "validate": validate.Length(min=1, max=36),
           "metadata": {"description": "Den opgave på sagen, notatet hører til (valgfri)."}}


class NotatCreateSchema(Schema):
    type = fields.String(required=True, **_TYPE)
    dato = fields.Date(required=True, **_DATO)
    tekst = fields.String(required=True, **_TEKST)
    task_id = fields.String(load_default=None, **_OPGAVE)


class NotatChangeSchema(Schema):
    """Only what is sent is changed."""

    type = fields.String(**_TYPE)
    dato = fields.Date(**_DATO)
    tekst = fields.String(**_TEKST)
    task_id = fields.String(**_OPGAVE)


class RettelseCreateSchema(Schema):
    """A correction note: its text; type, date and task are the corrected note's unless given."""

    type = fields.String(**_TYPE)
    dato = fields.Date(**_DATO)
    tekst = fields.String(required=True, **_TEKST)
    task_id = fields.String(**_OPGAVE)


class NotatSchema(Schema):
    id = fields.String()
    case_id = fields.String()
    type = fields.String()
    type_navn = fields.String()
    dato = fields.Date()
    tekst = fields.String()
    opgave_id = fields.String(attribute="task_id", allow_none=True)
    opgave_navn = fields.Function(lambda n: n.task.name if n.task else None, allow_none=True)
    retter = fields.String(attribute="retter_id", allow_none=True, metadata={
        "description": "Er notatet en rettelse: id på det notat, det retter."})
    skrevet_af = fields.Integer(attribute="created_by")
    skrevet_af_navn = fields.String(attribute="author.full_name")
    oprettet = fields.DateTime(attribute="created_at")
    aendret = fields.DateTime(attribute="changed_at", allow_none=True)
    kan_aendres_til = fields.Function(lambda n: changeable_until(n).isoformat(), metadata={
        "type": "string", "format": "date-time",
        "description": "Indtil da kan forfatteren ændre notatet; derefter kun en rettelse, der henviser til det."})
