"""Hostile requests for every route of the app: the values an attacker or a fuzzer sends, each carrying a test
child's CPR number or name, so that whatever the service writes of them can be found again in its logs.

`plan()` turns the app's URL map and its OpenAPI document into requests: path segments, query strings and bodies
(JSON of the documented shape and of every wrong shape, forms, invalid UTF-8, wrong content types)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from service.config import ROOT

CHILDREN = {"120521-4326": "Ingrid Bøgelund-Vestergaard", "030218-2918": "Malthe Kjærsgaard-Thyregod"}
(CPR, CPR2), (NAME, NAME2) = CHILDREN.keys(), CHILDREN.values()


def _nested(depth: int) -> Any:
    value: Any = {"cpr": CPR, "navn": NAME}
    for _ in range(depth):
        value = {"a": [value]}
    return value


# Strings: each holds a CPR number or a name, so a leak of it is found by the scan.
STRINGS = {
    "cpr": CPR,
    "cpr_uden_streg": CPR.replace("-", ""),
    "navn": NAME,
    "kontroltegn": f"{NAME}\x00\x01\x1b\x7f{CPR}",
    "lang": (f"{NAME2} {CPR2} " * 4000)[:100_000],
    "sql": f"' OR 1=1; DROP TABLE cases; -- {CPR}",
    "html": f"<script>alert('{NAME}')</script><img src=x onerror=alert(1)>{CPR2}",
    "surrogat": f"{NAME}\ud800{CPR}",  # valid JSON (\ud800), no valid UTF-8
    "skjulte_tegn": f"\u202e\u200b{NAME2}\ufeff{CPR2}",
}
# Other JSON values where a string, number or list belongs.
VALUES = {
    "stort_tal": 10**40,
    "negativt_tal": -(10**40),
    "kommatal": 1e308,
    "indlejret": _nested(40),
    "liste": [CPR, NAME, [CPR2]],
    "sand": True,
    "null": None,
    "farlige_navne": {"\x00cpr": CPR, "navn\ud800": NAME, CPR: {"": NAME}},
}
# Whole bodies that are not what the operation documents.
RAW_BODIES = [
    ("application/json", json.dumps([CPR, NAME]).encode()),
    ("application/json", json.dumps(f"{CPR} {NAME}").encode()),
    ("application/json", b"1205214326"),
    ("application/json", b"null"),
    ("application/json", b'{"cpr": "' + CPR.encode() + b'", "barnets_navn": "' + NAME.encode() + b'",'),
    ("application/json", b'{"cpr": "' + CPR.encode() + b'", "navn": "\xff\xfe' + NAME.encode("latin-1") + b'"}'),
    ("application/json", b'{"cpr": NaN, "navn": Infinity, "q": "' + CPR.encode() + b'"}'),
    ("application/json", b"[" * 100_000 + b'"' + CPR.encode() + b'"' + b"]" * 100_000),
    ("text/plain", json.dumps({"cpr": CPR, "barnets_navn": NAME}).encode()),
    ("application/x-www-form-urlencoded", f"cpr={CPR}&barnets_navn={quote(NAME)}&q={CPR}".encode()),
    ("multipart/form-data; boundary=x", f"--x\r\nContent-Disposition: form-data; name=\"cpr\"\r\n\r\n{CPR}\r\n--x--"
     .encode()),
    ("", f"{CPR} {NAME}".encode()),
]
# Path segments: a CPR or name where an id belongs, ids too large, NUL, invalid UTF-8, traversal.
PATH_SEGMENTS = [
    quote(CPR), CPR.replace("-", ""), quote(NAME), "%00" + quote(CPR), quote(STRINGS["sql"], safe=""),
    "%FF%FE" + CPR.replace("-", ""), "9" * 40, "..%2F..%2F" + quote(CPR) + quote(STRINGS["html"], safe=""),
    quote("x" * 3000 + CPR),
]
# Query strings and "every field" bodies: the hostile values dealt out over the fields, a few per request.
MIXES = {
    "cpr, navn og sql": ["cpr", "navn", "cpr_uden_streg", "sql", "html", "skjulte_tegn"],
    "kontroltegn": ["kontroltegn", "cpr"],  # refused as a whole (422): kept apart, so the others go deeper
    "lang og surrogat": ["lang", "surrogat"],
}


MIXES_FIRST = next(iter(MIXES))


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes | None = None
    content_type: str = ""
    form: bool = False  # a browser form: the role's CSRF field is added
    what: str = ""


@dataclass
class Route:
    rule: str
    method: str
    api: bool
    params: list[str]
    converters: dict[str, str]
    body_schema: dict[str, Any] | None = None
    query: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.method} {self.rule}"


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _example(schema: dict[str, Any], spec: dict[str, Any], text: str) -> Any:
    """A value of the documented shape, with `text` wherever free text goes: it gets past the schema and into the
    service, where a leak would happen."""
    schema = _resolve(schema, spec)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {name: _example(prop, spec, text) for name, prop in schema.get("properties", {}).items()}
    if kind == "array":
        return [_example(schema.get("items", {}), spec, text)]
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2026-03-02"
    if schema.get("format") == "date-time":
        return "2026-03-02T09:00:00+00:00"
    return text


def routes(app: Any, spec: dict[str, Any]) -> list[Route]:
    found = []
    for rule in app.url_map.iter_rules():
        openapi_path = re.sub(r"<(?:[^<>]*:)?(\w+)>", r"{\1}", rule.rule)  # <int:x>, <any(a, b):x>
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation = spec["paths"].get(openapi_path, {}).get(method.lower(), {})
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            found.append(Route(rule.rule, method, rule.rule.startswith("/api/"), list(rule.arguments),
                               {name: type(conv).__name__ for name, conv in rule._converters.items()},
                               _resolve(body, spec) if body else None,
                               [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]))
    return sorted(found, key=lambda r: (_ends_our_session(r), r.rule, r.method))


def _ends_our_session(route: Route) -> bool:
    """Log-out last: the other requests need the roles' tokens and sessions."""
    return route.rule in ("/api/auth/logout", "/log-ud")


