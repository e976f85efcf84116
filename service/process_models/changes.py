"""What changed between two versions of a process, in the process owner's words.

Compares what the engine runs (elements, names, timers, conditions, scripts, forms, called processes and
tables), not the drawing: a model whose shapes were only moved has no changes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from lxml import etree

from service.engine.bundle import BPMN_NS, CAMUNDA_NS, DMN_NAMESPACES, root_element

_CONTAINERS = {"process", "subProcess", "transaction", "adHocSubProcess"}
_TYPES = {
    "userTask": "Brugeropgave", "scriptTask": "Scriptopgave", "serviceTask": "Serviceopgave",
    "businessRuleTask": "Forretningsregel", "task": "Opgave", "callActivity": "Kaldaktivitet",
    "subProcess": "Underproces", "startEvent": "Startbegivenhed", "endEvent": "Slutbegivenhed",
    "boundaryEvent": "Grænsebegivenhed", "intermediateCatchEvent": "Mellembegivenhed",
    "intermediateThrowEvent": "Mellembegivenhed", "exclusiveGateway": "Eksklusiv gateway",
    "parallelGateway": "Parallel gateway", "inclusiveGateway": "Inklusiv gateway",
    "eventBasedGateway": "Hændelsesbaseret gateway", "sequenceFlow": "Sekvensflow", "lane": "Bane",
}
# Child elements that are part of an element's meaning, with the word for them.
_PARTS = {"timeDate": "tidsudtryk", "timeDuration": "tidsudtryk", "timeCycle": "tidsudtryk",
          "conditionExpression": "betingelse", "script": "script", "loopCondition": "løkkebetingelse"}
_ATTRIBUTES = {"name": "navn", f"{{{CAMUNDA_NS}}}formKey": "formular", "calledElement": "kalder",
               f"{{{CAMUNDA_NS}}}decisionRef": "beslutningstabel", "attachedToRef": "sidder på",
               "cancelActivity": "afbryder", "sourceRef": "fra", "targetRef": "til",
               "default": "standardflow", "triggeredByEvent": "hændelses-underproces"}


@dataclass(frozen=True)
class Change:
    kind: str  # "tilføjet", "fjernet" or "ændret"
    what: str  # e.g. "Brugeropgave «Barnets plan» (barnets_plan)"
    details: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.what} {self.kind}" + (f": {'; '.join(self.details)}" if self.details else "")


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _short(text: str | None, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _is_flow_element(element: etree._Element) -> bool:
    parent = element.getparent()
    return parent is not None and _local(element.tag) in _TYPES and _local(parent.tag) in _CONTAINERS | {"laneSet"}


def _parts(element: etree._Element) -> list[etree._Element]:
    """The element's own descendants; the elements of a sub-process are compared on their own."""
    found = []
    for child in element:
        if isinstance(child.tag, str) and not _is_flow_element(child):
            found += [child, *_parts(child)]
    return found


def _signature(element: etree._Element) -> dict[str, str]:
    """What the engine reads from an element: chosen attributes, its meaningful parts, the rest as one value."""
    found = {word: element.get(attr) or "" for attr, word in _ATTRIBUTES.items() if element.get(attr) is not None}
    other, lane = [], []
    for part in _parts(element):
        name = _local(part.tag)
        if name in _PARTS:
            found[_PARTS[name]] = (part.text or "").strip()
        elif name == "flowNodeRef":
            lane.append((part.text or "").strip())
        elif name not in ("incoming", "outgoing", "documentation"):
            attrs = sorted((k, v) for k, v in part.attrib.items() if k != "id")
            other.append(f"{name}{attrs}{(part.text or '').strip()}")
    if lane:
        found["elementer i banen"] = ", ".join(sorted(lane))
    if other:
        found["øvrige egenskaber"] = "|".join(other)
    return found


def _elements(xml: str) -> dict[str, etree._Element]:
    root = root_element(xml.encode())
    return {e.get("id"): e for e in root.iter(f"{{{BPMN_NS}}}*")
            if e.get("id") and _is_flow_element(e)}


def _label(element: etree._Element) -> str:
    kind = _TYPES.get(_local(element.tag), _local(element.tag))
    name = element.get("name")
    return f"{kind} «{_short(name, 60)}» ({element.get('id')})" if name else f"{kind} {element.get('id')}"


def process_changes(old_xml: str, new_xml: str) -> list[Change]:
    old, new = _elements(old_xml), _elements(new_xml)
    changes = [Change("tilføjet", _label(new[i])) for i in new if i not in old]
    changes += [Change("fjernet", _label(old[i])) for i in old if i not in new]
    for element_id in (i for i in new if i in old):
        before, after = _signature(old[element_id]), _signature(new[element_id])
        if before != after:
            details = tuple(
                f"{word} «{_short(before.get(word))}» → «{_short(after.get(word))}»" if word != "øvrige egenskaber"
                else "øvrige egenskaber ændret"
                for word in dict.fromkeys([*before, *after]) if before.get(word) != after.get(word))
            changes.append(Change("ændret", _label(new[element_id]), details))
    return changes


