"""The `sagsflow` command: init-db / migrate, deploy, indsatsvifte importer, arkiv, seed-demo, serve; bruger and team
(service/brugere/cli.py); oekonomi betalinger / budget (service/oekonomi/cli.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from service.config import ConfigError, Settings
from service.db import check_start, make_engine, make_session_factory
from service.uow import UnitOfWork

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def migrate(settings: Settings) -> None:
    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(settings.database_url), "head")


def deploy(settings: Settings, *, keep_owner_changes: bool = True) -> list[str]:
    from service.deadlines import catalogue
    from service.indsatsvifte import kontrakter
    from service.process_models import service as process_models
    deadline_ids = frozenset(catalogue.load(settings.workflows_dir / "frister.toml").rules)
    check_letters(settings)  # the letters the processes write must work before anything is deployed
    engine = make_engine(settings.database_url)
    with UnitOfWork(make_session_factory(engine)) as uow:
        outcomes = process_models.deploy_directory(uow, workflows_dir=settings.workflows_dir,
                                                   forms_dir=settings.forms_dir, deadline_ids=deadline_ids,
                                                   keep_owner_changes=keep_owner_changes)
        uow.commit()
        ready = kontrakter.catalogue_ready(uow)
        lines = [f"{o.version.process_id}: {o.version.filename} i workflows/ er ændret, men ikke udrullet: en "
                 f"procesejer har udrullet version {o.version.version} i appen. Udrul filen dér (eller med "
                 "«sagsflow deploy --tving»)." if o.kept else
                 f"{o.version.process_id} version {o.version.version} "
                 f"({'ny' if o.created else 'uændret'}) fra {o.version.filename}" for o in outcomes]
        if not ready:  # deploy succeeds, but no case can get past Iværksættelse until the catalogue is loaded
            lines.append("Advarsel: indsatsviften er tom (ingen aktiv indsats med en standardkontrakt), så ingen "
                         "sag kan iværksætte en indsats. Indlæs den: sagsflow indsatsvifte importer FIL --bruger "
                         "BRUGERNAVN (se deploy/README.md).")
    engine.dispose()
    return lines


def import_catalogue(settings: Settings, files: list[Path], *, username: str, trial: bool) -> list[str]:
    """All files in one transaction: committed only if every row of every file is right and this is no trial."""
    from service.indsatsvifte import importer, importfil
    tables = [table for path in files for table in importfil.read(path)]
    engine = make_engine(settings.database_url)
    try:
        with UnitOfWork(make_session_factory(engine)) as uow:
            outcome = importer.import_catalogue(uow, username, tables)
            if not trial:
                uow.commit()
    finally:
        engine.dispose()
    return importer.report(outcome, trial=trial)


def check_letters(settings: Settings) -> list[str]:
    from service.letters import templates
    letters = templates.load(settings.letters_dir)
    children = f"; børnevenlig udgave: {', '.join(sorted(letters.child_versions))}" if letters.child_versions else ""
    return [f"Brevskabelonerne i {settings.letters_dir} er i orden ({', '.join(templates.KINDS)}{children}); "
            f"skabelon-hash {letters.template_hash[:12]}."]


def due_report(settings: Settings, *, hours: int) -> list[str]:
    from datetime import timedelta

    from service import clock
    from service.cases.models import Case
    from service.deadlines import service as deadlines
    from service.deadlines.calendar import COPENHAGEN
    engine = make_engine(settings.database_url)
    now = clock.now()
    with UnitOfWork(make_session_factory(engine)) as uow:
        rows = deadlines.due_timers(uow, within=timedelta(hours=hours))
        numbers = {c.id: c.sagsnummer for c in uow.session.query(Case).filter(Case.id.in_({r.case_id for r in rows}))}
        lines = [f"{'OVERSKREDET' if r.due_at <= now else 'forfalder  '} "
                 f"{r.due_at.astimezone(COPENHAGEN):%d-%m-%Y %H:%M}  sag {numbers[r.case_id]}  "
                 f"{'Advis' if r.kind == 'advis' else 'Frist'}: {r.name.split(': ', 1)[-1]}" for r in rows]
    engine.dispose()
    return lines or [f"Intet forfalder inden for {hours} timer."]


def clean_documents(settings: Settings, *, delete: bool) -> list[str]:
    from service.dokumenter import lager, oprydning
    engine = make_engine(settings.database_url)
    try:
        return oprydning.clean(make_session_factory(engine), lager.from_settings(settings), delete=delete)
    finally:
        engine.dispose()


def archive(settings: Settings, *, run: bool) -> list[str]:
    from service.arkiv import service as arkiv
    from service.deadlines.calendar import COPENHAGEN
    months = settings.archive_after_months
    engine = make_engine(settings.database_url)
    try:
        factory = make_session_factory(engine)
        if run:
            done = arkiv.archive_due(factory, months=months)
            return [*(f"arkiveret  sag {number}" for number in done),
                    f"{len(done)} {'sag' if len(done) == 1 else 'sager'} arkiveret (afsluttet for mindst {months} "
                    f"måneder siden)."]
        with UnitOfWork(factory) as uow:
            due = arkiv.due(uow, months=months)
            lines = [f"skal arkiveres  sag {c.sagsnummer}  afsluttet {c.closed_at.astimezone(COPENHAGEN):%d-%m-%Y}"
                     for c in due if c.closed_at]
        return [*lines, f"{len(lines)} {'sag' if len(lines) == 1 else 'sager'} skal arkiveres (afsluttet for mindst "
                        f"{months} måneder siden); arkivér med «sagsflow arkiv udfoer»."]
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sagsflow", description="Sagsflow: BPMN-workflow til børnesager")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init-db", help="opret/opgradér databasen (Alembic)")
    sub.add_parser("migrate", help="samme som init-db")
    deploy_cmd = sub.add_parser("deploy", help="validér og udrul procesmodellerne i workflows/")
    deploy_cmd.add_argument("--tving", action="store_true",
                            help="udrul også over versioner, som en procesejer har udrullet i appen")
    vifte = sub.add_parser("indsatsvifte", help="kommunens indsatsvifte").add_subparsers(dest="vifte", required=True)
    vifte_import = vifte.add_parser("importer", help="indlæs indsatser, leverandører og standardkontrakter fra "
                                                     "CSV eller XLSX (alt eller intet; kendte koder opdateres)")
    vifte_import.add_argument("filer", nargs="+", type=Path, metavar="FIL", help=".csv eller .xlsx")
    vifte_import.add_argument("--bruger", required=True,
                              help="brugernavn på procesejeren eller administratoren, der indlæser (journaliseres)")
    vifte_import.add_argument("--proev", action="store_true",
                              help="kontrollér hver række og vis, hvad der ville ske; intet gemmes")
    sub.add_parser("breve", help="kontrollér brevskabelonerne i letters/ (dannes med prøvedata)")
    documents = sub.add_parser("dokumenter", help="sagernes dokumenter").add_subparsers(dest="dokumenter",
                                                                                       required=True)
    cleanup = documents.add_parser("oprydning", help="find filer i dokumentlageret, som intet dokument nævner "
                                                     "(efterladt af en upload, hvis transaktion fejlede), ældre end "
                                                     "et døgn")
    cleanup.add_argument("--slet", action="store_true", help="slet dem (ellers vises de kun)")
    archiving = sub.add_parser("arkiv", help="arkivér afsluttede sager efter SAGSFLOW_ARKIVERING_EFTER_MAANEDER "
                                             "(skrivebeskyttede, ude af listerne; intet slettes)")
    archiving_sub = archiving.add_subparsers(dest="arkiv", required=True)
    archiving_sub.add_parser("vis", help="vis de sager, der skal arkiveres")
    archiving_sub.add_parser("udfoer", help="arkivér dem (hver sag i sin egen transaktion, journaliseret)")
    sub.add_parser("seed-demo", help="opret demo-team, -brugere og -sager (kun demo-tilstand)")
    timers = sub.add_parser("timers", help="vis frister og advis, der forfalder (overskredne først)")
    timers.add_argument("--timer", type=int, default=24, help="vis hvad der forfalder inden for så mange timer")
    serve = sub.add_parser("serve", help="kør tjenesten")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument("--workers", type=int, default=1)
    from service.brugere import cli as administration
    from service.oekonomi import cli as economy
    administration.add_parsers(sub)
    economy.add_parsers(sub)
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    try:
        if args.command == "breve":
            settings.check()
        else:
            check_start(settings)
    except ConfigError as err:
        print(f"Fejl: {err}", file=sys.stderr)
        return 1

    from service.deadlines.catalogue import CatalogueInvalid
    from service.engine.spiff import ModelInvalid
    from service.errors import DomainError
    from service.letters.templates import LettersInvalid
    try:
        if args.command in administration.COMMANDS:
            return administration.run(args, settings)
        if args.command in economy.COMMANDS:
            return economy.run(args, settings)
        if args.command in ("init-db", "migrate"):
            migrate(settings)
            print("Databasen er opdateret.")
        elif args.command == "deploy":
            for line in deploy(settings, keep_owner_changes=not args.tving):
                print(line)
        elif args.command == "indsatsvifte":
            for line in import_catalogue(settings, args.filer, username=args.bruger, trial=args.proev):
                print(line)
        elif args.command == "dokumenter":
            for line in clean_documents(settings, delete=args.slet):
                print(line)
        elif args.command == "arkiv":
            for line in archive(settings, run=args.arkiv == "udfoer"):
                print(line)
        elif args.command == "breve":
            for line in check_letters(settings):
                print(line)
        elif args.command == "seed-demo":
            from service.demo import seed
            if not settings.demo_mode:
                print("seed-demo kræver demo-tilstand (SAGSFLOW_DEMO_MODE=1).", file=sys.stderr)
                return 2
            migrate(settings)
            deploy(settings)
            for line in seed(settings):
                print(line)
        elif args.command == "timers":
            for line in due_report(settings, hours=args.timer):
                print(line)
        elif args.command == "serve":
            from service.serve import run
            migrate(settings)
            for line in deploy(settings):
                if "(uændret)" not in line:  # only what changed is news at start-up
                    print(line)
            if settings.demo_mode:
                print("Demo: log ind som raadgiver1, teamleder1, procesejer1, afdelingsleder1 eller admin1 med "
                      "adgangskoden «demo».")
            run(settings, host=args.host, port=args.port, workers=args.workers)
    except (DomainError, ModelInvalid, CatalogueInvalid, LettersInvalid) as err:
        print(f"Fejl: {err}", file=sys.stderr)
        for e in getattr(err, "errors", []):
            print(f"  {e.field}: {e.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
