"""What a model file declares and what it refers to (lxml only).

A deployed version holds a BPMN file together with every BPMN and DMN file it reaches through
call activities (calledElement) and business rule tasks (camunda:decisionRef).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
DMN_NAMESPACES = ("https://www.omg.org/spec/DMN/20230324/MODEL/",  # 1.5
                  "https://www.omg.org/spec/DMN/20211108/MODEL/",  # 1.4
                  "https://www.omg.org/spec/DMN/20191111/MODEL/",  # 1.3
                  "http://www.omg.org/spec/DMN/20180521/MODEL/",  # 1.2
                  "http://www.omg.org/spec/DMN/20151101/dmn.xsd")  # 1.1


@dataclass(frozen=True)
class Declared:
    processes: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    called_processes: frozenset[str] = field(default_factory=frozenset)
    called_decisions: frozenset[str] = field(default_factory=frozenset)


def root_element(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)  # noqa: S320 - lxml default parser: no network, no entities resolved


def declared(xml: bytes) -> Declared:
    """Ids a file declares (executable processes, decisions) and ids it calls."""
    root = root_element(xml)
    if root.tag.startswith("{" + BPMN_NS):
        return Declared(
            processes=tuple(p.get("id") for p in root.iter(f"{{{BPMN_NS}}}process")
                            if p.get("isExecutable", "false") == "true"),
            called_processes=frozenset(c.get("calledElement") for c in root.iter(f"{{{BPMN_NS}}}callActivity")
                                       if c.get("calledElement")),
            called_decisions=frozenset(t.get(f"{{{CAMUNDA_NS}}}decisionRef") for t in
                                       root.iter(f"{{{BPMN_NS}}}businessRuleTask")
                                       if t.get(f"{{{CAMUNDA_NS}}}decisionRef")))
    decisions = tuple(d.get("id") for ns in DMN_NAMESPACES for d in root.iter(f"{{{ns}}}decision"))
    return Declared(decisions=decisions)
