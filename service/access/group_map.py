"""Which of the identity provider's groups gives which Sagsflow role (and team): a TOML file the IT department owns.

    # /etc/sagsflow/grupper.toml: the first group (from the top) that a person is in decides
    "SG-Sagsflow-Teamledere-Nord" = { rolle = "teamleder", team = "Team Nord" }
    "SG-Sagsflow-Raadgivere-Nord" = { rolle = "raadgiver", team = "Team Nord" }
    "SG-Sagsflow-Procesejere"     = { rolle = "procesejer" }

TOML keys may hold anything in quotes, so Entra ID object ids and AD distinguished names ("CN=…,OU=…") work as
they are; an inline `a=b;c=d` syntax could not carry those.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from service.config import ConfigError


@dataclass(frozen=True)
class GroupRule:
    group: str
    role: str
    team: str | None


def load_group_map(path: Path) -> tuple[GroupRule, ...]:
    from service.access.models import ROLES
    from service.access.service import CASEWORK_ROLES  # casework happens in a team: these roles need one
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"SAGSFLOW_OIDC_GROUP_MAP: filen findes ikke: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"SAGSFLOW_OIDC_GROUP_MAP: {path} er ikke gyldig TOML: {err}") from None
    rules = []
    for group, entry in data.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("rolle"), str):
            raise ConfigError(f'{path}: gruppen "{group}" skal have formen {{ rolle = "…", team = "…" }}')
        role, team = entry["rolle"], entry.get("team")
        if role not in ROLES:
            raise ConfigError(f'{path}: gruppen "{group}" har ukendt rolle "{role}" (kendte: {", ".join(ROLES)})')
        if team is not None and (not isinstance(team, str) or not team.strip()):
            raise ConfigError(f'{path}: gruppen "{group}" har et tomt team')
        if role in CASEWORK_ROLES and team is None:
            raise ConfigError(f'{path}: gruppen "{group}" giver rollen {role}, som kræver et team')
        if unknown := set(entry) - {"rolle", "team"}:
            raise ConfigError(f'{path}: gruppen "{group}" har ukendte felter: {", ".join(sorted(unknown))}')
        rules.append(GroupRule(group, role, team.strip() if team else None))
    if not rules:
        raise ConfigError(f"{path}: ingen grupper er oversat til roller (så kan ingen logge ind)")
    return tuple(rules)


def match(rules: Iterable[GroupRule], groups: Iterable[str]) -> GroupRule | None:
    """The first rule (in file order) whose group the person is in; None: no access to Sagsflow."""
    member = set(groups)
    return next((rule for rule in rules if rule.group in member), None)
