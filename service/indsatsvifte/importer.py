"""Importing the municipality's indsatsvifte: every row checked first, then all written or nothing.

Rows are matched on their key (a measure's or provider's «Kode»; a contract's «Indsats» and «Leverandør»):
a known key is updated, a new one created, and a row that equals what is stored changes nothing, so the same
file can be imported again. Rows missing from the file are left as they are (deactivate with «Aktiv» = nej).
Every change goes through the catalogue service, so it is journalled like a change made in the app.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, ValidationError, fields
from sqlalchemy import select

from service import schemas as _danish_messages  # noqa: F401 - Danish default messages for the schemas below
from service.access.models import User
from service.errors import FieldError, ValidationFailed
from service.indsatsvifte import service as catalogue
from service.indsatsvifte.importfil import Table, cell_text
from service.indsatsvifte.models import Indsats, Leverandoer, Standardkontrakt
from service.indsatsvifte.schemas import (
    KODE,
    IndsatsUpdateSchema,
    LeverandoerUpdateSchema,
    StandardkontraktUpdateSchema,
)
from service.uow import UnitOfWork

# Column header (as written in the file; case and spaces around it do not matter) → field.
INDSATS_COLUMNS = {
    "Kode": "kode", "Navn": "navn", "Målgruppe": "maalgruppe", "Formål": "formaal", "Indhold": "indhold",
    "Lovgrundlag": "lovgrundlag", "Omfang": "omfang", "Hyppighed": "hyppighed", "Varighed": "varighed",
    "Opfølgning": "opfoelgning", "Revisionsinterval (måneder)": "revisionsinterval_maaneder",
    "Samarbejdspartnere": "samarbejdspartnere", "Leverandørkrav": "leverandoerkrav", "Pris": "pris",
    "Prisenhed": "prisenhed", "Aktiv": "aktiv"}
LEVERANDOER_COLUMNS = {
    "Kode": "kode", "Navn": "navn", "Type": "type", "CVR": "cvr", "Adresse": "adresse",
    "Kontaktperson": "kontaktperson", "Telefon": "telefon", "E-mail": "email", "Aktiv": "aktiv"}
KONTRAKT_COLUMNS = {
    "Indsats": "indsats", "Leverandør": "leverandoer", "Gyldig fra": "gyldig_fra", "Gyldig til": "gyldig_til",
    "Pris": "pris", "Prisenhed": "prisenhed", "Betalingsbetingelser": "betalingsbetingelser",
    "Samarbejdsbetingelser": "samarbejdsbetingelser", "Opfølgning": "opfoelgning", "Opsigelse": "opsigelse"}


class _IndsatsRow(IndsatsUpdateSchema):
    kode = fields.String(required=True, validate=KODE)


class _LeverandoerRow(LeverandoerUpdateSchema):
    kode = fields.String(required=True, validate=KODE)


class _KontraktRow(StandardkontraktUpdateSchema):
    indsats = fields.String(required=True)
    leverandoer = fields.String(required=True)


@dataclass(frozen=True)
class _Kind:
    label: str
    columns: dict[str, str]
    schema: Schema
    key: tuple[str, ...]


KINDS = {
    "indsatser": _Kind("Indsatser", INDSATS_COLUMNS, _IndsatsRow(), ("kode",)),
    "leverandoerer": _Kind("Leverandører", LEVERANDOER_COLUMNS, _LeverandoerRow(), ("kode",)),
    "standardkontrakter": _Kind("Standardkontrakter", KONTRAKT_COLUMNS, _KontraktRow(), ("indsats", "leverandoer")),
}
_BOOLEANS = {"ja": True, "j": True, "1": True, "true": True, "sand": True, "x": True,
             "nej": False, "n": False, "0": False, "false": False, "falsk": False}
_DANISH_DATE = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")


@dataclass
class _Row:
    table: Table
    number: int
    data: dict[str, Any]


@dataclass
class Outcome:
    """What an import did (or, in a trial, would do), per table: new, changed and unchanged rows."""

    counts: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in KINDS})

    def lines(self) -> list[str]:
        return [f"{KINDS[k].label}: {c['ny']} nye, {c['ændret']} ændrede, {c['uændret']} uændrede"
                for k, c in self.counts.items() if sum(c.values())]


class _Errors(list):
    def add(self, table: Table, number: int | None, column: str | None, message: str) -> None:
        where = table.source + (f", række {number}" if number else "") + (f", kolonne «{column}»" if column else "")
        self.append(FieldError(where, message))


def import_catalogue(uow: UnitOfWork, username: str, tables: list[Table]) -> Outcome:
    """Check every row of every table, then write them all; any error raises and nothing is written."""
    actor = uow.session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    if actor is None:
        raise ValidationFailed("Indsatsviften er ikke indlæst.", [FieldError(
            "--bruger", f"Der er ingen aktiv bruger «{username}» (en procesejer eller administrator).")])
    catalogue.require_writer(actor)
    errors = _Errors()
    rows = {kind: [] for kind in KINDS}
    for table in tables:
        rows[table.kind].extend(_parse(table, errors))
    _check_keys(uow, rows, errors)
    if errors:
        raise ValidationFailed(f"Indsatsviften er ikke indlæst: {len(errors)} fejl. Intet er ændret.", errors)
    outcome = Outcome()
    for row in rows["indsatser"]:
        outcome.counts["indsatser"][_put(uow, actor, Indsats, row.data, catalogue.create_indsats,
                                         catalogue.update_indsats)] += 1
    for row in rows["leverandoerer"]:
        outcome.counts["leverandoerer"][_put(uow, actor, Leverandoer, row.data, catalogue.create_leverandoer,
                                             catalogue.update_leverandoer)] += 1
    for row in rows["standardkontrakter"]:
        outcome.counts["standardkontrakter"][_put_contract(uow, actor, row.data)] += 1
    return outcome


# --- Reading and checking each row -------------------------------------------------------------------------

def _parse(table: Table, errors: _Errors) -> list[_Row]:
    kind = KINDS[table.kind]
    known = {h.lower(): f for h, f in kind.columns.items()}
    header_of = {f: h for h, f in kind.columns.items()}
    positions: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        if not header:
            continue
        name = known.get(header.lower())
        if name is None:
            errors.add(table, 1, header, f"Ukendt kolonne. Kolonnerne er: {', '.join(kind.columns)}.")
        elif name in positions:
            errors.add(table, 1, header, "Kolonnen står to gange.")
        else:
            positions[name] = index
    required = [f for f, spec in kind.schema.fields.items() if spec.required and f in header_of]
    for name in required:
        if name not in positions:
            errors.add(table, 1, header_of[name], "Kolonnen mangler.")
    if any(f not in positions for f in required):
        return []
    parsed = []
    for number, cells in table.rows:
        raw = {name: cell_text(cells[i]) if i < len(cells) else None for name, i in positions.items()}
        try:
            data = kind.schema.load(_prepared(kind.schema, raw))
        except ValidationError as err:
            for name, messages in err.messages.items():
                for message in messages if isinstance(messages, list) else [str(messages)]:
                    errors.add(table, number, header_of.get(name, name), message)
            continue
        parsed.append(_Row(table, number, data))
    return parsed


def _prepared(schema: Schema, raw: dict[str, str | None]) -> dict[str, Any]:
    """Cells as the schema reads them: Danish decimal commas, dates and yes/no; an empty required cell missing."""
    values: dict[str, Any] = {}
    for name, text in raw.items():
        spec = schema.fields[name]
        if text is None:
            if not spec.required:  # the file is the truth: an empty optional cell clears the field
                values[name] = True if name == "aktiv" else None
            continue
        if isinstance(spec, fields.Decimal) and "," in text:
            text = text.replace(".", "").replace(" ", "").replace(",", ".")
        elif isinstance(spec, fields.Date) and (match := _DANISH_DATE.match(text)):
            day, month, year = match.groups()
            text = f"{year}-{int(month):02d}-{int(day):02d}"
        elif isinstance(spec, fields.Boolean):
            values[name] = _BOOLEANS.get(text.lower(), text)
            continue
        elif isinstance(spec, fields.Integer) and re.fullmatch(r"-?\d+", text):
            values[name] = int(text)
            continue
        values[name] = text
    return values


def _check_keys(uow: UnitOfWork, rows: dict[str, list[_Row]], errors: _Errors) -> None:
    for kind in ("indsatser", "leverandoerer"):
        _check_unique_in_file(rows[kind], ("kode",), errors)
        _check_names(uow, Indsats if kind == "indsatser" else Leverandoer, rows[kind], errors)
    for row in rows["indsatser"]:
        _check(row, errors, catalogue.check_price)
    contracts = rows["standardkontrakter"]
    _check_unique_in_file(contracts, ("indsats", "leverandoer"), errors)
    known = {"indsats": {r.data["kode"] for r in rows["indsatser"]} | set(uow.session.scalars(select(Indsats.kode))),
             "leverandoer": {r.data["kode"] for r in rows["leverandoerer"]}
             | set(uow.session.scalars(select(Leverandoer.kode)))}
    for row in contracts:
        for name, what in (("indsats", "indsats"), ("leverandoer", "leverandør")):
            if row.data[name] not in known[name]:
                errors.add(row.table, row.number, _header("standardkontrakter", name),
                           f"Der er ingen {what} med koden «{row.data[name]}» i filen eller i indsatsviften.")
        _check(row, errors, catalogue.check_period)


def _check(row: _Row, errors: _Errors, check: Any) -> None:
    try:
        check(row.data)
    except ValidationFailed as err:
        for e in err.errors:
            errors.add(row.table, row.number, _header(row.table.kind, e.field), e.message)


def _header(kind: str, name: str) -> str:
    return next((h for h, f in KINDS[kind].columns.items() if f == name), name)


def _check_unique_in_file(rows: list[_Row], key: tuple[str, ...], errors: _Errors) -> None:
    first: dict[tuple, _Row] = {}
    for row in rows:
        value = tuple(row.data[k] for k in key)
        if value in first:
            errors.add(row.table, row.number, _header(row.table.kind, key[0]),
                       f"«{' / '.join(value)}» står også i række {first[value].number}.")
        else:
            first[value] = row


def _check_names(uow: UnitOfWork, model: type[Indsats] | type[Leverandoer], rows: list[_Row],
                 errors: _Errors) -> None:
    """Names are unique too: against the other rows of the file and the stored rows the file does not change."""
    in_file = {r.data["kode"] for r in rows}
    taken = {navn: kode for kode, navn in uow.session.execute(select(model.kode, model.navn)) if kode not in in_file}
    seen: dict[str, _Row] = {}
    for row in rows:
        navn = row.data["navn"]
        if navn in taken:
            errors.add(row.table, row.number, "Navn", f"Navnet bruges allerede af «{taken[navn]}».")
        elif navn in seen:
            errors.add(row.table, row.number, "Navn", f"Navnet står også i række {seen[navn].number}.")
        else:
            seen[navn] = row


# --- Writing -----------------------------------------------------------------------------------------------

def _changes(stored: Any, data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if getattr(stored, k) != v}


def _put(uow: UnitOfWork, actor: User, model: type[Indsats] | type[Leverandoer], data: dict[str, Any],
         create: Any, update: Any) -> str:
    stored = uow.session.scalar(select(model).where(model.kode == data["kode"]))
    if stored is None:
        active = data.pop("aktiv", True)
        row = create(uow, actor, data)
        if not active:
            update(uow, actor, row.id, {"aktiv": False})
        return "ny"
    changes = _changes(stored, {k: v for k, v in data.items() if k != "kode"})
    if changes:
        update(uow, actor, stored.id, changes)
    return "ændret" if changes else "uændret"


def _put_contract(uow: UnitOfWork, actor: User, data: dict[str, Any]) -> str:
    indsats_id = uow.session.scalar(select(Indsats.id).where(Indsats.kode == data.pop("indsats")))
    leverandoer_id = uow.session.scalar(select(Leverandoer.id).where(Leverandoer.kode == data.pop("leverandoer")))
    stored = uow.session.scalar(select(Standardkontrakt).where(
        Standardkontrakt.indsats_id == indsats_id, Standardkontrakt.leverandoer_id == leverandoer_id))
    if stored is None:
        catalogue.create_standardkontrakt(uow, actor, {**data, "indsats_id": indsats_id,
                                                       "leverandoer_id": leverandoer_id})
        return "ny"
    changes = _changes(stored, data)
    if changes:
        catalogue.update_standardkontrakt(uow, actor, stored.id, changes)
    return "ændret" if changes else "uændret"


def report(outcome: Outcome, *, trial: bool) -> list[str]:
    head = "Prøve: intet er gemt. Sådan ville indlæsningen gå:" if trial else "Indsatsviften er indlæst."
    return [head, *outcome.lines()] if outcome.lines() else [head, "Filen har ingen rækker."]