def form_field_names(*, task_forms: bool = True) -> list[str]:
    """Every field a page's form or view reads: the templates, the views' request.form/args reads, and (unless for
    a query string, which must stay under the request line's limit) the task forms and the underretning form."""
    from service.webapp.intake import FORM
    names: set[str] = set()
    for form in (ROOT / "forms").glob("*.json") if task_forms else ():
        names |= set(json.loads(form.read_text(encoding="utf-8")).get("properties", {})) | set(FORM["properties"])
    for template in (ROOT / "service" / "webapp" / "templates").rglob("*.html"):
        names |= set(re.findall(r'name="([A-Za-z_][\w.\[\]-]*)"', template.read_text(encoding="utf-8")))
    for module in (ROOT / "service" / "webapp").glob("*.py"):
        names |= set(re.findall(r'request\.(?:form|args)\.get(?:list)?\("([^"]+)"', module.read_text("utf-8")))
    return sorted(names - {"csrf_token"})


def _path(route: Route, real: dict[str, str], hostile: tuple[str, str] | None = None) -> str:
    path = route.rule
    for name in route.params:
        value = hostile[1] if hostile and hostile[0] == name else real.get(name, "1")
        path = re.sub(rf"<(?:[^<>]*:)?{name}>", value, path)
    return path


def plain(route: Route, real: dict[str, str], spec: dict[str, Any]) -> Request:
    """One request of the documented shape, with CPR numbers and names in free text and in the query."""
    query = "?" + urlencode({name: CPR for name in route.query or ["q"]})
    body, content_type = _plain_body(route)
    if route.api and route.body_schema:
        body = json.dumps(_example(route.body_schema, spec, f"{NAME} {CPR}")).encode()
    return Request(route.method, _path(route, real) + query, body, content_type, form=not route.api, what="plain")


# Log-in and password routes hash every attempt on purpose (the same time for an unknown user as for a wrong
# password): there the hostile texts are these, not all of them, to keep the run short.
PASSWORD_ROUTE_TEXTS = ("kontroltegn", "lang", "surrogat", "html")


def hashes_passwords(route: Route) -> bool:
    fields = set((route.body_schema or {}).get("properties", {}))
    return bool(fields & {"password", "adgangskode"}) or route.rule in ("/log-ind", "/brugere/<int:user_id>/"
                                                                                    "nulstil-adgangskode")


