"""Reading the municipality's indsatsvifte from CSV or XLSX into plain rows (the columns are in deploy/README.md).

An XLSX workbook holds up to three sheets named after the tables; a CSV file is one table, told apart by its
columns. Cells come back as text, numbers, dates or booleans as the file has them; importer.py checks them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from service.errors import FieldError, ValidationFailed

Cell = str | int | float | bool | date | datetime | None


@dataclass(frozen=True)
class Table:
    kind: str  # "indsatser", "leverandoerer" or "standardkontrakter"
    source: str  # file (and sheet) for messages
    headers: list[str]
    rows: list[tuple[int, list[Cell]]]  # (row number as the spreadsheet shows it, cells)


# Sheet names and the columns that tell a CSV file's table apart (lower case).
SHEETS = {"indsatser": "Indsatser", "leverandoerer": "Leverandører", "standardkontrakter": "Standardkontrakter"}
_TELLS = (("standardkontrakter", {"indsats", "leverandør"}), ("leverandoerer", {"type"}),
          ("indsatser", {"målgruppe"}))


def read(path: Path) -> list[Table]:
    if not path.is_file():
        raise _unreadable(path, "Filen findes ikke.")
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path)
    if path.suffix.lower() == ".csv":
        return [_read_csv(path)]
    raise _unreadable(path, "Kun .csv og .xlsx kan indlæses.")


def _unreadable(path: Path, message: str) -> ValidationFailed:
    return ValidationFailed("Indsatsviften er ikke indlæst.", [FieldError(str(path), message)])


def _read_csv(path: Path) -> Table:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")  # Danish Excel's "CSV (semikolonsepareret)" without UTF-8
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)  # Danish Excel writes ';'
    lines = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    if not lines:
        raise _unreadable(path, "Filen er tom.")
    headers = [h.strip() for h in lines[0]]
    lowered = {h.lower() for h in headers}
    kind = next((k for k, tells in _TELLS if tells <= lowered), None)
    if kind is None:
        raise _unreadable(path, "Kan ikke se, om filen er indsatser, leverandører eller standardkontrakter: "
                                "den skal have kolonnen «Målgruppe» (indsatser), «Type» (leverandører) eller "
                                "«Indsats» og «Leverandør» (standardkontrakter).")
    rows = [(n, list(cells)) for n, cells in enumerate(lines[1:], start=2) if any(c.strip() for c in cells)]
    return Table(kind, path.name, headers, rows)


def _read_xlsx(path: Path) -> list[Table]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as err:
        raise _unreadable(path, f"Filen kan ikke læses som et Excel-ark ({type(err).__name__}).") from None
    by_name = {name.strip().lower(): name for name in book.sheetnames}
    tables = []
    for kind, sheet_name in SHEETS.items():
        name = by_name.get(sheet_name.lower())
        if name is None:
            continue
        cells = list(book[name].iter_rows(values_only=True))
        if not cells:
            continue
        headers = [str(h).strip() if h is not None else "" for h in cells[0]]
        rows = [(n, list(row)) for n, row in enumerate(cells[1:], start=2)
                if any(c is not None and str(c).strip() for c in row)]
        tables.append(Table(kind, f"{path.name}, arket «{name}»", headers, rows))
    book.close()
    if not tables:
        raise _unreadable(path, f"Arbejdsbogen har ingen af arkene {', '.join(f'«{s}»' for s in SHEETS.values())}.")
    return tables


def cell_text(value: Any) -> str | None:
    """A cell as text, or None when it is empty."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None