def _rules(xml: str) -> dict[str, tuple[str, str]]:
    """Rule id → (how the process owner knows it: number and description, what it says)."""
    root = root_element(xml.encode())
    found = {}
    for ns in DMN_NAMESPACES:
        for number, rule in enumerate(root.iter(f"{{{ns}}}rule"), start=1):
            description = " ".join(d.text or "" for d in rule if _local(d.tag) == "description").strip()
            cells = "|".join((t.text or "").strip() for t in rule.iter(f"{{{ns}}}text"))
            found[rule.get("id")] = (f"regel {number}" + (f" «{_short(description, 60)}»" if description else ""),
                                     f"{cells}|{description}")
    return found


def table_changes(name: str, old_xml: str, new_xml: str) -> list[Change]:
    old, new = _rules(old_xml), _rules(new_xml)
    changes = [Change("tilføjet", f"{name}: {new[i][0]}") for i in new if i not in old]
    changes += [Change("fjernet", f"{name}: {old[i][0]}") for i in old if i not in new]
    changes += [Change("ændret", f"{name}: {new[i][0]}") for i in new if i in old and old[i][1] != new[i][1]]
    if _columns(old_xml) != _columns(new_xml):
        changes.append(Change("ændret", f"{name}: kolonner eller hitpolitik"))
    return changes


def _columns(xml: str) -> list[str]:
    """Each table's hit policy and its input and output columns (label, expression, type)."""
    root = root_element(xml.encode())
    found = []
    for ns in DMN_NAMESPACES:
        for table in root.iter(f"{{{ns}}}decisionTable"):
            found.append(f"hitPolicy={table.get('hitPolicy')}")
            for column in table:
                if _local(column.tag) in ("input", "output"):
                    attrs = sorted((k, v) for e in column.iter() for k, v in e.attrib.items() if k != "id")
                    found.append(f"{attrs}" + "".join((t.text or "").strip() for t in column.iter(f"{{{ns}}}text")))
    return found


def version_changes(old_xml: str, old_files: dict[str, str], new_xml: str, new_files: dict[str, str]
                    ) -> list[Change]:
    """The process's own changes, then those of the processes and tables it calls."""
    changes = process_changes(old_xml, new_xml)
    for name in sorted(set(old_files) | set(new_files)):
        before, after = old_files.get(name), new_files.get(name)
        if before == after:
            continue
        if before is None or after is None:
            changes.append(Change("tilføjet" if before is None else "fjernet", f"Fil {name}"))
        elif name.endswith(".dmn"):
            changes += table_changes(name, before, after)
        else:
            changes += [Change(c.kind, f"{name}: {c.what}", c.details) for c in process_changes(before, after)]
    return changes


def form_changes(old_forms: dict[str, dict], new_forms: dict[str, dict]) -> list[Change]:
    """Forms are deployed with the version (from forms/): a changed schema is a change of the version too."""
    return [Change("tilføjet" if key not in old_forms else "fjernet" if key not in new_forms else "ændret",
                   f"Formularen «{key}»")
            for key in sorted(set(old_forms) | set(new_forms)) if old_forms.get(key) != new_forms.get(key)]


# Namespaces of the drawing: BPMN/DMN diagram interchange (shapes, edges, bounds) and bpmn.io's column widths
# and colours. Nothing in them changes what a case does.
_DRAWING_NAMESPACES = ("/DI", "/DC", "/DMNDI", "/biodi/", "/biocolor/", "/color/")
_TOOL_ATTRIBUTES = ("exporter", "exporterVersion")  # which editor saved the file last


def _is_drawing(name: str) -> bool:
    namespace = etree.QName(name).namespace or ""
    return any(part in namespace for part in _DRAWING_NAMESPACES)


def without_drawing(xml: str | bytes) -> bytes:
    """The model as canonical XML without its drawing, comments and formatting, and with each element's children
    in one fixed order: an editor that moves a shape also moves the element to the end of its process, which
    changes nothing a reader sees. (Where order does matter to the engine, e.g. a gateway's outgoing flows or a
    table's rules, the engine's spec is compared as well: see service.same_as_newest.)"""
    parser = etree.XMLParser(remove_blank_text=True, remove_comments=True, remove_pis=True,
                             resolve_entities=False, no_network=True)
    root = etree.fromstring(xml.encode() if isinstance(xml, str) else xml, parser)  # noqa: S320 - no entities
    for element in [e for e in root.iter() if isinstance(e.tag, str) and _is_drawing(e.tag)]:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    for name in _TOOL_ATTRIBUTES:
        root.attrib.pop(name, None)
    order: dict[etree._Element, tuple] = {}  # what an element says, whatever its attributes' and children's order
    for element in reversed(list(root.iter())):  # children before their parents
        for name in [n for n in element.attrib if _is_drawing(n)]:
            del element.attrib[name]
        if len(element):
            element[:] = sorted(element, key=order.__getitem__)
        order[element] = (element.tag, sorted(element.attrib.items()), (element.text or "").strip(),
                          [order[child] for child in element])
    return etree.tostring(root, method="c14n2", strip_text=True)


def text_digest(xml: str | bytes, files: dict[str, str] | dict[str, bytes], forms: dict) -> str:
    """One digest of a version's model, the files it calls and its forms as a reader sees them (names,
    documentation, expressions, tables), leaving out the drawing and the order of elements in the file."""
    digest = hashlib.sha256(without_drawing(xml))
    for name in sorted(files):
        digest.update(b"\0" + name.encode() + b"\0" + without_drawing(files[name]))
    digest.update(b"\0" + json.dumps(forms, sort_keys=True).encode())
    return digest.hexdigest()
