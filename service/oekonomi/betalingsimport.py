"""Payments from the finance system's CSV file: every line checked first, then all written or none.

Columns (the header line names them; case, order and spaces around them do not matter):
Betalings-id; Sagsnummer; Kontrakt; Betalingsdato; Beløb; Tekst (optional). Beløb in Danish kroner
(«1.234,50», negative for a credit), Betalingsdato as 31-12-2026, 31.12.2026 or 2026-12-31.

The finance system's Betalings-id makes a re-import idempotent: a line already imported with the same contract,
date and amount is skipped; the same id with other content is an error (corrections come as new payments).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from service import clock
from service.access.models import User
from service.cases.models import Case
from service.errors import FieldError, Forbidden, ValidationFailed
from service.indsatsvifte.models import IndividuelKontrakt
from service.journal import service as journal
from service.oekonomi.beloeb import BeloebUgyldigt, kroner, parse_kroner
from service.oekonomi.models import Betaling, Betalingsimport
from service.oekonomi.sag import check_payment, new_payment
from service.uow import UnitOfWork

COLUMNS = {"betalings-id": "ekstern_id", "sagsnummer": "sagsnummer", "kontrakt": "kontrakt_id",
           "betalingsdato": "betalingsdato", "beløb": "beloeb", "tekst": "tekst"}
REQUIRED = ("ekstern_id", "sagsnummer", "kontrakt_id", "betalingsdato", "beloeb")
HEADER_OF = {"ekstern_id": "Betalings-id", "sagsnummer": "Sagsnummer", "kontrakt_id": "Kontrakt",
             "betalingsdato": "Betalingsdato", "beloeb": "Beløb", "tekst": "Tekst"}
IMPORT_ROLES = ("admin",)
REFUSED = "Betalingerne er ikke indlæst"
_DATE = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")
_CHUNK = 900  # ids per IN (…): under SQLite's old limit of 999 bound values


@dataclass(frozen=True)
class Line:
    number: int
    ekstern_id: str
    sagsnummer: str
    kontrakt_id: str
    betalingsdato: date
    beloeb_oere: int
    tekst: str | None


@dataclass(frozen=True)
class Outcome:
    import_id: int | None
    linjer: int
    nye: int
    kendte: int

    def lines(self) -> list[str]:
        return [f"{self.linjer} linjer: {self.nye} nye betalinger indlæst, {self.kendte} var indlæst før "
                f"(samme betalings-id)."]


class _Errors(list):
    def add(self, number: int, column: str | None, message: str) -> None:
        self.append(FieldError(f"linje {number}" + (f", kolonne «{column}»" if column else ""), message))


def require_importer(user: User) -> None:
    if user.role not in IMPORT_ROLES:
        raise Forbidden("Kun administratorer kan indlæse betalinger fra økonomisystemet.")


def text_of(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # Danish Excel's CSV without UTF-8


def _parse_date(text: str) -> date:
    match = _DATE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    return date.fromisoformat(text)


def csv_rows(raw: bytes) -> list[list[str]]:
    """The file's rows; a file the csv module cannot read (a NUL byte, a cell of over 128 kB) is refused."""
    text = text_of(raw)
    first = text.split("\n", 1)[0]
    try:
        return list(csv.reader(io.StringIO(text), delimiter=max(";,\t", key=first.count)))
    except csv.Error as err:
        raise ValidationFailed(f"{REFUSED}: filen kan ikke læses som CSV.", [
            FieldError("fil", f"Filen kan ikke læses som CSV ({err}).")]) from None


def read(raw: bytes) -> tuple[list[Line], _Errors]:
    """The file's lines as payments, and every error found (line numbers as an editor shows them)."""
    errors = _Errors()
    rows = csv_rows(raw)
    if not rows or not any(c.strip() for c in rows[0]):
        errors.add(1, None, "Filen er tom: den første linje skal navngive kolonnerne "
                            f"({'; '.join(HEADER_OF.values())}).")
        return [], errors
    positions: dict[str, int] = {}
    for index, header in enumerate(rows[0]):
        name = COLUMNS.get(header.strip().lower())
        if not header.strip():
            continue
        if name is None:
            errors.add(1, header.strip(), f"Ukendt kolonne. Kolonnerne er: {'; '.join(HEADER_OF.values())}.")
        elif name in positions:
            errors.add(1, header.strip(), "Kolonnen står to gange.")
        else:
            positions[name] = index
    for name in REQUIRED:
        if name not in positions:
            errors.add(1, HEADER_OF[name], "Kolonnen mangler.")
    if errors:
        return [], errors
    lines = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        line = _line(number, {n: cells[i].strip() if i < len(cells) else "" for n, i in positions.items()}, errors)
        if line is not None:
            lines.append(line)
    return lines, errors


def _line(number: int, cell: dict[str, str], errors: _Errors) -> Line | None:
    before = len(errors)
    for name in REQUIRED:
        if not cell[name]:
            errors.add(number, HEADER_OF[name], "Skal udfyldes.")
    if len(cell["ekstern_id"]) > 64:
        errors.add(number, HEADER_OF["ekstern_id"], "Højst 64 tegn.")
    amount = day = None
    if cell["beloeb"]:
        try:
            amount = parse_kroner(cell["beloeb"])
        except BeloebUgyldigt as err:
            errors.add(number, HEADER_OF["beloeb"], str(err))
    if cell["betalingsdato"]:
        try:
            day = _parse_date(cell["betalingsdato"])
        except ValueError:
            errors.add(number, HEADER_OF["betalingsdato"],
                       f"«{cell['betalingsdato']}» er ikke en dato (skriv fx 31-12-2026).")
    if amount is not None and day is not None:
        for problem in check_payment(amount, day):
            errors.add(number, HEADER_OF["beloeb" if problem.field == "beloeb_oere" else problem.field],
                       problem.message)
    if len(errors) > before or amount is None or day is None:
        return None
    return Line(number, cell["ekstern_id"], cell["sagsnummer"], cell["kontrakt_id"], day, amount,
                cell.get("tekst") or None)


