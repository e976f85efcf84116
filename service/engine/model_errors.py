"""Why a model file cannot be deployed, in the process owner's words and at the element: files that are not
UTF-8 XML, BPMN that breaks the BPMN 2.0 schema, a file without exactly one executable process, and
SpiffWorkflow's own parser errors (translated; never a Python repr such as ``<Element … at 0x…>``).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from service.engine.bundle import BPMN_NS
from service.engine.decision_checks import Problem

_B = f"{{{BPMN_NS}}}"
_MAX_QUOTED = 120  # a value quoted in a message (a huge attribute would drown it)


def encoding_problem(xml: bytes) -> str | None:
    """Versions are stored and shown as UTF-8 text, so a model in another encoding is refused, saying so."""
    try:
        xml.decode("utf-8")
    except UnicodeDecodeError:
        return ("Filen er ikke gemt som UTF-8 (fx UTF-16 eller Latin-1). Gem den som UTF-8 – det gør Camunda "
                "Modeler og Sagsflows modeller af sig selv.")
    return None


_XML_SYNTAX = (  # (lxml's words, ours)
    ("Document is empty", "Filen er tom."),
    ("Start tag expected", "Filen er ikke XML (den begynder ikke med et element)."),
    ("Premature end of data", "Filen slutter midt i XML'en – den er afkortet. Gem eller upload den igen."),
    ("EndTag", "Filen slutter midt i XML'en – den er afkortet. Gem eller upload den igen."),
    ("expected", "XML'en er afkortet eller skrevet forkert her."),
    ("Opening and ending tag mismatch", "Et element er ikke lukket med sit eget sluttag."),
    ("Namespace prefix", "Et præfiks (fx bpmn:) bruges uden at være erklæret med xmlns."),
    ("Entity", "Filen bruger en entitet (&…;), som ikke er defineret; skriv tegnet direkte."),
    ("not proper UTF-8", "Filen indeholder bytes, der ikke er gyldig UTF-8."),
    ("Char", "Filen indeholder tegn, der ikke er tilladt i XML."),
    ("huge", "Filen indeholder en værdi, der er for stor."),
)


def xml_syntax_message(err: etree.XMLSyntaxError) -> str:
    """An XML parse error in Danish with its line and column (lxml's English is not shown)."""
    text = str(err.msg or err)
    said = next((ours for theirs, ours in _XML_SYNTAX if theirs in text), "XML'en er skrevet forkert her.")
    line, column = err.position if err.position else (0, 0)
    where = f" (linje {line}, kolonne {column})" if line else ""
    return f"Filen kan ikke læses som XML{where}: {said}"


def is_bpmn(root: Any) -> bool:
    return isinstance(root.tag, str) and root.tag == _B + "definitions"


def not_bpmn_problem(root: Any) -> Problem:
    name = etree.QName(root).localname if isinstance(root.tag, str) else "?"
    namespace = etree.QName(root).namespace if isinstance(root.tag, str) else None
    if name == "definitions" and namespace and "DMN" in namespace:
        why = "Filen er en DMN-model; giv den endelsen .dmn."
    elif name == "definitions":
        why = (f"Rodelementet definitions har navnerummet «{_short(namespace or 'intet')}»; BPMN 2.0 kræver "
               f"xmlns=\"{BPMN_NS}\". Eksportér modellen fra Camunda Modeler igen.")
    else:
        why = f"Rodelementet er «{_short(name)}»; en BPMN-fil begynder med bpmn:definitions ({BPMN_NS})."
    return Problem("", f"Filen er ikke en BPMN 2.0-model. {why}")


def process_problem(root: Any) -> Problem | None:
    """A file holds exactly one executable process; a process not marked executable is named with the fix."""
    processes = list(root.iter(_B + "process"))
    executable = [p for p in processes if p.get("isExecutable", "false") == "true"]
    if len(executable) == 1:
        if not executable[0].get("id"):
            return Problem("", "Processen mangler et id: giv den et id under processens egenskaber "
                               "(fx sagsbehandling).")
        return None
    if len(executable) > 1:
        ids = ", ".join(f"'{p.get('id')}'" for p in executable)
        return Problem(executable[1].get("id") or "", f"Filen indeholder {len(executable)} eksekverbare processer "
                       f"({ids}); Sagsflow udruller én proces pr. fil. Fjern fluebenet «Executable» på de andre, "
                       "eller læg dem i hver sin fil.", executable[1].get("id"))
    if processes:
        process = processes[0]
        name = process.get("name")
        label = f"«{name}» ({process.get('id')})" if name else f"'{process.get('id')}'"
        return Problem(process.get("id") or "", f"Processen {label} er ikke markeret som eksekverbar, så der er "
                       "intet at udrulle. Sæt flueben i «Executable» under processens egenskaber (i Camunda Modeler: "
                       "klik på et tomt sted i diagrammet, eller på deltageren/poolen, og se under «General»; i "
                       "Sagsflows modeller: processens egenskaber) – det skriver isExecutable=\"true\".",
                       process.get("id"))
    return Problem("", "Filen indeholder ingen proces (bpmn:process) – kun fx et samarbejde eller en koreografi. "
                       "Tegn processen i en pool, og markér den som eksekverbar («Executable»).")


_SCHEMA = (  # (lxml's XSD words, ours); {0}.. are the groups of the pattern
    (re.compile(r"The attribute '([^']+)' is required but missing"), "mangler attributten «{0}»."),
    (re.compile(r"attribute '([^']+)': '(.*)' is not a valid value of the atomic type 'xs:ID'"),
     "id'et «{1}» er brugt mere end én gang eller er ikke et gyldigt id (det skal begynde med et bogstav eller _)."),
    (re.compile(r"attribute '([^']+)': '(.*)' is not a valid value"), "attributten «{0}» har en ugyldig værdi «{1}»."),
    (re.compile(r"The attribute '([^']+)' is not allowed"), "attributten «{0}» er ikke tilladt her."),
    (re.compile(r"This element is not expected"), "elementet står et sted, hvor BPMN 2.0 ikke tillader det (forkert "
                                                  "rækkefølge eller forkert forælder)."),
    (re.compile(r"Missing child element"), "mangler et underelement, som BPMN 2.0 kræver."),
    (re.compile(r"No match found for key-sequence \['([^']*)'\]"), "henviser til «{0}», som ikke findes."),
    (re.compile(r"Duplicate key-sequence \['([^']*)'\]"), "id'et «{0}» er brugt mere end én gang."),
)


def schema_problems(root: Any, schema: etree.XMLSchema) -> list[Problem]:
    """Every place the file breaks the BPMN 2.0 schema, at the element on that line."""
    if schema.validate(root):
        return []
    by_line: dict[int, Any] = {}
    for node in root.iter():
        if isinstance(node.tag, str) and node.sourceline is not None:
            by_line.setdefault(node.sourceline, node)
    found = []
    for error in schema.error_log:
        node = by_line.get(error.line)
        tag = re.match(r"Element '(?:\{[^}]*\})?([^']+)'", error.message)
        what = f"<{tag.group(1)}>" if tag else "Et element"
        said = next((ours.format(*(_short(g) for g in m.groups())) for pattern, ours in _SCHEMA
                     if (m := pattern.search(error.message))), "følger ikke BPMN 2.0-skemaet.")
        owner = _with_id(node)
        element = owner.get("id") if owner is not None else None
        same = owner is not None and tag is not None and etree.QName(owner).localname == tag.group(1)
        label = (f" '{element}'" if same else f" i '{element}'") if element else ""
        found.append(Problem(element or "", f"Linje {error.line}: {what}{label}: {said}", element))
    return list({p.message: p for p in found}.values())


_CONTAINERS = {"process", "subProcess", "transaction", "adHocSubProcess", "definitions", "collaboration",
               "choreography", "laneSet"}


def shown_element(node: Any) -> Any:
    """The element the editors can show for a node: the nearest one with an id that is drawn, i.e. sits directly
    in a process or subprocess (a task, event, gateway or flow), not an event definition or loop inside it."""
    first = None
    while node is not None:
        if isinstance(node.tag, str) and node.get("id"):
            first = node if first is None else first
            parent = node.getparent()
            if parent is None or etree.QName(parent).localname in _CONTAINERS:
                return node
        node = node.getparent()
    return first


_with_id = shown_element


_ENGINE = (  # SpiffWorkflow's parser messages, ours
    (re.compile(r"There is no support implemented for this task type"),
     "Elementtypen kan ikke køres af Sagsflows motor (SpiffWorkflow)."),
    (re.compile(r"SubWorkflow Must contain an End event", re.I), "Underprocessen skal have en sluthændelse."),
    (re.compile(r"No start event found", re.I), "Processen har ingen starthændelse."),
    (re.compile(r"No \"calledElement\" attribute", re.I),
     "Kaldaktiviteten mangler den proces, den kalder: angiv «Called element»."),
    (re.compile(r"multiinstance task must specify", re.I),
     "Multi-instance kræver enten et antal (Loop cardinality) eller en samling (Collection)."),
    (re.compile(r"Unknown Time Specification", re.I),
     "Timeren mangler et tidspunkt (Date), en varighed (Duration) eller en cyklus (Cycle)."),
    (re.compile(r"No Script Provided", re.I), "Scriptopgaven har intet script: skriv det i Python under «Script»."),
    (re.compile(r"Unsupported Catch Event", re.I), "Hændelsestypen kan ikke bruges her."),
    (re.compile(r"found two items|Could not find a task spec", re.I),
     "Elementet er forbundet til noget, der ikke findes i processen: tegn pilene igen."),
    (re.compile(r"[Cc]ycle"), "Timerens cyklus kan ikke bruges her."),
)
_REPR = re.compile(r"<[A-Za-z_.]+ [^<>]*? at 0x[0-9a-f]+>|b'(?:[^'\\]|\\.)*'|b\"(?:[^\"\\]|\\.)*\"")
_EXCEPTION_REPR = re.compile(r"\b[A-Z][A-Za-z]*(?:Error|Exception)\((.*)\)")


def clean(text: str) -> str:
    """Python reprs out of a library message: objects and byte strings dropped, exception wrappers unwrapped."""
    text = _REPR.sub("", text)
    text = _EXCEPTION_REPR.sub(lambda m: m.group(1), text)
    return re.sub(r"\s+", " ", text.replace("%r", "")).strip(" ,:()'\"") or ""


def engine_problem(err: BaseException, root: Any | None) -> Problem:
    """SpiffWorkflow's parser error in Danish, at the element it names (its id, or the element on its line)."""
    element = getattr(err, "id", None) or None
    if element is None:  # some parser errors carry the element only as its XML text (NotImplementedError)
        quoted = next((m.group(1) for a in getattr(err, "args", ()) if isinstance(a, bytes | str)
                       and (m := re.search(r'\sid="([^"]+)"', a.decode("utf-8", "replace") if isinstance(a, bytes)
                                           else a))), None)
        element = quoted
    tag = getattr(err, "tag", "") or ""
    line = getattr(err, "line_number", None)
    node = None
    if root is not None:
        if element:
            node = shown_element(next((n for n in root.iter() if isinstance(n.tag, str) and n.get("id") == element),
                                      None))
            element = node.get("id") if node is not None else element
        elif isinstance(line, int) and line:
            node = _with_id(next((n for n in root.iter() if isinstance(n.tag, str) and n.sourceline == line), None))
            element = node.get("id") if node is not None else None
    if node is not None:
        tag = f"bpmn:{etree.QName(node).localname}"
    text = " ".join(str(a) for a in getattr(err, "args", ()) if isinstance(a, str)) or str(err)
    said = text if getattr(err, "in_danish", False) else next(
        (ours for pattern, ours in _ENGINE if pattern.search(text)), None)
    if said is None:
        # The library's own refusals carry a readable reason; a Python error inside it (KeyError, TypeError) does not.
        detail = clean(text) if hasattr(err, "line_number") else ""
        said = ("Sagsflows motor (SpiffWorkflow) kan ikke læse elementet" + (f": {_short(detail)}." if detail else
                ". Kontrollér elementets type, egenskaber og pile – eller tegn det igen."))
    where = f"{tag} '{element}': " if element and tag else (f"'{element}': " if element else "")
    return Problem(element or "", f"{where}{said}", element)


def _short(value: str) -> str:
    return value if len(value) <= _MAX_QUOTED else value[:_MAX_QUOTED] + "…"
