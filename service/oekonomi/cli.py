"""`sagsflow oekonomi …`: the finance system's payments and the budgets from CSV files (all or nothing)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import select

from service.access.models import User
from service.config import Settings
from service.db import make_engine, make_session_factory
from service.errors import FieldError, ValidationFailed
from service.uow import UnitOfWork

COMMANDS = ("oekonomi",)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    economy = sub.add_parser("oekonomi", help="betalinger fra økonomisystemet og budgetter")
    commands = economy.add_subparsers(dest="oekonomi", required=True)
    payments = commands.add_parser("betalinger", help="indlæs økonomisystemets CSV-fil med betalinger (alt eller "
                                                      "intet; betalings-id'er, der er indlæst før, springes over)")
    budgets = commands.add_parser("budget", help="indlæs budgetter fra CSV (År; Team; Indsats; Budget); alt eller "
                                                 "intet, kendte budgetter ændres")
    for command in (payments, budgets):
        command.add_argument("fil", type=Path, metavar="FIL", help=".csv")
        command.add_argument("--bruger", required=True, help="administratorens brugernavn (journaliseres)")
        command.add_argument("--proev", action="store_true", help="kontrollér filen; intet gemmes")


def run(args: argparse.Namespace, settings: Settings) -> int:
    from service.oekonomi import betalingsimport, budgetimport
    if not args.fil.is_file():
        raise ValidationFailed("Filen er ikke indlæst.", [FieldError(str(args.fil), "Filen findes ikke.")])
    raw = args.fil.read_bytes()
    engine = make_engine(settings.database_url)
    try:
        with UnitOfWork(make_session_factory(engine)) as uow:
            actor = uow.session.scalar(select(User).where(User.username == args.bruger, User.active.is_(True)))
            if actor is None:
                raise ValidationFailed("Filen er ikke indlæst.", [FieldError(
                    "--bruger", f"Der er ingen aktiv bruger «{args.bruger}».")])
            if args.oekonomi == "betalinger":
                lines = betalingsimport.import_payments(uow, actor, filename=args.fil.name, raw=raw).lines()
            else:
                lines = [f"{budgetimport.import_budgets(uow, actor, raw)} budgetter sat."]
            if args.proev:
                lines.append("Prøve: intet er gemt.")
            else:
                uow.commit()
    finally:
        engine.dispose()
    for line in lines:
        print(line)
    return 0
