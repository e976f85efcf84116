"""Money as whole øre (int): Danish text in and out («1.234,50 kr.»), never through a float."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

# «1234», «1234,5», «1.234,50», «-1.234,50», «1 234,50»; thousands in groups of three, at most two decimals.
_DANISH = re.compile(r"^(-)?\s*(\d{1,3}(?:[.\s]\d{3})+|\d+)(?:,(\d{1,2}))?$")
MAX_OERE = 10**15  # far beyond any one payment or budget; keeps a typo from overflowing a BIGINT sum


class BeloebUgyldigt(ValueError):
    pass


def parse_kroner(text: str) -> int:
    """A Danish amount in kroner as øre; raises BeloebUgyldigt with a Danish reason."""
    cleaned = text.strip().removesuffix("kr.").removesuffix("kr").strip()
    match = _DANISH.match(cleaned)
    if match is None:
        raise BeloebUgyldigt(f"«{text}» er ikke et beløb i kroner (skriv fx 1.234,50).")
    sign, whole, decimals = match.groups()
    oere = int(re.sub(r"[.\s]", "", whole)) * 100 + int((decimals or "0").ljust(2, "0"))
    if oere >= MAX_OERE:
        raise BeloebUgyldigt(f"«{text}» er for stort et beløb.")
    return -oere if sign else oere


def round_oere(value: Fraction | Decimal) -> int:
    """To whole øre; half a øre rounds away from zero, as in bookkeeping. Exact: no float on the way."""
    exact = Fraction(value)
    whole, rest = divmod(abs(exact.numerator), exact.denominator)
    if 2 * rest >= exact.denominator:
        whole += 1
    return -whole if exact < 0 else whole


def kroner(oere: int | None) -> str:
    """«1.234,50 kr.»; «–» when there is no amount."""
    if oere is None:
        return "–"
    sign = "-" if oere < 0 else ""
    whole, rest = divmod(abs(oere), 100)
    return f"{sign}{whole:,}".replace(",", ".") + f",{rest:02d} kr."
