"""Idempotency keys: a retried state change gets the first answer back instead of running (or a 409) again.

A key is the client's name for one attempt at one change (the API's `Idempotency-Key` header, a web form's hidden
field). The answer to a successful change is stored in the change's own transaction, so neither can be committed
without the other. A retry by the same user with the same key and the same request within 24 hours gets that
answer; the same key with another request is refused (422). Failed requests are not stored: a corrected retry with
the same key runs anew. A second request with a key still in use waits for the first (the unique constraint) and
then gets its answer.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, delete, select
from sqlalchemy.exc import IntegrityError

from service import clock
from service.errors import Conflict, FieldError, ValidationFailed
from service.idempotency.models import IdempotencyKey
from service.uow import UnitOfWork

LIFETIME = timedelta(hours=24)
KEY_PATTERN = r"^[!-~]{1,255}$"  # 1-255 visible ASCII characters (! to ~): what a header can carry, e.g. a UUID
_KEY = re.compile(KEY_PATTERN)
BAD_KEY = "Skal være 1-255 synlige ASCII-tegn uden mellemrum, fx et UUID."
OTHER_REQUEST = ("Nøglen er allerede brugt til en anden forespørgsel inden for 24 timer. Brug en ny nøgle til en ny "
                 "forespørgsel.")
_PURGE_BATCH = 100  # expired rows removed per new key: the table never holds much more than a day's keys


class KeyRefused(ValidationFailed):
    """A malformed key, or one used before for another request."""


class KeyInUse(Conflict):
    """The key's first request has not finished (nor left an answer): the client should try again shortly."""

    retry_after = 1


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def check_key(key: str, field_name: str) -> None:
    if not _KEY.fullmatch(key):
        raise KeyRefused("Idempotensnøglen er ugyldig.", [FieldError(field_name, BAD_KEY)])


def fingerprint(method: str, path: str, body: Any) -> str:
    """What makes two requests the same: method, path and body (JSON compared by content, not by spacing)."""
    digest = hashlib.sha256(f"{method} {path}\n".encode())
    if isinstance(body, bytes):
        digest.update(body)
    else:
        digest.update(json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())
    return digest.hexdigest()


def begin(uow: UnitOfWork, *, user_id: int, key: str, request: str, fingerprint: str,
          field_name: str) -> IdempotencyKey | Answer:
    """The stored answer to repeat, or the reservation under which the change now runs (to be `finish`ed in the
    same transaction). Runs before the change: a concurrent request with the same key waits here for this one's
    commit, then repeats its answer, so the change happens once."""
    found = stored_answer(uow, user_id=user_id, key=key, fingerprint=fingerprint, field_name=field_name)
    if found is not None:
        return found
    try:
        return _reserve(uow, user_id=user_id, key=key, request=request, fingerprint=fingerprint)
    except IntegrityError:
        # Another request with this key committed first. The reservation is the transaction's first write, so
        # nothing of this request is lost by the rollback (at most a session's last-seen time).
        uow.rollback()
    found = stored_answer(uow, user_id=user_id, key=key, fingerprint=fingerprint, field_name=field_name)
    if found is not None:
        return found
    raise KeyInUse("En forespørgsel med samme idempotensnøgle er i gang. Prøv igen om lidt.")


def stored_answer(uow: UnitOfWork, *, user_id: int, key: str, fingerprint: str, field_name: str) -> Answer | None:
    row = uow.session.scalar(select(IdempotencyKey).where(
        IdempotencyKey.user_id == user_id, IdempotencyKey.key == key,
        IdempotencyKey.created_at > clock.now() - LIFETIME))
    if row is None:
        return None
    if row.fingerprint != fingerprint:
        raise KeyRefused("Idempotensnøglen er brugt før til en anden forespørgsel.",
                         [FieldError(field_name, OTHER_REQUEST)])
    if row.status is None:  # never committed so (finish runs before every commit); said, not repeated blank
        raise KeyInUse("En forespørgsel med samme idempotensnøgle er i gang. Prøv igen om lidt.")
    return Answer(row.status, row.body, dict(row.headers or {}))


def _reserve(uow: UnitOfWork, *, user_id: int, key: str, request: str, fingerprint: str) -> IdempotencyKey:
    session = uow.session
    cutoff = clock.now() - LIFETIME
    # Clean-up on write (no periodic job needed): a batch of expired keys, skipping rows another transaction
    # holds, so that unrelated requests never wait for each other here (SQLite has no row locks to skip).
    expired = list(session.scalars(select(IdempotencyKey.id).where(IdempotencyKey.created_at <= cutoff)
                                   .limit(_PURGE_BATCH).with_for_update(skip_locked=True)))
    if expired:
        session.execute(delete(IdempotencyKey).where(IdempotencyKey.id.in_(expired)),
                        execution_options={"synchronize_session": False})
    # The same key, expired, is a new key: its old row must go for the unique constraint (waiting if held).
    session.execute(delete(IdempotencyKey).where(and_(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key,
                                                      IdempotencyKey.created_at <= cutoff)),
                    execution_options={"synchronize_session": False})
    row = IdempotencyKey(user_id=user_id, key=key, request=request[:300], fingerprint=fingerprint,
                         created_at=clock.now())
    session.add(row)
    session.flush()  # takes the key now: a concurrent holder of the same key is waited for here
    return row


def finish(reservation: IdempotencyKey, answer: Answer) -> None:
    """The answer a retry will get, written with the change (the caller commits both)."""
    reservation.status, reservation.body, reservation.headers = answer.status, answer.body, answer.headers or None
