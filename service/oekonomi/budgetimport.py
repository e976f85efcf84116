"""Budgets from a CSV file (År; Team; Indsats; Budget): every line checked first, then all set or none.

Team by its name, Indsats by its code in the indsatsvifte, Budget in Danish kroner. A line for a year, team and
measure that has a budget changes it, so the same file can be imported again. An administrator imports.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from service.access.models import Team, User
from service.errors import FieldError, Forbidden, ValidationFailed
from service.indsatsvifte.models import Indsats
from service.oekonomi import budget
from service.oekonomi.beloeb import BeloebUgyldigt, parse_kroner
from service.oekonomi.betalingsimport import csv_rows
from service.uow import UnitOfWork

COLUMNS = {"år": "aar", "team": "team", "indsats": "indsats", "budget": "budget"}
HEADER_OF = {"aar": "År", "team": "Team", "indsats": "Indsats", "budget": "Budget"}
REFUSED = "Budgetterne er ikke indlæst"


def import_budgets(uow: UnitOfWork, actor: User, raw: bytes) -> int:
    """Set every line's budget in the caller's one transaction, or raise with every line's errors."""
    if actor.role != "admin":
        raise Forbidden("Kun administratorer kan indlæse budgetter fra en fil.")
    errors: list[FieldError] = []

    def add(number: int, column: str | None, message: str) -> None:
        errors.append(FieldError(f"linje {number}" + (f", kolonne «{column}»" if column else ""), message))

    rows = csv_rows(raw)
    positions = {COLUMNS[h.strip().lower()]: i for i, h in enumerate(rows[0] if rows else [])
                 if h.strip().lower() in COLUMNS}
    for name, header in HEADER_OF.items():
        if name not in positions:
            add(1, header, "Kolonnen mangler.")
    if errors:
        raise ValidationFailed(f"{REFUSED}: kolonnerne er {'; '.join(HEADER_OF.values())}.", errors)
    teams = {t.navn.lower(): t.id for t in uow.session.scalars(select(Team))}
    measures = {i.kode: i.id for i in uow.session.scalars(select(Indsats))}
    parsed: list[tuple[int, int, int, int, int]] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        cell = {n: cells[i].strip() if i < len(cells) else "" for n, i in positions.items()}
        before = len(errors)
        aar = int(cell["aar"]) if cell["aar"].isdigit() and len(cell["aar"]) == 4 else None
        if aar is None:
            add(number, "År", f"«{cell['aar']}» er ikke et årstal.")
        team_id = teams.get(cell["team"].lower())
        if team_id is None:
            add(number, "Team", f"Teamet «{cell['team']}» findes ikke.")
        indsats_id = measures.get(cell["indsats"])
        if indsats_id is None:
            add(number, "Indsats", f"Indsatsen «{cell['indsats']}» findes ikke i indsatsviften (angiv koden).")
        try:
            oere = parse_kroner(cell["budget"])
            if oere < 0:
                add(number, "Budget", "Budgettet skal være 0 kr. eller mere.")
        except BeloebUgyldigt as err:
            add(number, "Budget", str(err))
            oere = 0
        if len(errors) == before and aar is not None and team_id is not None and indsats_id is not None:
            for problem in budget.check(uow, aar=aar, team_id=team_id, indsats_id=indsats_id, beloeb_oere=oere):
                add(number, HEADER_OF.get(problem.field, "År"), problem.message)
            parsed.append((number, aar, team_id, indsats_id, oere))
    twice = Counter((aar, team, indsats) for _, aar, team, indsats, _ in parsed)
    for number, aar, team, indsats, _ in parsed:
        if twice[(aar, team, indsats)] > 1:
            add(number, None, "Samme år, team og indsats står flere gange i filen.")
    if not parsed and not errors:
        add(2, None, "Filen har ingen budgetter.")
    if errors:
        raise ValidationFailed(f"{REFUSED}: {len(errors)} fejl i filen. Intet er gemt; ret filen og indlæs den igen.",
                               errors)
    for _, aar, team, indsats, oere in parsed:
        budget.put(uow, actor, aar=aar, team_id=team, indsats_id=indsats, beloeb_oere=oere)
    return len(parsed)
