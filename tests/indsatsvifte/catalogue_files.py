"""Small indsatsvifte files as a municipality would write them (CSV from Excel, or a workbook)."""

from __future__ import annotations

import csv
from pathlib import Path

INDSATS_HEADERS = ["Kode", "Navn", "Målgruppe", "Formål", "Indhold", "Lovgrundlag", "Omfang", "Hyppighed",
                   "Varighed", "Opfølgning", "Revisionsinterval (måneder)", "Samarbejdspartnere", "Leverandørkrav",
                   "Pris", "Prisenhed", "Aktiv"]
LEVERANDOER_HEADERS = ["Kode", "Navn", "Type", "CVR", "Adresse", "Kontaktperson", "Telefon", "E-mail", "Aktiv"]
KONTRAKT_HEADERS = ["Indsats", "Leverandør", "Gyldig fra", "Gyldig til", "Pris", "Prisenhed",
                    "Betalingsbetingelser", "Samarbejdsbetingelser", "Opfølgning", "Opsigelse"]


def indsats(kode: str, navn: str, **changes: str) -> dict[str, str]:
    row = {"Kode": kode, "Navn": navn, "Målgruppe": "Familier med børn 0–17 år", "Formål": "Trivsel i hjemmet",
           "Indhold": "Samtaler i hjemmet", "Lovgrundlag": "BL § 32, stk. 1", "Omfang": "2–4 timer pr. uge",
           "Hyppighed": "Ugentligt", "Varighed": "3–6 måneder", "Opfølgning": "Efter 3 måneder",
           "Revisionsinterval (måneder)": "12", "Samarbejdspartnere": "", "Leverandørkrav": "Børneattest",
           "Pris": "650,00", "Prisenhed": "time", "Aktiv": "ja"}
    return {**row, **changes}


def leverandoer(kode: str, navn: str, **changes: str) -> dict[str, str]:
    row = {"Kode": kode, "Navn": navn, "Type": "kommunal", "CVR": "12345678", "Adresse": "Skolegade 4, 4200 Slagelse",
           "Kontaktperson": "Lene Leder", "Telefon": "58 50 00 00", "E-mail": "familiehuset@kommune.example",
           "Aktiv": "ja"}
    return {**row, **changes}


def kontrakt(indsats_kode: str, leverandoer_kode: str, **changes: str) -> dict[str, str]:
    row = {"Indsats": indsats_kode, "Leverandør": leverandoer_kode, "Gyldig fra": "01-01-2026",
           "Gyldig til": "31-12-2027", "Pris": "650,00", "Prisenhed": "time",
           "Betalingsbetingelser": "Månedlig faktura bagud; 30 dage netto.", "Samarbejdsbetingelser": "",
           "Opfølgning": "Driftsmøde hvert halve år.", "Opsigelse": "3 måneders varsel."}
    return {**row, **changes}


def write_csv(path: Path, headers: list[str], rows: list[dict[str, str]], *, delimiter: str = ";",
              encoding: str = "utf-8-sig") -> Path:
    """As Danish Excel saves «CSV (semikolonsepareret)»."""
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(headers)
        writer.writerows([[row.get(h, "") for h in headers] for row in rows])
    return path


def write_xlsx(path: Path, sheets: dict[str, tuple[list[str], list[list[object]]]]) -> Path:
    from openpyxl import Workbook
    book = Workbook()
    book.remove(book.active)
    for name, (headers, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path