def _chunks(values: set[str]) -> list[list[str]]:
    ordered = sorted(values)
    return [ordered[i:i + _CHUNK] for i in range(0, len(ordered), _CHUNK)]


def _lookup(uow: UnitOfWork, lines: list[Line]) -> tuple[dict[str, Case], dict[str, IndividuelKontrakt],
                                                          dict[str, Betaling]]:
    cases: dict[str, Case] = {}
    for chunk in _chunks({line.sagsnummer for line in lines}):
        cases.update((c.sagsnummer, c) for c in uow.session.scalars(select(Case).where(Case.sagsnummer.in_(chunk))))
    contracts: dict[str, IndividuelKontrakt] = {}
    for chunk in _chunks({line.kontrakt_id for line in lines}):
        contracts.update((k.id, k) for k in uow.session.scalars(
            select(IndividuelKontrakt).where(IndividuelKontrakt.id.in_(chunk))))
    known: dict[str, Betaling] = {}
    for chunk in _chunks({line.ekstern_id for line in lines}):
        known.update((b.ekstern_id, b) for b in uow.session.scalars(select(Betaling).where(
            Betaling.ekstern_id.in_(chunk))) if b.ekstern_id)
    return cases, contracts, known


def import_payments(uow: UnitOfWork, actor: User, *, filename: str, raw: bytes) -> Outcome:
    """Check every line, then write the new payments in the caller's one transaction; any error raises, and then
    nothing is written."""
    require_importer(actor)
    lines, errors = read(raw)
    cases, contracts, known = _lookup(uow, lines) if lines else ({}, {}, {})
    seen = Counter(line.ekstern_id for line in lines)
    new: list[tuple[Line, Case, IndividuelKontrakt]] = []
    already = 0
    for line in lines:
        if seen[line.ekstern_id] > 1:
            errors.add(line.number, HEADER_OF["ekstern_id"],
                       f"Betalings-id «{line.ekstern_id}» står {seen[line.ekstern_id]} gange i filen.")
            continue
        case = cases.get(line.sagsnummer)
        contract = contracts.get(line.kontrakt_id)
        if case is None:
            errors.add(line.number, HEADER_OF["sagsnummer"], f"Sag «{line.sagsnummer}» findes ikke.")
            continue
        if contract is None or contract.case_id != case.id:
            errors.add(line.number, HEADER_OF["kontrakt_id"],
                       f"Sag {line.sagsnummer} har ingen indsats (individuel kontrakt) «{line.kontrakt_id}».")
            continue
        stored = known.get(line.ekstern_id)
        if stored is not None:
            if (stored.kontrakt_id, stored.betalingsdato, stored.beloeb_oere) == \
                    (contract.id, line.betalingsdato, line.beloeb_oere):
                already += 1
            else:
                errors.add(line.number, HEADER_OF["ekstern_id"], (
                    f"Betaling «{line.ekstern_id}» er indlæst før med andre oplysninger "
                    f"({kroner(stored.beloeb_oere)} den {stored.betalingsdato:%d-%m-%Y}). En rettelse skal komme "
                    "som en ny betaling med sit eget betalings-id."))
            continue
        new.append((line, case, contract))
    if not lines and not errors:
        errors.add(2, None, "Filen har ingen betalinger.")
    if errors:
        raise ValidationFailed(f"{REFUSED}: {len(errors)} {'fejl' if len(errors) == 1 else 'fejl'} i filen. "
                               "Intet er gemt; ret filen og indlæs den igen.", list(errors))
    batch = Betalingsimport(filnavn=filename[:300], sha256=hashlib.sha256(raw).hexdigest(), linjer=len(lines),
                            nye=len(new), kendte=already, indlaest=clock.now(), indlaest_af=actor.id)
    uow.session.add(batch)
    uow.session.flush()
    per_case: dict[str, list[int]] = defaultdict(list)
    for line, case, contract in new:
        uow.session.add(new_payment(contract, case, actor=actor, beloeb_oere=line.beloeb_oere,
                                    betalingsdato=line.betalingsdato, tekst=line.tekst, kilde="import",
                                    ekstern_id=line.ekstern_id, import_id=batch.id))
        per_case[case.id].append(line.beloeb_oere)
    for case_id, amounts in per_case.items():
        journal.record(uow, case_id=case_id, actor_id=actor.id, action="betalinger_indlaest",
                       title=f"{len(amounts)} {'betaling' if len(amounts) == 1 else 'betalinger'} "
                             f"({kroner(sum(amounts))}) indlæst fra økonomisystemet",
                       data={"import_id": batch.id})
    journal.record(uow, case_id=None, actor_id=actor.id, action="betalingsimport",
                   title=f"Betalinger indlæst fra økonomisystemet: {len(new)} nye, {already} kendte",
                   data=_summary(batch))
    uow.session.flush()
    return Outcome(batch.id, len(lines), len(new), already)


def _summary(batch: Betalingsimport) -> dict[str, Any]:
    return {"import_id": batch.id, "filnavn": batch.filnavn, "sha256": batch.sha256, "linjer": batch.linjer,
            "nye": batch.nye, "kendte": batch.kendte}
