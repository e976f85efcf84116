"""One page of a list: the rows, the total by SQL count, and where the next page starts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, case, func, select
from sqlalchemy.sql.elements import ColumnElement

from service.errors import FieldError, ValidationFailed

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: list[T]
    total: int
    limit: int
    offset: int

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None

    @property
    def previous_offset(self) -> int | None:
        return max(self.offset - self.limit, 0) if self.offset else None


def count(session: Any, stmt: Select) -> int:
    """The total of a filtered select, counted by the database (no rows are loaded)."""
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))


def nulls_last(expr: ColumnElement) -> ColumnElement:
    """A sort key putting NULL after every value on both databases (SQLite sorts NULL first)."""
    return case((expr.is_(None), 1), else_=0)


def order_by(sort: str, columns: Mapping[str, list[ColumnElement]]) -> list[ColumnElement]:
    """`frist` ascending, `-frist` descending; an unknown column is a field error."""
    name = sort.removeprefix("-")
    if name not in columns:
        raise ValidationFailed("Listen kan ikke sorteres sådan.", [FieldError(
            "sorter", f"Kan kun sorteres efter: {', '.join(columns)} (med «-» foran for faldende).")])
    keys = columns[name]
    return [k.desc() for k in keys] if sort.startswith("-") else list(keys)


def contains(column: ColumnElement, text: str) -> ColumnElement:
    """Case-insensitive substring, % and _ taken literally (SQLite's lower() is made Unicode-aware in db.py)."""
    return func.lower(column).contains(text.lower(), autoescape=True)
