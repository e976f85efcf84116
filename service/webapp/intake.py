"""The front desk's underretning form: described like a task form, checked by the API's own schema."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import ValidationError

from service.cases.schemas import KANALER, UnderretningCreateSchema
from service.cases.service import UNDERRETTER_TYPES
from service.deadlines.calendar import COPENHAGEN
from service.errors import FieldError
from service.parter.models import ROLLER

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
        # One custody holder, if known; more parties, and other parents, are registered on the case page.
        "foraelder_rolle": {"type": "string", "title": "Forældremyndighedsindehaver (hvis kendt)",
                            "enum": list(ROLLER),
                            "description": "Flere parter og forældre uden forældremyndighed registreres på sagen."},
        "foraelder_navn": {"type": "string", "title": "Forældremyndighedsindehaverens navn"},
        "foraelder_cpr": {"type": "string", "title": "Forældremyndighedsindehaverens CPR-nummer",
                          "description": "DDMMÅÅ-XXXX. Kan udelades."},
        "foraelder_adresse": {"type": "string", "title": "Forældremyndighedsindehaverens adresse",
                              "description": "Brevene sendes hertil."},
    },
    "x-ui": {"widgets": {"underretter_type": "radio", "beskrivelse": "textarea", "modtaget": "datetime",
                         "foraelder_rolle": "radio"},
             "labels": {**LABELS, "foraelder_rolle": ROLLER}},
}
_PARTY = "foraelder_"


def field_of(name: str) -> str:
    """The form's field for an error on the payload's first party ('parter.0.navn' → 'foraelder_navn')."""
    return _PARTY + name.split(".")[-1] if name.startswith("parter.") else name


def _flat(messages: dict[str, Any], prefix: str = "") -> list[FieldError]:
    found = []
    for name, value in messages.items():
        if isinstance(value, dict):
            found += _flat(value, f"{prefix}{name}.")
        else:
            found += [FieldError(field_of(prefix + str(name)), str(msg))
                      for msg in (value if isinstance(value, list) else [value])]
    return found


def to_payload(data: dict[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
    """Typed, checked payload for cases.receive_underretning, or the Danish field errors."""
    raw = {k: v for k, v in data.items() if not k.startswith(_PARTY)}
    if any(data.get(_PARTY + f) for f in ("rolle", "navn", "cpr", "adresse")):
        raw["parter"] = [{"rolle": data.get(_PARTY + "rolle"), "navn": data.get(_PARTY + "navn", ""),
                          "adresse": data.get(_PARTY + "adresse", ""), "cpr": data.get(_PARTY + "cpr") or None}]
    if isinstance(raw.get("modtaget"), str):  # the browser sends local wall-clock time without a zone
        try:
            raw["modtaget"] = datetime.fromisoformat(raw["modtaget"]).replace(tzinfo=COPENHAGEN).isoformat()
        except ValueError:
            return {}, [FieldError("modtaget", "Angiv dato og klokkeslæt.")]
    try:
        return UnderretningCreateSchema().load(raw), []
    except ValidationError as err:
        return {}, _flat(err.messages if isinstance(err.messages, dict) else {})
