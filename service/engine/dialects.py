"""What Camunda Modeler writes that is not Python: bare ISO-8601 timers (accepted as the text they are) and
JUEL/Groovy/JavaScript expressions (refused, saying Python is expected and how it looks). lxml-free, pure text.
"""

from __future__ import annotations

import re

_DURATION = r"-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:[.,]\d+)?S)?)?"
_DATE_TIME = r"\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?"
_ISO_TIMER = re.compile(rf"^(?:{_DURATION}|{_DATE_TIME}|R\d*/(?:{_DATE_TIME}/)?{_DURATION}(?:/{_DATE_TIME})?)$")
_ISO_LOOKALIKE = re.compile(r"^(?:R\d*/\S*|-?PT?\d+[A-Za-z]\S*)$", re.IGNORECASE)
_JUEL = re.compile(r"[$#]\{\s*(.*?)\s*\}", re.DOTALL)
PYTHON_LANGUAGES = ("", "python", "python3", "py")


def is_iso_timer(text: str) -> bool:
    """A timer written as Camunda Modeler writes it, without quotes: PT5M, 2026-01-01T10:00:00Z, R3/PT10M."""
    return bool(_ISO_TIMER.match(text.strip()))


def looks_like_iso_timer(text: str) -> bool:
    """Meant as an ISO-8601 timer but not one (PT5Q, pt5m, R3/PT1X): as Python it would fail when a case
    reaches the timer, so it is refused at deploy."""
    stripped = text.strip()
    return bool(_ISO_LOOKALIKE.match(stripped)) and not is_iso_timer(stripped)


def quoted(text: str) -> str:
    """The Python string literal a bare ISO timer means."""
    return repr(text.strip())


def foreign_expression(text: str, language: str | None = None) -> str | None:
    """Why an expression is not Python (Danish, with the Python to write instead), or None."""
    found = _JUEL.search(text)
    if found:
        inner = found.group(1) or "godkendt"
        return (f"udtryk skal være Python, ikke JUEL (${{...}}); skriv fx «{_python_guess(inner)}» i stedet for "
                f"«{found.group(0)}»")
    if language is not None and language.strip().lower() not in PYTHON_LANGUAGES:
        return (f"udtryk skal være Python, ikke {language}; skriv fx «godkendt == True» som betingelse eller "
                "«beloeb = sag[\"beloeb\"] * 2» i et script (og fjern sproget eller sæt det til python)")
    return None


def _python_guess(inner: str) -> str:
    """JUEL's usual operators in Python words; only for the example in the message."""
    guess = re.sub(r"\s*&&\s*| and ", " and ", inner)
    guess = re.sub(r"\s*\|\|\s*| or ", " or ", guess)
    guess = re.sub(r"\beq\b", "==", re.sub(r"\bne\b", "!=", guess))
    guess = re.sub(r"\btrue\b", "True", re.sub(r"\bfalse\b", "False", guess))
    guess = re.sub(r"(?<![=!<>])!(?!=)\s*", "not ", guess)
    return guess
