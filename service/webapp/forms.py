"""Task forms in HTML: fields from a form's JSON Schema and its x-ui hints, posted fields back to typed data.

The server's validator (service/forms) stays the judge; this module only renders and converts, and puts
each Danish FieldError next to the field it names.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from service import clock
from service.forms import conditions, dates
from service.webapp.format import day

LINES_HELP = "Skriv én pr. linje."


@dataclass
class Field:
    path: str  # dotted data path, also the HTML name: "maal.0.domaene"
    kind: str  # text textarea number date datetime radio select checkbox checkboxes lines group
    title: str
    help: str = ""
    required: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)
    value: Any = None
    errors: list[str] = field(default_factory=list)
    items: list[list[Field]] = field(default_factory=list)  # kind "group": one field list per item
    integer: bool = False
    required_when: str = ""  # "«Handling» er «Aftal ny dato»", from the schema's if/then rules
    latest: str = ""  # the HTML max of a date that records what happened ("x-senest": "i dag")

    @property
    def html_id(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.path)

    def checked(self, option: str) -> bool:
        if isinstance(self.value, list):
            return option in self.value
        if isinstance(self.value, bool):
            return option == ("true" if self.value else "false")
        return self.value is not None and str(self.value) == option

    @property
    def text(self) -> str:
        if self.kind == "lines" and isinstance(self.value, list):
            return "\n".join(map(str, self.value))
        return "" if self.value is None else str(self.value)


def _ui(schema: dict[str, Any]) -> dict[str, Any]:
    return schema.get("x-ui", {})


def _hint_key(path: list[str]) -> str:
    return ".".join(p for p in path if not p.isdigit())


def _kind(prop: dict[str, Any], widget: str | None) -> str:
    kind = prop.get("type")
    if kind == "boolean":
        return "radio" if widget == "radio" else "checkbox"
    if kind in ("integer", "number") and "enum" in prop:  # a numbered choice, e.g. a goal of the plan
        return "radio" if widget == "radio" else "select"
    if kind in ("integer", "number"):
        return "number"
    if kind == "array":
        items = prop.get("items", {})
        if items.get("type") == "object":
            return "group"
        return "checkboxes" if "enum" in items else "lines"
    if "enum" in prop:
        return "radio" if widget == "radio" else "select"
    if prop.get("format") == "date" or widget == "date":
        return "date"
    if widget in ("textarea", "datetime"):
        return widget
    return "text"


def _options(prop: dict[str, Any], labels: dict[str, str]) -> list[tuple[str, str]]:
    if prop.get("type") == "boolean":
        return [("true", labels.get("true", "Ja")), ("false", labels.get("false", "Nej"))]
    values = prop.get("enum") or prop.get("items", {}).get("enum") or []
    return [(str(v), labels.get(str(v), str(v))) for v in values]


def _required_when(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, str]:
    """Fields an if/then rule makes required, with the condition in words (service/forms/conditions.py)."""
    props, labels = schema.get("properties", {}), conditions.labels_of(root)
    found: dict[str, list[str]] = {}
    for rule in schema.get("allOf", []):
        words = conditions.condition(rule, props, labels)
        for required in rule.get("then", {}).get("required", []) if words else []:
            found.setdefault(required, []).append(words)
    return {name: " eller ".join(words) for name, words in found.items()}


def _latest(prop: dict[str, Any], kind: str) -> str:
    """The browser's own limit for a past-only date; the server still checks it."""
    if prop.get(dates.KEYWORD) != dates.TODAY:
        return ""
    today = clock.today().isoformat()
    return f"{today}T23:59" if kind == "datetime" else today if kind == "date" else ""


def _item_count(prop: dict[str, Any], values: list[Any]) -> int:
    """Without JavaScript every possible item gets its fieldset: up to maxItems (else a few more)."""
    most = prop.get("maxItems") or max(prop.get("minItems", 1) + 2, len(values) + 1)
    return max(most, len(values))


