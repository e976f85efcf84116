"""The municipality's letter templates (Jinja2, sandboxed, autoescaped), checked before they are used.

Every template is rendered with sample data when the service starts and at deploy: a template that does
not parse, names an unknown field, or leaves out a part the law requires is refused with a Danish message.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from service.letters import pdf

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")
KLAGEFRIST_UGER = 4


class LettersInvalid(Exception):
    pass


@dataclass(frozen=True)
class Kind:
    template: str
    # Sample data for the check, and the sample values a valid letter must show (part name → text).
    samples: tuple[dict[str, Any], ...]
    required: tuple[dict[str, str], ...]


def danish_date(value: str | date | None) -> str:
    if not value:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


_CASE = {"titel": "Prøvebrev", "sag": {"sagsnummer": "2026-00042", "barnets_navn": "Prøve Barnesen"},
         "dato": "2026-05-10", "afsender": {"navn": "Rikke Rådgiver"}, "klagefrist_uger": KLAGEFRIST_UGER,
         "modtager": None}
# A letter to a named party must show the recipient's name and address (one letter per recipient).
_MODTAGER = {"navn": "Prøve Forælder", "adresse": "Prøvevej 1, 4200 Slagelse", "barn": False}
_ADDRESSED = {"modtagerens navn": "Prøve Forælder", "modtagerens adresse": "Prøvevej 1, 4200 Slagelse"}


def _addressed(kind: Kind, *, only: bool = False, **modtager: Any) -> Kind:
    """The kind's samples once more (`only`: instead), each addressed to a recipient who must be named with the
    address."""
    to = {**_MODTAGER, **modtager}
    samples = tuple({**s, "modtager": to} for s in kind.samples)
    required = tuple({**r, **_ADDRESSED, "modtagerens navn": to["navn"]} for r in kind.required)
    return Kind(kind.template, samples if only else kind.samples + samples,
                required if only else kind.required + required)


_GRANT = {"udfald": "bevilget", "foranstaltning": "Prøveindsats", "lovgrundlag": "BL § 32, stk. 1 (prøve)",
          "formaal": "Prøveformålet med indsatsen.", "forventet_varighed_maaneder": 7, "samtykke": True,
          "samtykke_ung_15": None, "begrundelse": "Prøvebegrundelsen for afgørelsen.",
          "klagevejledning_givet": True, "afgoerelsesdato": "2026-05-10"}
_REFUSAL = {**_GRANT, "udfald": "afslag", "foranstaltning": None, "formaal": None, "forventet_varighed_maaneder": None}
_COMPLAINT = {"klagevejledning (4 uger)": f"{KLAGEFRIST_UGER} uger", "klagevejledning (Ankestyrelsen)": "Ankestyrelsen"}
_DECISION_PARTS = {"begrundelse": _GRANT["begrundelse"], "lovgrundlag": _GRANT["lovgrundlag"],
                   "barnets navn": "Prøve Barnesen", "sagsnummer": "2026-00042", "dato": "10. maj 2026", **_COMPLAINT}

_BFU_SAMTYKKE = {"grundlag": "stk_2", "lovgrundlag": "barnets lov § 20, stk. 2 (prøve)",
                 "begrundelse": "Prøvebegrundelsen for undersøgelsen.", "samtykke": True,
                 "uden_samtykke_begrundelse": None, "klagevejledning_givet": True, "afgoerelsesdato": "2026-05-10"}
_BFU_UDEN = {**_BFU_SAMTYKKE, "samtykke": False, "uden_samtykke_begrundelse": "Prøvebegrundelsen uden samtykke."}
_BFU_PARTS = {"begrundelse": _BFU_SAMTYKKE["begrundelse"], "lovgrundlag": _BFU_SAMTYKKE["lovgrundlag"],
              "barnets navn": "Prøve Barnesen", "sagsnummer": "2026-00042", "dato": "10. maj 2026", **_COMPLAINT}

_KINDS = {
    "partshoering": Kind(
        "partshoering.html.j2",
        samples=({**_CASE, "partshoering": {"hoeringsbrev_sendt": "2026-05-01", "parter": ["Prøvemor", "Prøvefar"],
                                            "svarfrist": "2026-05-15"},
                  "oplysninger": [("Konklusion", "Prøvekonklusionen.")]},),
        required=({"parter": "Prøvemor", "svarfrist": "15. maj 2026", "oplysninger": "Prøvekonklusionen.",
                   "barnets navn": "Prøve Barnesen", "sagsnummer": "2026-00042"},)),
    "afgoerelse": Kind(
        "afgoerelse.html.j2",
        samples=({**_CASE, "afgoerelse": _GRANT}, {**_CASE, "afgoerelse": _REFUSAL}),
        required=({**_DECISION_PARTS, "formål": _GRANT["formaal"], "forventet varighed": "7 måneder"},
                  _DECISION_PARTS)),
    "bfu_beslutning": Kind(
        "bfu_beslutning.html.j2",
        samples=({**_CASE, "beslutning": _BFU_SAMTYKKE}, {**_CASE, "beslutning": _BFU_UDEN}),
        required=(_BFU_PARTS, {**_BFU_PARTS, "begrundelse uden samtykke": _BFU_UDEN["uden_samtykke_begrundelse"]})),
}
KINDS = {name: _addressed(kind) for name, kind in _KINDS.items()}
# The child-friendly versions, for a party aged 10–14: a municipality provides one by putting `<kind>_barn.html.j2`
# beside the letter; it is then checked as the letter is (the same required parts), addressed to the child.
CHILD_VERSIONS = {name: _addressed(Kind(kind.template.replace(".html.j2", "_barn.html.j2"), kind.samples,
                                        kind.required), only=True, navn="Prøve Barnesen", barn=True)
                  for name, kind in _KINDS.items()}


@dataclass(frozen=True)
class LetterSet:
    env: SandboxedEnvironment
    template_hash: str
    child_versions: frozenset[str] = frozenset()  # the kinds the municipality has a child-friendly version of

    def render(self, kind: str, context: dict[str, Any], *, for_child: bool = False) -> str:
        kinds = CHILD_VERSIONS if for_child else KINDS
        return self.env.get_template(kinds[kind].template).render(**context)


def _environment(letters_dir: Path) -> SandboxedEnvironment:
    env = SandboxedEnvironment(loader=FileSystemLoader(str(letters_dir)), autoescape=True, undefined=StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True)
    env.filters["dato"] = danish_date
    return env


def _hash(letters_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(letters_dir.glob("*.j2")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _check(letters: LetterSet, name: str, kind: Kind, *, for_child: bool = False) -> None:
    for sample, required in zip(kind.samples, kind.required, strict=True):
        try:
            html = letters.render(name, sample, for_child=for_child)
        except TemplateSyntaxError as err:
            raise LettersInvalid(f"Brevskabelonen «{err.name or kind.template}» har en fejl i linje {err.lineno}: "
                                 f"{err.message}") from err
        except TemplateError as err:
            raise LettersInvalid(f"Brevskabelonen «{kind.template}» kan ikke dannes: {err}") from err
        text = pdf.visible_text(html)
        missing = [part for part, value in required.items() if value not in text]
        if missing:
            raise LettersInvalid(f"Brevskabelonen «{kind.template}» mangler påkrævede dele: {', '.join(missing)}.")
        try:
            pdf.render(html, title=name)
        except Exception as err:  # noqa: BLE001 - whatever the PDF library dislikes, say so in Danish
            raise LettersInvalid(f"Brevskabelonen «{kind.template}» kan ikke laves som PDF: {err}") from err


def load(letters_dir: Path) -> LetterSet:
    """Load and check every letter template; raises LettersInvalid for the first broken one."""
    if not letters_dir.is_dir():
        raise LettersInvalid(f"Mappen med brevskabeloner findes ikke: {letters_dir}")
    for kind in KINDS.values():
        if not (letters_dir / kind.template).is_file():
            raise LettersInvalid(f"Brevskabelonen «{kind.template}» mangler i {letters_dir}.")
    children = frozenset(name for name, kind in CHILD_VERSIONS.items() if (letters_dir / kind.template).is_file())
    letters = LetterSet(_environment(letters_dir), _hash(letters_dir), children)
    if letters.template_hash not in _passed:  # the same files give the same verdict: render the samples once a process
        for name, kind in KINDS.items():
            _check(letters, name, kind)
        for name in children:
            _check(letters, name, CHILD_VERSIONS[name], for_child=True)
        _passed.add(letters.template_hash)
    return letters


_passed: set[str] = set()  # hashes of letter folders whose every template rendered to a PDF with its parts


_current: dict[str, LetterSet] = {}


def configure(letters_dir: Path) -> LetterSet:
    _current["letters"] = load(letters_dir)
    return _current["letters"]


def current() -> LetterSet:
    if "letters" not in _current:  # a caller that skipped start-up wiring (a script): use the default folder
        from service.config import Settings
        configure(Settings().letters_dir)
    return _current["letters"]
