"""CPR numbers: validated with python-stdnum, masked everywhere but the case page's reveal."""

from __future__ import annotations

import re
from datetime import date

from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError

# The shape the OpenAPI document gives a CPR number; normalise() also checks that it holds a birth date.
CPR_PATTERN = r"^[0-9]{6}-?[0-9]{4}$"


class InvalidCpr(ValueError):
    pass


def normalise(value: str) -> str:
    """Accepts 'DDMMÅÅ-XXXX' or ten digits; no modulus-11 check (not used for numbers since 2007)."""
    try:
        compact = stdnum_cpr.compact(value)
        if not compact.isdigit() or len(compact) != 10:
            raise InvalidCpr("CPR-nummeret skal have 10 cifre (DDMMÅÅ-XXXX).")
        stdnum_cpr.get_birth_date(compact)
    except ValidationError as err:
        raise InvalidCpr("CPR-nummeret indeholder ikke en gyldig fødselsdato.") from err
    return compact


def birth_date(value: str) -> date:
    return stdnum_cpr.get_birth_date(value)


def mask(value: str) -> str:
    return f"{value[:6]}-xxxx"


_CPR_SHAPED = re.compile(r"(?<!\d)\d{6}[-\s]?\d{4}(?!\d)")


def contains_cpr(text: str) -> bool:
    """Ten digits as DDMMÅÅ-XXXX (dash or not) anywhere in a search text: not for URLs."""
    return bool(_CPR_SHAPED.search(text))


def as_search(text: str) -> str | None:
    """The normalised CPR number when the whole search text is one, else None (then it is a name or number)."""
    stripped = text.strip()
    return normalise(stripped) if _CPR_SHAPED.fullmatch(stripped) else None