def fields_for(schema: dict[str, Any], values: dict[str, Any] | None = None,
               errors: dict[str, list[str]] | None = None, *, choices: dict[str, list[tuple[str, str]]] | None = None,
               _root: dict | None = None, _prefix: tuple[str, ...] = ()) -> list[Field]:
    """`choices` turns a free-text field into a list the server knows (e.g. the team's caseworkers)."""
    root = _root or schema
    ui, values, errors = _ui(root), values or {}, errors or {}
    props = schema.get("properties", {})
    conditional = _required_when(schema, root)
    here = _hint_key(list(_prefix))
    order = [p.rpartition(".")[2] for p in ui.get("order", []) if p.rpartition(".")[0] == here]
    names = [n for n in order if n in props] + [n for n in props if n not in order]
    result = []
    for name in names:
        prop, path = props[name], [*_prefix, name]
        key = _hint_key(path)
        widget = ui.get("widgets", {}).get(key)
        kind = _kind(prop, widget)
        # A schema's default fills a field the draft does not have (the case's own goals, shaped per task).
        value = values[name] if name in values else copy.deepcopy(prop.get("default"))
        if key in (choices or {}):
            kind, options = "select", choices[key]
        elif kind == "checkbox" and prop.get("const") is True:
            options = [("true", ui.get("labels", {}).get(key, {}).get("true", prop.get("title", name)))]
        else:
            options = _options(prop, ui.get("labels", {}).get(key, {}))
        item = Field(path=".".join(path), kind=kind, title=prop.get("title", name),
                     help=prop.get("description", "") or (LINES_HELP if kind == "lines" else ""),
                     required=name in schema.get("required", []), options=options, value=value,
                     errors=errors.get(".".join(path), []), integer=prop.get("type") == "integer",
                     required_when=conditional.get(name, ""), latest=_latest(prop, kind))
        if kind == "lines" and item.help != LINES_HELP:
            item.help = f"{item.help} {LINES_HELP}"
        if kind == "group":
            present = value if isinstance(value, list) else []
            item.items = [fields_for(prop["items"], present[i] if i < len(present) else {}, errors,
                                     _root=root, _prefix=(*path, str(i)))
                          for i in range(_item_count(prop, present))]
        result.append(item)
    return result


def _number(raw: str, integer: bool) -> Any:
    try:
        return int(raw) if integer else float(raw.replace(",", "."))
    except ValueError:
        return raw  # the validator answers «… skal være et helt tal»


def to_data(schema: dict[str, Any], form: MultiDict, *, _root: dict | None = None,
            _prefix: tuple[str, ...] = ()) -> dict[str, Any]:
    """Posted fields → the typed document the schema describes; empty fields are left out."""
    root = _root or schema
    data: dict[str, Any] = {}
    for name, prop in schema.get("properties", {}).items():
        path = [*_prefix, name]
        html_name = ".".join(path)
        kind = _kind(prop, _ui(root).get("widgets", {}).get(_hint_key(path)))
        raw = form.get(html_name, "").strip()
        if kind == "checkbox":
            data[name] = html_name in form
        elif kind == "radio" and prop.get("type") == "boolean":
            if raw in ("true", "false"):
                data[name] = raw == "true"
        elif kind == "checkboxes":
            if chosen := form.getlist(html_name):
                data[name] = chosen
        elif kind == "lines":
            if lines := [line.strip() for line in raw.splitlines() if line.strip()]:
                data[name] = lines
        elif kind == "group":
            present = [to_data(prop["items"], form, _root=root, _prefix=(*path, str(i)))
                       for i in range(_item_count(prop, []))]
            if items := [i for i in present if any(v not in (None, "", [], False) for v in i.values())]:
                data[name] = items
        elif kind == "number":
            if raw:
                data[name] = _number(raw, prop.get("type") == "integer")
        elif raw:
            data[name] = _number(raw, prop.get("type") == "integer") if prop.get("type") in ("integer", "number") \
                else raw  # a numbered choice posts its number as text
    return data


def errors_by_field(errors: list[Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for error in errors:
        found.setdefault(error.field, []).append(error.message)
    return found


def shown_paths(fields: list[Field]) -> set[str]:
    paths = set()
    for f in fields:
        paths.add(f.path)
        for item in f.items:
            paths |= shown_paths(item)
    return paths


def readable(schema: dict[str, Any], data: dict[str, Any], *, _root: dict | None = None,
             _prefix: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """A completed form as (Danish title, Danish value) pairs, in the form's own order (for the journal)."""
    root = _root or schema
    props = schema.get("properties", {})
    pairs = []
    for f in fields_for(schema, data, _root=root, _prefix=_prefix):
        name = f.path.split(".")[-1]
        if name not in data:
            continue
        value, labels = data[name], dict(f.options)
        if f.kind == "group":
            for i, item in enumerate(value if isinstance(value, list) else []):
                inner = readable(props[name]["items"], item, _root=root, _prefix=(*_prefix, name, str(i)))
                pairs.append((f"{f.title} {i + 1}", "; ".join(f"{t}: {v}" for t, v in inner)))
            continue
        if isinstance(value, bool):
            shown = labels.get("true" if value else "false", "Ja" if value else "Nej")
        elif isinstance(value, list):
            shown = ", ".join(labels.get(str(v), str(v)) for v in value)
        elif f.kind == "date":
            shown = day(value)
        else:
            shown = labels.get(str(value), str(value))
        pairs.append((f.title, shown))
    return pairs