def hostile(route: Route, real: dict[str, str], spec: dict[str, Any], form_names: list[str],
            query_names: list[str]) -> Iterator[Request]:
    """Every hostile variant for one route: path segments, query strings, bodies."""
    path = _path(route, real)
    texts = {k: v for k, v in STRINGS.items() if not hashes_passwords(route) or k in PASSWORD_ROUTE_TEXTS}
    for name in route.params:
        for segment in PATH_SEGMENTS:
            if route.converters.get(name) == "IntegerConverter" and not segment.isdigit():
                continue  # not a match for the rule: an ordinary 404, already sent for the string ids
            yield Request(route.method, _path(route, real, (name, segment)), *_plain_body(route),
                          form=not route.api, what=f"sti {name}")
    query_names = route.query or (["q", "naeste"] if route.api else query_names)
    writes = route.method in ("POST", "PUT", "PATCH", "DELETE")
    for key, mix in list(MIXES.items())[:1] if writes else MIXES.items():  # a write's input is its body
        names = ["q", query_names[0]] if key.startswith("lang") else query_names  # as long as the line allows
        for query in _queries(names, [STRINGS[k] for k in mix]):
            if key == MIXES_FIRST:
                query += f"&limit={10**30}&offset=-{10**30}&q={CPR}"
            yield Request(route.method, f"{path}?{query}", *_plain_body(route), form=not route.api,
                          what=f"query {key}")
    if route.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    if route.api:
        yield from _json_bodies(route, path, spec, texts)
    else:
        yield from _form_bodies(route, path, form_names, texts)
    for i, (content_type, body) in enumerate(RAW_BODIES):
        yield Request(route.method, path, body, content_type, form=False,
                      what=f"rå krop {i} ({content_type or 'ingen type'})")


LONGEST_QUERY = 3500  # gunicorn refuses a request line over 4094 bytes before the app sees it (414)


def _queries(names: list[str], values: list[str]) -> Iterator[str]:
    """The values dealt out over the names, in as many query strings as it takes to stay under the line limit."""
    query = ""
    for i, name in enumerate(names):
        text = values[i % len(values)][:LONGEST_QUERY]  # no more can be sent
        value = quote(text, safe="", errors="surrogatepass")[:LONGEST_QUERY - len(name) - 1]
        part = f"{quote(name)}={value.rsplit('%', 1)[0] if '%' in value[-2:] else value}"
        if query and len(query) + len(part) >= LONGEST_QUERY:
            yield query
            query = ""
        query = f"{query}&{part}" if query else part
    yield query


def _plain_body(route: Route) -> tuple[bytes | None, str]:
    if route.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return None, ""
    if route.api:
        return json.dumps({"cpr": CPR, "navn": NAME}).encode(), "application/json"
    return urlencode({"cpr": CPR, "navn": NAME}).encode(), "application/x-www-form-urlencoded"


def _json_bodies(route: Route, path: str, spec: dict[str, Any], texts: dict[str, str]) -> Iterator[Request]:
    schema = route.body_schema or {"properties": {"cpr": {}, "barnets_navn": {}, "q": {}, "data": {}}}
    names = list(schema.get("properties", {})) or ["cpr", "q"]
    for key, text in texts.items():  # documented shape, hostile text in every text field
        body = _example(schema, spec, text)
        yield Request(route.method, path, json.dumps(body).encode(), "application/json", what=f"json tekst {key}")
    for key, mix in (("cpr, navn og sql", MIXES[MIXES_FIRST]), ("lang", ["lang"])):  # hostile text in every field
        values = [STRINGS[k] for k in mix]
        body = {n: values[i % len(values)] for i, n in enumerate(names)}
        yield Request(route.method, path, json.dumps(body).encode(), "application/json", what=f"json felter {key}")
    for key, value in VALUES.items():  # every field the same value of a wrong type
        yield Request(route.method, path, json.dumps({n: value for n in names}).encode(), "application/json",
                      what=f"json felter {key}")


def _form_bodies(route: Route, path: str, form_names: list[str], texts: dict[str, str]) -> Iterator[Request]:
    for key in texts:
        yield Request(route.method, path, _form_body(key, tuple(form_names)), "application/x-www-form-urlencoded",
                      form=True, what=f"formular {key}")
    yield Request(route.method, path, b"cpr=" + CPR.encode() + b"&navn=%FF%FE" + quote(NAME).encode(),
                  "application/x-www-form-urlencoded", form=True, what="formular ugyldig utf-8")


@functools.cache
def _form_body(key: str, form_names: tuple[str, ...]) -> bytes:
    """Every field the same hostile text (the same for every page: made once, 100k characters take a while)."""
    names = ("q", "navn", "beskrivelse", "bemaerkning") if key == "lang" else form_names  # under the 5 MB limit
    return urlencode([(name, STRINGS[key]) for name in names], errors="surrogatepass").encode()
