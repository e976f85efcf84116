"""A case's phase, as the case process declares it: each user task names the phase it belongs to (the Camunda
property «fase» in the model), so the phase follows the model a process owner draws, not the open task names.

The phases run in this order; a case with tasks of several phases open (a new underretning arriving while a
measure is followed up) is in the furthest one, since the earlier work is a side track of the case as it stands.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import case

from service.engine.phases import PHASES

CLOSED = PHASES["afsluttet"]
ORDER = {label: n for n, label in enumerate(PHASES.values())}


def furthest(declared: Iterable[str | None]) -> str | None:
    """The label of the furthest phase among the open tasks' declared phases; None when none declares one
    (e.g. only a team leader's escalation task is open: the case stays where it was)."""
    labels = [PHASES[value] for value in declared if value in PHASES]
    return max(labels, key=ORDER.__getitem__) if labels else None


def in_order(labels: Iterable[str]) -> list[str]:
    """Phase labels in the case's order (older stored phases, not in the list, last and alphabetically)."""
    return sorted(set(labels), key=lambda label: (ORDER.get(label, len(ORDER)), label))


def sort_key(column: Any) -> Any:
    """SQL ordering of a phase column in the case's order (sorting the lists by «Fase»)."""
    return case(ORDER, value=column, else_=len(ORDER))
