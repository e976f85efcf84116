"""Task forms: JSON Schema 2020-12 files in forms/, validated on the server with Danish messages."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import SchemaError, ValidationError

from service.errors import FieldError
from service.forms import conditions, dates

_FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER
# JSON Schema 2020-12 plus our one keyword: "x-senest": "i dag" on a date that records what happened.
_Validator = validators.extend(Draft202012Validator, {dates.KEYWORD: dates.not_after_today})
_TYPE_NAMES = {"string": "tekst", "integer": "et helt tal", "number": "et tal", "boolean": "ja eller nej",
               "array": "en liste", "object": "et objekt", "null": "tom"}


class FormInvalid(Exception):
    pass


def load_form(forms_dir: Path, key: str) -> dict[str, Any]:
    path = forms_dir / f"{key}.json"
    if not path.is_file():
        raise FormInvalid(f"formularen '{key}' findes ikke ({path.name})")
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise FormInvalid(f"formularen '{key}' er ikke et gyldigt JSON Schema: {err}") from err
    if problem := _schema_problem(json.dumps(schema, sort_keys=True)):
        raise FormInvalid(f"formularen '{key}'{problem}")
    return schema


@lru_cache(maxsize=512)
def _schema_problem(text: str) -> str | None:
    """What is wrong with one form's schema (None when nothing). Checking against the meta-schema is most of a
    deploy's time and gives the same verdict for the same text, so each distinct text is checked once per process."""
    schema = json.loads(text)
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as err:
        return f" er ikke et gyldigt JSON Schema: {err}"
    problems = dates.misuse(schema)
    return f": {'; '.join(problems)}" if problems else None


_validators: dict[str, Any] = {}


def _validator(schema: dict[str, Any]) -> Any:
    # Deployed forms never change, so one compiled validator per distinct schema text is enough.
    key = json.dumps(schema, sort_keys=True)
    if key not in _validators:
        _validators[key] = _Validator(schema, format_checker=_FORMAT_CHECKER)
    return _validators[key]


def validate(schema: dict[str, Any], data: Any) -> list[FieldError]:
    validator = _validator(schema)
    errors = [_to_field_error(schema, e) for e in _leaf_errors(validator.iter_errors(data))]
    unique = {(e.field, e.message): e for e in errors}
    return sorted(unique.values(), key=lambda e: e.field)


def _leaf_errors(errors: Any) -> list[ValidationError]:
    """Report the concrete failures, not the if/then or allOf wrapper around them."""
    result = []
    for error in errors:
        if error.context:
            result += _leaf_errors(error.context)
        else:
            result.append(error)
    return result


def _field_path(error: ValidationError) -> list[str | int]:
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        path.append(missing)
    return path


def _title(schema: dict[str, Any], path: list[str | int]) -> str:
    node: Any = schema
    title = ""
    for part in path:
        if isinstance(part, int):
            node = node.get("items", {}) if isinstance(node, dict) else {}
            continue
        node = node.get("properties", {}).get(part, {}) if isinstance(node, dict) else {}
        title = node.get("title", str(part)) if isinstance(node, dict) else str(part)
    return title


def _to_field_error(schema: dict[str, Any], error: ValidationError) -> FieldError:
    path = _field_path(error)
    field = ".".join(str(p) for p in path) or "(formular)"
    label = _title(schema, path) if path else "Formularen"
    v, expected = error.validator, error.validator_value
    if v == "required":
        msg = f"«{label}» skal udfyldes."
    elif v == "type":
        kind = expected if isinstance(expected, str) else expected[0]
        msg = f"«{label}» skal være {_TYPE_NAMES.get(kind, kind)}."
    elif v == "enum":
        msg = f"«{label}» har en ugyldig værdi. Vælg en af: {', '.join(map(str, expected))}."
    elif v == "const":
        msg = f"«{label}» skal bekræftes." if expected is True else f"«{label}» skal være {expected}."
    elif v == "minLength":
        msg = f"«{label}» skal udfyldes." if expected == 1 else f"«{label}» skal være mindst {expected} tegn."
    elif v == "maxLength":
        msg = f"«{label}» må højst være {expected} tegn."
    elif v == "minItems":
        msg = f"«{label}» skal have mindst {expected}."
    elif v == "maxItems":
        msg = f"«{label}» må højst have {expected}."
    elif v == "uniqueItems":
        msg = f"«{label}» indeholder den samme værdi flere gange."
    elif v in ("minimum", "exclusiveMinimum"):
        msg = f"«{label}» skal være mindst {expected}."
    elif v in ("maximum", "exclusiveMaximum"):
        msg = f"«{label}» må højst være {expected}."
    elif v == "format":
        msg = f"«{label}» skal være en gyldig dato (ÅÅÅÅ-MM-DD)." if expected == "date" else \
            f"«{label}» har ikke det rigtige format ({expected})."
    elif v in ("additionalProperties", "unevaluatedProperties"):
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {}))) \
            if isinstance(error.instance, dict) else []
        field = ".".join([*map(str, path), *extra[:1]]) or field
        msg = f"Ukendt felt: {', '.join(extra)}." if extra else "Formularen har ukendte felter."
    elif v == dates.KEYWORD:
        msg = dates.too_late_message(label)
    elif v == "pattern":
        msg = f"«{label}» har ikke det rigtige format."
    else:
        msg = f"«{label}» er ugyldig."
    when = conditions.of_error(schema, list(error.absolute_schema_path))
    if when:
        msg = _with_condition(when, msg, schema, error, path, label)
    return FieldError(field=field, message=msg)


def _with_condition(when: str, msg: str, schema: dict[str, Any], error: ValidationError, path: list[str | int],
                    label: str) -> str:
    """An answer that does not fit another one, said with the other answer in words (an if/then rule):
    «Når «Barnet er i akut fare» er «Ja», skal «Videre forløb» være «Videre til screening …»»."""
    v, expected = error.validator, error.validator_value
    labels, name = conditions.labels_of(schema), str(path[-1]) if path else ""
    if v == "const" and expected is not True:
        return f"Når {when}, skal «{label}» være «{conditions.shown(labels, name, expected)}»."
    if v == "enum":
        choices = " eller ".join(f"«{conditions.shown(labels, name, e)}»" for e in expected)
        return f"Når {when}, skal «{label}» være {choices}."
    # «X» skal udfyldes. → Når …, skal «X» udfyldes. (the verb comes before the subject after a when-clause)
    said = re.match(r"^(«[^»]*») (\S+) (.+)$", msg)
    return f"Når {when}, {said[2]} {said[1]} {said[3]}" if said else f"Når {when}: {msg}"
