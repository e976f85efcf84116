"""The front desk's underretning form: described like a task form, checked by the API's own schema."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import ValidationError

from service.cases.schemas import KANALER, UnderretningCreateSchema
from service.cases.service import UNDERRETTER_TYPES
from service.deadlines.calendar import COPENHAGEN
from service.errors import FieldError

UNDERRETTER_LABELS = {"fagperson": "Fagperson (skole, dagtilbud, sundhed, politi …)", "borger": "Borger",
                      "anonym": "Anonym"}
KANAL_LABELS = {"telefon": "Telefon", "mail": "E-mail", "digital_post": "Digital Post", "brev": "Brev",
                "personlig_henvendelse": "Personlig henvendelse", "andet": "Andet"}
LABELS = {"underretter_type": UNDERRETTER_LABELS, "kanal": KANAL_LABELS}

FORM: dict[str, Any] = {
    "type": "object",
    "required": ["cpr", "barnets_navn", "underretter_type", "kanal", "beskrivelse"],
    "properties": {
        "cpr": {"type": "string", "title": "Barnets CPR-nummer", "description": "DDMMÅÅ-XXXX."},
        "barnets_navn": {"type": "string", "title": "Barnets navn"},
        "underretter_type": {"type": "string", "title": "Underretter", "enum": list(UNDERRETTER_TYPES)},
        "kanal": {"type": "string", "title": "Modtaget via", "enum": list(KANALER)},
        "overgreb": {"type": "boolean", "title": "Mistanke om overgreb mod barnet",
                     "description": "Kræver en fremskudt børnesamtale (BL § 137)."},
        "beskrivelse": {"type": "string", "title": "Hvad er underretningen om?",
                        "description": "Gengiv beskrivende – ikke vurderende – hvad underretter har set eller hørt."},
        "modtaget": {"type": "string", "title": "Modtaget", "x-senest": "i dag",  # the browser's max; now is checked
                     "description": "Hvornår underretningen kom ind. Tom: nu. Fristen på 24 timer regnes herfra."},
    },
    "x-ui": {"widgets": {"underretter_type": "radio", "beskrivelse": "textarea", "modtaget": "datetime"},
             "labels": LABELS},
}


def to_payload(data: dict[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
    """Typed, checked payload for cases.receive_underretning, or the Danish field errors."""
    raw = dict(data)
    if isinstance(raw.get("modtaget"), str):  # the browser sends local wall-clock time without a zone
        try:
            raw["modtaget"] = datetime.fromisoformat(raw["modtaget"]).replace(tzinfo=COPENHAGEN).isoformat()
        except ValueError:
            return {}, [FieldError("modtaget", "Angiv dato og klokkeslæt.")]
    try:
        return UnderretningCreateSchema().load(raw), []
    except ValidationError as err:
        messages = err.messages if isinstance(err.messages, dict) else {}
        return {}, [FieldError(name, msg) for name, msgs in messages.items() for msg in
                    (msgs if isinstance(msgs, list) else [str(msgs)])]
