"""Domain errors; the web layer maps each to an HTTP status and a problem+json body."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FieldError:
    field: str
    message: str
    element: str | None = None  # a model's XML id (a decision table cell), for the editors to point at


@dataclass
class DomainError(Exception):
    message: str
    errors: list[FieldError] = field(default_factory=list)
    status = 400
    title = "Ugyldig forespørgsel"

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    status = 404
    title = "Findes ikke"


class Conflict(DomainError):
    status = 409
    title = "Konflikt"


class Forbidden(DomainError):
    status = 403
    title = "Ingen adgang"


class Unauthorized(DomainError):
    status = 401
    title = "Log ind først"


class ValidationFailed(DomainError):
    status = 422
    title = "Ugyldige data"


class TooManyRequests(DomainError):
    status = 429
    title = "For mange forsøg"
    retry_after: int = 60


class TooLarge(DomainError):
    status = 413
    title = "For stor forespørgsel"


class Unavailable(DomainError):
    status = 503
    title = "Midlertidigt utilgængelig"
    retry_after: int = 5
