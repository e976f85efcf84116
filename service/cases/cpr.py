"""CPR numbers: validated with python-stdnum, masked everywhere but the case page's reveal."""

from __future__ import annotations

import re
from datetime import date

from stdnum.dk import cpr as stdnum_cpr
from stdnum.exceptions import ValidationError

# The shape the OpenAPI document gives a CPR number: a day that exists in its month (29 February in any year),
# then the year and four digits. normalise() also refuses 29 February of a year that is not a leap year, which
# the century (from the seventh digit) decides and a pattern cannot.
CPR_PATTERN = (r"^((0[1-9]|[12][0-9])(0[1-9]|1[0-2])|30(0[13-9]|1[0-2])|31(0[13578]|1[02]))"
               r"[0-9]{2}-?[0-9]{4}$")


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
