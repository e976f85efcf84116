"""`sagsflow bruger …` and `sagsflow team …`: the administrator's commands, e.g. for the first administrator.

A password is never an argument (it would show in `ps` and the shell history): it is typed at a prompt, read
from standard input, or chosen by Sagsflow and printed once. Every change is logged as made by "cli:<os user>".
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any

from service.access.models import ROLE_NAMES, ROLES
from service.brugere import service as brugere
from service.brugere import teams
from service.brugere.changes import Actor
from service.config import Settings
from service.db import make_engine, make_session_factory
from service.errors import ValidationFailed
from service.uow import UnitOfWork

COMMANDS = ("bruger", "team")
_OPTIONS = {"brugernavn": "brugernavn", "navn": "--navn", "email": "--email", "rolle": "--rolle",
            "team_id": "--team", "adgangskode": "adgangskode", "aktiv": "bruger", "team_navn": "navn"}


def add_parsers(sub: Any) -> None:
    user = sub.add_parser("bruger", help="opret, ret, deaktivér og list brugere (administration)")
    users = user.add_subparsers(dest="handling", required=True)
    create = users.add_parser("opret", help="opret en bruger (også den første administrator i en tom database)")
    create.add_argument("brugernavn")
    create.add_argument("--navn", required=True, help="fulde navn")
    create.add_argument("--rolle", required=True, choices=ROLES)
    create.add_argument("--team", help="teamets navn (skal angives for rådgivere og teamledere)")
    create.add_argument("--email")
    _password_options(create)
    edit = users.add_parser("ret", help="ret navn, brugernavn, e-mail, rolle eller team")
    edit.add_argument("brugernavn")
    edit.add_argument("--nyt-brugernavn")
    edit.add_argument("--navn")
    edit.add_argument("--email", help="tom tekst fjerner e-mailadressen")
    edit.add_argument("--rolle", choices=ROLES)
    edit.add_argument("--team", help="teamets navn")
    for name, text in (("deaktiver", "deaktivér: kan ikke logge ind, logges ud, tagne opgaver frigives"),
                       ("aktiver", "aktivér en deaktiveret bruger igen")):
        users.add_parser(name, help=text).add_argument("brugernavn")
    move = users.add_parser("flyt", help="flyt en rådgiver eller teamleder til et andet team")
    move.add_argument("brugernavn")
    move.add_argument("--team", required=True, help="det nye teams navn")
    reset = users.add_parser("nulstil-adgangskode", help="sæt en ny adgangskode; brugeren logges ud overalt")
    reset.add_argument("brugernavn")
    _password_options(reset)
    listing = users.add_parser("liste", help="vis brugerne")
    listing.add_argument("--rolle", choices=ROLES)
    listing.add_argument("--team", help="teamets navn")
    listing.add_argument("--soeg", help="søg i brugernavn, navn og e-mail")

    team = sub.add_parser("team", help="opret, omdøb, nedlæg og list teams (administration)")
    team_cmds = team.add_subparsers(dest="handling", required=True)
    team_cmds.add_parser("opret", help="opret et team").add_argument("navn")
    rename = team_cmds.add_parser("omdoeb", help="omdøb et team")
    rename.add_argument("navn")
    rename.add_argument("nyt_navn")
    team_cmds.add_parser("nedlaeg", help="nedlæg et team uden aktive brugere og åbne sager").add_argument("navn")
    team_cmds.add_parser("genopret", help="genopret et nedlagt team").add_argument("navn")
    team_cmds.add_parser("liste", help="vis teamene")


def _password_options(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--adgangskode-fra-stdin", action="store_true",
                        help="læs adgangskoden fra første linje på standard input (fx fra en hemmelighedsfil)")
    source.add_argument("--generer-adgangskode", action="store_true",
                        help="lad Sagsflow vælge en midlertidig adgangskode; den skrives ud denne ene gang")


class _Refused(Exception):
    pass


def _password(args: argparse.Namespace) -> str | None:
    """The password from standard input or a prompt; None: Sagsflow chooses one."""
    if args.generer_adgangskode:
        return None
    if args.adgangskode_fra_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise _Refused("Ingen terminal til at spørge om adgangskoden: brug --adgangskode-fra-stdin eller "
                       "--generer-adgangskode.")
    first = getpass.getpass("Ny adgangskode (mindst 12 tegn): ")
    if getpass.getpass("Gentag adgangskoden: ") != first:
        raise _Refused("De to adgangskoder er ikke ens.")
    return first


def run(args: argparse.Namespace, settings: Settings) -> int:
    from service.cli import migrate
    migrate(settings)  # an empty database gets its tables, so the first administrator can be created
    engine = make_engine(settings.database_url)
    try:
        with UnitOfWork(make_session_factory(engine)) as uow:
            lines = _HANDLERS[(args.command, args.handling)](uow, Actor.command_line(), args)
            uow.commit()
    except _Refused as err:
        print(f"Fejl: {err}", file=sys.stderr)
        return 2
    except ValidationFailed as err:
        print(f"Fejl: {err}", file=sys.stderr)
        for e in err.errors:
            print(f"  {_OPTIONS.get(e.field, e.field)}: {e.message}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    for line in lines:
        print(line)
    return 0


def _team_id(uow: UnitOfWork, name: str | None) -> int | None:
    return teams.by_name(uow, name).id if name else None


def _describe(user: Any) -> str:
    team = f", {user.team.navn}" if user.team else ""
    state = "" if user.active else " – deaktiveret"
    return f"{user.username:<20} {user.full_name} ({ROLE_NAMES.get(user.role, user.role)}{team}){state}"


def _create(uow: UnitOfWork, actor: Actor, args: argparse.Namespace) -> list[str]:
    values = {"brugernavn": args.brugernavn, "navn": args.navn, "rolle": args.rolle, "email": args.email,
              "team_id": _team_id(uow, args.team), "adgangskode": _password(args)}
    created = brugere.create_user(uow, actor, values)
    lines = [f"Oprettet: {_describe(created.user)}"]
    if created.one_time_password:
        lines.append(f"Midlertidig adgangskode (vises kun nu): {created.one_time_password}")
    return lines


def _edit(uow: UnitOfWork, actor: Actor, args: argparse.Namespace) -> list[str]:
    user = brugere.by_username(uow, args.brugernavn)
    values: dict[str, Any] = {key: value for key, value in (
        ("brugernavn", args.nyt_brugernavn), ("navn", args.navn), ("email", args.email), ("rolle", args.rolle))
        if value is not None}
    if args.team is not None:
        values["team_id"] = _team_id(uow, args.team)
    return [f"Rettet: {_describe(brugere.edit_user(uow, actor, user.id, values))}"]


def _user_action(action: Callable[..., Any], done: str) -> Callable[[UnitOfWork, Actor, argparse.Namespace], list[str]]:
    def handler(uow: UnitOfWork, actor: Actor, args: argparse.Namespace) -> list[str]:
        user = action(uow, actor, brugere.by_username(uow, args.brugernavn).id)
        return [f"{done}: {_describe(user)}"]
    return handler


def _move(uow: UnitOfWork, actor: Actor, args: argparse.Namespace) -> list[str]:
    user = brugere.by_username(uow, args.brugernavn)
    return [f"Flyttet: {_describe(brugere.move_user(uow, actor, user.id, _team_id(uow, args.team)))}"]


def _reset(uow: UnitOfWork, actor: Actor, args: argparse.Namespace) -> list[str]:
    user = brugere.by_username(uow, args.brugernavn)
    chosen = brugere.reset_password(uow, actor, user.id, _password(args))
    return [f"Ny adgangskode sat for {user.username}; brugeren er logget ud overalt."] + (
        [f"Midlertidig adgangskode (vises kun nu): {chosen}"] if chosen else [])


def _list_users(uow: UnitOfWork, _actor: Actor, args: argparse.Namespace) -> list[str]:
    found = brugere.list_users(uow, search=args.soeg, role=args.rolle, team_id=_team_id(uow, args.team))
    return [_describe(u) for u in found] or ["Ingen brugere."]


def _team_action(action: Callable[..., Any], done: str) -> Callable[[UnitOfWork, Actor, argparse.Namespace], list[str]]:
    def handler(uow: UnitOfWork, actor: Actor, args: argparse.Namespace) -> list[str]:
        return [f"{done}: {action(uow, actor, teams.by_name(uow, args.navn).id).navn}"]
    return handler


def _rename_team(uow: UnitOfWork, actor: Actor, args: argparse.Namespace) -> list[str]:
    old = teams.by_name(uow, args.navn)
    name = old.navn
    return [f"Omdøbt: {name} → {teams.rename_team(uow, actor, old.id, args.nyt_navn).navn}"]


def _create_team(uow: UnitOfWork, actor: Actor, args: argparse.Namespace) -> list[str]:
    return [f"Oprettet: {teams.create_team(uow, actor, args.navn).navn}"]


def _list_teams(uow: UnitOfWork, _actor: Actor, _args: argparse.Namespace) -> list[str]:
    return [f"{row.team.navn:<30} {row.members} aktive brugere, {row.open_cases} åbne sager"
            + ("" if row.team.active else " – nedlagt") for row in teams.list_teams(uow)] or ["Ingen teams."]


_HANDLERS: dict[tuple[str, str], Callable[[UnitOfWork, Actor, argparse.Namespace], list[str]]] = {
    ("bruger", "opret"): _create, ("bruger", "ret"): _edit, ("bruger", "flyt"): _move,
    ("bruger", "deaktiver"): _user_action(brugere.deactivate_user, "Deaktiveret"),
    ("bruger", "aktiver"): _user_action(brugere.reactivate_user, "Aktiveret"),
    ("bruger", "nulstil-adgangskode"): _reset, ("bruger", "liste"): _list_users,
    ("team", "opret"): _create_team, ("team", "omdoeb"): _rename_team,
    ("team", "nedlaeg"): _team_action(teams.deactivate_team, "Nedlagt"),
    ("team", "genopret"): _team_action(teams.reactivate_team, "Genoprettet"), ("team", "liste"): _list_teams,
}
