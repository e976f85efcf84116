"""BPMN that Sagsflow would otherwise accept and then run as something else (or not at all), refused at
deploy with the element named and what to draw instead; and references that point at nothing, which
SpiffWorkflow's parser reports as a crash or in words unrelated to the cause. lxml only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree

from service.engine.bundle import BPMN_NS, CAMUNDA_NS
from service.engine.decision_checks import Problem
from service.engine.decision_tables import dmn_namespace
from service.engine.model_errors import shown_element

_B = f"{{{BPMN_NS}}}"
_C = f"{{{CAMUNDA_NS}}}"

_SCRIPT_INSTEAD = "Brug en scriptopgave med Python, eller en brugeropgave, hvis en person skal gøre det."

# Element → why Sagsflow does not run it and what to draw instead.
_REFUSED = {
    "sendTask": "sendeopgaver sender beskeder til andre systemer, og Sagsflow sender ingen beskeder ud. Brug en "
                "kastende signalhændelse for at give besked inden for sagen, eller en brugeropgave.",
    "complexGateway": "komplekse gateways understøttes ikke. Brug en eksklusiv, parallel eller inklusiv gateway med "
                      "betingelser på pilene.",
    "adHocSubProcess": "ad hoc-underprocesser understøttes ikke (sagsbehandleren kan ikke vælge trin i indbakken). "
                       "Tegn trinene som en almindelig underproces med gateways.",
    "choreographyTask": "koreografier beskriver samspil mellem parter og kan ikke køres. Tegn en proces.",
}
_REFUSED_DEFINITIONS = {
    "compensateEventDefinition": "kompensation (at fortryde udførte trin) understøttes ikke. Tegn fortrydelsen som "
                                 "almindelige trin efter en fejl- eller signalhændelse.",
    "conditionalEventDefinition": "betingelseshændelser understøttes ikke (Sagsflow genberegner ikke betingelser, "
                                  "mens sagen venter). Brug en eksklusiv gateway med betingelser eller en timer.",
}
_SERVICE_IMPLEMENTATIONS = (
    ("class", "en Java-klasse (camunda:class)"),
    ("delegateExpression", "et delegate expression (camunda:delegateExpression)"),
    ("expression", "et udtryk (camunda:expression)"),
    ("type", "en ekstern worker (camunda:type=\"{value}\")"),
)
_LISTENERS = {"executionListener": "execution listener", "taskListener": "task listener",
              "inputOutput": "input/output-mapping", "connector": "connector"}


_owner = shown_element  # the element the editors can show


def _at(node: Any, message: str) -> Problem:
    owner = _owner(node)
    element = owner.get("id") if owner is not None else None
    return Problem(element or "", message, element)


def _label(node: Any) -> str:
    if node is None:
        return "uden id"
    name, element = _short(node.get("name") or ""), _short(node.get("id") or "?")
    return f"«{name}» ({element})" if name else f"'{element}'"


def _short(value: str) -> str:
    return value if len(value) <= 80 else value[:80] + "…"


def _what(node: Any) -> str:
    return {"serviceTask": "Serviceopgaven", "sendTask": "Sendeopgaven", "complexGateway": "Gatewayen",
            "adHocSubProcess": "Underprocessen", "choreographyTask": "Koreografien", "scriptTask": "Scriptopgaven",
            "businessRuleTask": "Forretningsreglen"}.get(etree.QName(node).localname if node is not None else "",
                                                           "Elementet")


def problems(root: Any) -> list[Problem]:
    """Every construct Sagsflow refuses, each at its element."""
    return [*_without_id(root), *_refused_elements(root), *_service_tasks(root), *_scripts_elsewhere(root),
            *_camunda_extensions(root), *_compensation_activities(root), *_bare_boundaries(root),
            *dangling_references(root)]


_FLOW_CONTAINERS = ("process", "subProcess", "transaction", "adHocSubProcess")


def _without_id(root: Any) -> Iterator[Problem]:
    """The engine finds every element by its id; one without cannot be run (nor shown, so its line is named)."""
    for container in _FLOW_CONTAINERS:
        for parent in root.iter(_B + container):
            for node in parent:
                if isinstance(node.tag, str) and not node.get("id") and etree.QName(node).localname not in (
                        "documentation", "extensionElements", "laneSet", "incoming", "outgoing", "ioSpecification",
                        "multiInstanceLoopCharacteristics", "standardLoopCharacteristics", "property"):
                    name = f" «{_short(node.get('name'))}»" if node.get("name") else ""
                    yield Problem("", f"Elementet <{etree.QName(node).localname}>{name} på linje {node.sourceline} "
                                      "mangler et id: giv det et id under elementets egenskaber (Camunda Modeler gør "
                                      "det af sig selv).")


def _refused_elements(root: Any) -> Iterator[Problem]:
    for tag, why in _REFUSED.items():
        for node in root.iter(_B + tag):
            yield _at(node, f"{_what(node)} {_label(node)} kan ikke køres: {why}")
    for node in root.iter(_B + "timeCycle"):
        event = _owner(node.getparent())
        yield _at(node, f"Timeren {_label(event)} gentager sig (Cycle, fx R3/PT1H), og gentagne timere fyrer ikke i "
                        "Sagsflow. Brug en varighed (Duration, fx PT1H) eller et tidspunkt (Date) – og en løkke "
                        "tilbage til timeren, hvis den skal gentages.")
    for tag, why in _REFUSED_DEFINITIONS.items():
        for node in root.iter(_B + tag):
            event = _owner(node.getparent())
            yield _at(node, f"Hændelsen {_label(event)} kan ikke køres: {why}")


def _service_tasks(root: Any) -> Iterator[Problem]:
    for node in root.iter(_B + "serviceTask"):
        how = [text.format(value=node.get(_C + attribute)) for attribute, text in _SERVICE_IMPLEMENTATIONS
               if node.get(_C + attribute)]
        if node.find(f"{_B}extensionElements/{_C}connector") is not None:
            how.append("en connector (camunda:connector)")
        done_by = f" Den er sat til at blive udført af {' og '.join(how)}, som" if how else " Den har ingen " \
                  "implementering, og Sagsflow har ingen Java-klasser, eksterne workers eller connectors, der"
        yield _at(node, f"Serviceopgaven {_label(node)} kan ikke køres i Sagsflow.{done_by} kan køre den. "
                        f"{_SCRIPT_INSTEAD}")


def _scripts_elsewhere(root: Any) -> Iterator[Problem]:
    for node in root.iter(_B + "scriptTask"):
        if node.get(_C + "resource"):
            yield _at(node, f"Scriptopgaven {_label(node)} henter sit script fra en fil (camunda:resource); scriptet "
                            "skal stå i modellen: vælg «Inline script» og skriv det i Python.")
        elif node.find(_B + "script") is None or not (node.findtext(_B + "script") or "").strip():
            yield _at(node, f"Scriptopgaven {_label(node)} har intet script: skriv det i Python under «Script».")
    for node in root.iter(_B + "businessRuleTask"):
        how = [text.format(value=node.get(_C + attribute)) for attribute, text in _SERVICE_IMPLEMENTATIONS
               if node.get(_C + attribute)]
        if how and not node.get(_C + "decisionRef"):
            yield _at(node, f"Forretningsreglen {_label(node)} er sat til at blive udført af {' og '.join(how)}; i "
                            "Sagsflow kører en forretningsregel en DMN-beslutningstabel: vælg «Implementation → DMN» "
                            "og angiv tabellens id (camunda:decisionRef).")


def _camunda_extensions(root: Any) -> Iterator[Problem]:
    """Camunda engine features SpiffWorkflow skips without a word: refused, so nothing is silently left out."""
    for tag, what in _LISTENERS.items():
        for node in root.iter(_C + tag):
            if tag == "connector" and _owner(node) is not None and etree.QName(_owner(node)).localname == "serviceTask":
                continue  # said at the service task
            owner = _owner(node)
            yield _at(node, f"{_what(owner)} {_label(owner)} har en Camunda-{what}, som Sagsflow ikke kører. "
                            f"Fjern den; {_SCRIPT_INSTEAD[0].lower()}{_SCRIPT_INSTEAD[1:]}")


def _compensation_activities(root: Any) -> Iterator[Problem]:
    for node in root.iter():
        if isinstance(node.tag, str) and node.get("isForCompensation") == "true":
            yield _at(node, f"{_what(node)} {_label(node)} er markeret som kompensation (isForCompensation), som "
                            "ikke understøttes. Fjern markeringen, og tegn fortrydelsen som almindelige trin.")


_BOUNDARY_KINDS = tuple(_B + f"{kind}EventDefinition" for kind in (
    "timer", "message", "signal", "error", "escalation", "cancel", "conditional", "compensate"))


def _bare_boundaries(root: Any) -> Iterator[Problem]:
    """A boundary event catches something; without an event type (or with a link or terminate) the engine's
    parser fails with a repr of the element."""
    for node in root.iter(_B + "boundaryEvent"):
        if not any(child.tag in _BOUNDARY_KINDS for child in node):
            yield _at(node, f"Randhændelsen {_label(node)} har ingen hændelsestype, den kan fange: vælg timer, "
                            "besked, signal, fejl eller eskalering (skruenøglen i Camunda Modeler).")


_REFERENCES = (  # (element, attribute, what it must point at, Danish noun)
    ("sequenceFlow", "sourceRef", None, "Pilen {id} starter i '{ref}'"),
    ("sequenceFlow", "targetRef", None, "Pilen {id} peger på '{ref}'"),
    ("boundaryEvent", "attachedToRef", None, "Randhændelsen {id} sidder på '{ref}'"),
    ("messageEventDefinition", "messageRef", "message", "Hændelsen {id} venter på beskeden '{ref}'"),
    ("receiveTask", "messageRef", "message", "Modtageopgaven {id} venter på beskeden '{ref}'"),
    ("signalEventDefinition", "signalRef", "signal", "Hændelsen {id} bruger signalet '{ref}'"),
    ("errorEventDefinition", "errorRef", "error", "Hændelsen {id} bruger fejlen '{ref}'"),
    ("escalationEventDefinition", "escalationRef", "escalation", "Hændelsen {id} bruger eskaleringen '{ref}'"),
)


_NOUNS = {"message": "besked", "signal": "signal", "error": "fejl", "escalation": "eskalering"}


def dangling_references(root: Any) -> Iterator[Problem]:
    """References to ids that do not exist (or are of the wrong kind): SpiffWorkflow crashes on several."""
    ids = {node.get("id"): node for node in root.iter() if isinstance(node.tag, str) and node.get("id")}
    for tag, attribute, kind, says in _REFERENCES:
        for node in root.iter(_B + tag):
            ref = node.get(attribute)
            if not ref:
                continue
            target = ids.get(ref)
            if target is not None and (kind is None or etree.QName(target).localname == kind):
                continue
            owner = _owner(node)
            noun = _NOUNS.get(kind or "")
            fix = (f"vælg en eksisterende {noun} i elementets egenskaber, eller opret den" if noun
                   else "tegn forbindelsen igen i modelleren")
            yield _at(owner, f"{says.format(id=_label(owner), ref=ref)}, som ikke findes i filen: {fix}.")


def dmn_problems(root: Any) -> list[Problem]:
    """Decision requirements (a table that uses another decision's result): a business rule task runs one table,
    so the required decision would never run and its result would be null."""
    ns = dmn_namespace(root)
    found = []
    for decision in root.findall(f"{{{ns}}}decision") if ns else ():
        if not decision.get("id"):
            name = f" «{_short(decision.get('name'))}»" if decision.get("name") else ""
            found.append(Problem("", f"Beslutningen{name} på linje {decision.sourceline} mangler et id: giv den et id "
                                     "(forretningsreglen finder tabellen ved dens id, camunda:decisionRef)."))
        for required in decision.iter(f"{{{ns}}}requiredDecision"):
            other = (required.get("href") or "").lstrip("#")
            found.append(Problem(decision.get("id") or "", f"Beslutningen {_label(decision)} bygger på beslutningen "
                                 f"'{_short(other)}' (informationRequirement); Sagsflow kører ikke kæder af "
                                 "beslutninger. Lad en forretningsregel køre den anden tabel først, og brug dens "
                                 "resultat som input, eller saml reglerne i én tabel.", decision.get("id")))
    return found
