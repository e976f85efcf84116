"""The case phase a user task declares (Camunda property «fase», service/engine/phases.py) must be one Sagsflow
knows: a misspelt phase would leave the case's phase unchanged without a word, so it is refused at deploy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from service.engine.bundle import CAMUNDA_NS
from service.engine.decision_checks import Problem
from service.engine.model_errors import shown_element
from service.engine.phases import PHASES, PROPERTY

DECLARABLE = tuple(value for value in PHASES if value != "afsluttet")  # a case is closed by its process ending


def problems(root: Any) -> Iterator[Problem]:
    for node in root.iter(f"{{{CAMUNDA_NS}}}property"):
        if node.get("name") != PROPERTY or node.get("value") in DECLARABLE:
            continue
        owner = shown_element(node)
        element = owner.get("id") if owner is not None else ""
        name = (owner.get("name") or element or "?")[:80] if owner is not None else "?"
        value = (node.get("value") or "")[:40]
        yield Problem(element or "", f"Opgaven «{name}» har fasen «{value}», som Sagsflow ikke kender. Skriv en af: "
                                     f"{', '.join(DECLARABLE)} (egenskaben «fase» under «Extension properties»).",
                      element)
