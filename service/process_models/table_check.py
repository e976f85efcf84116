"""What a file's own text is refused for before anything is resolved or parsed by the engine: XML that does not
read, and a decision table whose cells are not FEEL (each problem at its decision, rule and column). A deploy and
Validér ask it, and so does the table editor while the process owner types, so all three give the same verdict."""

from __future__ import annotations

from lxml import etree

from service.engine import bundle, static_checks
from service.errors import FieldError, ValidationFailed


def declared(name: str, xml: bytes) -> bundle.Declared:
    """The ids a file declares and calls, or 422 when it is not XML."""
    try:
        return bundle.declared(xml)
    except etree.XMLSyntaxError as err:
        raise ValidationFailed("Procesmodellen kan ikke udrulles.",
                               [FieldError(field=name, message=f"{name}: ugyldig XML: {err}")]) from err


def check_table(filename: str, content: bytes) -> set[str]:
    """The DMN file's decisions, or 422 naming every cell (and table) that cannot run."""
    decisions = set(declared(filename, content).decisions)
    problems = [FieldError(field=f"{filename}#{p.where}" if p.where else filename, message=p.message,
                           element=p.element)
                for p in static_checks.dmn_problems(content)] if decisions else [
        FieldError(field=filename, message="Filen indeholder ingen DMN-beslutning.")]
    if problems:
        raise ValidationFailed("Beslutningstabellen kan ikke udrulles.", problems)
    return decisions
