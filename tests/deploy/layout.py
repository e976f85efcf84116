"""Readers for deploy/: the Procfile, systemd units and the Compose file, each reduced to plain commands."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from service.config import ROOT

DEPLOY = ROOT / "deploy"
SYSTEMD = DEPLOY / "systemd"
VENV_BIN = "/opt/sagsflow/venv/bin/"
_DEFAULTED = re.compile(r"\$\{(\w+):-([^}]*)\}")


def procfile() -> dict[str, str]:
    types = {}
    for line in (DEPLOY / "Procfile").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, command = line.split(":", 1)
            types[name.strip()] = command.strip()
    return types


def defaults(command: str) -> dict[str, str]:
    """The ${VAR:-default} values a Procfile command falls back on."""
    return dict(_DEFAULTED.findall(command))


def without_defaults(command: str) -> str:
    """systemd expands ${VAR} but knows no ':-default'; the unit gives the default with Environment=."""
    return _DEFAULTED.sub(r"${\1}", command)


def unit(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Sections of a unit file as (key, value) lists: systemd allows a key more than once (ExecStart=)."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), [])
            continue
        key, value = line.split("=", 1)
        current.append((key.strip(), value.strip()))
    return sections


def values(sections: dict[str, list[tuple[str, str]]], section: str, key: str) -> list[str]:
    return [v for k, v in sections.get(section, []) if k == key]


def unit_environment(sections: dict[str, list[tuple[str, str]]]) -> dict[str, str]:
    pairs = (item.split("=", 1) for v in values(sections, "Service", "Environment") for item in shlex.split(v))
    return dict(pairs)


def unit_command(sections: dict[str, list[tuple[str, str]]]) -> str:
    """The unit's ExecStart lines as one Procfile command: oneshot steps run in order, stopping at a failure."""
    commands = values(sections, "Service", "ExecStart")
    assert all(c.startswith(VENV_BIN) for c in commands), commands
    return " && ".join(c.removeprefix(VENV_BIN) for c in commands)


def compose_command(service: dict) -> str:
    """A Compose service's command as the Procfile writes it: `sh -c` (so the container's environment fills in
    the defaults), `$$` being Compose's escape of `$`, and `exec` so the process gets the stop signal."""
    command = service["command"]
    assert command[:2] == ["sh", "-c"] and len(command) == 3, command
    return command[2].replace("$$", "$").removeprefix("exec ")
