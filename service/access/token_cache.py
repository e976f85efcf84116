"""Bearer tokens looked up once per `SAGSFLOW_TOKEN_CACHE_SECONDS` (default 30) per process, not on every request.

Revocation in this process ends access at once: revoking a token, ending all of a user's access, and any change of
a user or token row written through this process's sessions drop the entries concerned. A revocation made by
another process (another gunicorn worker or node, the CLI) is seen here within the cache's lifetime at the latest.
An entry never outlives its token's expiry. 0 seconds turns the cache off.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from service import clock
from service.access.models import ApiToken, Team, User


@dataclass(frozen=True)
class _Entry:
    user: dict[str, Any]  # the user's columns as read
    team: dict[str, Any] | None
    token_expires_at: datetime | None
    cached_at: datetime


def _columns(obj: Any) -> dict[str, Any]:
    return {attr.key: getattr(obj, attr.key) for attr in inspect(type(obj)).column_attrs}


class TokenCache:
    def __init__(self, seconds: int) -> None:
        self.lifetime = timedelta(seconds=seconds)
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        # Bumped by every forget: a look-up that began before a forget does not store what it read.
        self.generation = 0

    def get(self, uow_session: Session, digest: str) -> User | None:
        """The token's user, attached to the session without a query; None when not cached (or no longer)."""
        if not self.lifetime:
            return None
        now = clock.now()
        with self._lock:
            entry = self._entries.get(digest)
        if entry is None:
            return None
        expired = entry.token_expires_at is not None and entry.token_expires_at <= now
        if expired or not entry.cached_at <= now < entry.cached_at + self.lifetime:
            self.forget_token(digest)
            return None
        return _attach(uow_session, entry)

    def put(self, digest: str, user: User, token_expires_at: datetime | None, *, since: int) -> None:
        """Store what a look-up that began at generation `since` read, unless something was forgotten meanwhile."""
        if not self.lifetime:
            return
        team = user.__dict__.get("team")  # joined with the user; never loaded here
        entry = _Entry(_columns(user), _columns(team) if team is not None else None, token_expires_at, clock.now())
        with self._lock:
            if self.generation == since:
                self._entries[digest] = entry

    def forget_token(self, digest: str) -> None:
        with self._lock:
            self.generation += 1
            self._entries.pop(digest, None)

    def forget_user(self, user_id: int) -> None:
        with self._lock:
            self.generation += 1
            for digest in [d for d, e in self._entries.items() if e.user["id"] == user_id]:
                del self._entries[digest]

    def clear(self) -> None:
        with self._lock:
            self.generation += 1
            self._entries.clear()


def _attach(session: Session, entry: _Entry) -> User:
    """A User (and its team) in the session as if just loaded: the one already there, or built from the entry."""
    held = session.identity_map.get(identity_key(User, entry.user["id"]))
    if held is not None:
        return held
    user = User(**entry.user)
    if entry.team is not None:
        team = session.identity_map.get(identity_key(Team, entry.team["id"]))
        if team is None:
            team = Team(**entry.team)
            make_transient_to_detached(team)
            session.add(team)
        user.team = team
    else:
        user.team = None
    make_transient_to_detached(user)
    session.add(user)
    return user


_cache = TokenCache(30)


def configure(seconds: int) -> None:
    global _cache
    _cache = TokenCache(seconds)


def cache() -> TokenCache:
    return _cache


def forget(session: Session, *, user_id: int | None = None, digest: str | None = None) -> None:
    """Drop a user's or a token's entry now, and again when the session commits: a request that looked the token up
    between this change and its commit would otherwise have cached what the database still said."""
    pending = session.info.setdefault("token_cache_forget", set())
    pending.add(("user", user_id) if user_id is not None else ("token", digest))
    _forget(pending)


def _forget(pending: set[tuple[str, Any]]) -> None:
    for kind, value in pending:
        if kind == "user":
            _cache.forget_user(value)
        elif kind == "token":
            _cache.forget_token(value)
        else:
            _cache.clear()


@event.listens_for(Session, "after_flush")
def _forget_changed(session: Session, _context: Any) -> None:
    """A user, team or token changed through this process (deactivated, moved, new role, revoked): looked up again."""
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, User):
            forget(session, user_id=obj.id)
        elif isinstance(obj, ApiToken):
            forget(session, digest=obj.token_hash)
        elif isinstance(obj, Team):
            session.info.setdefault("token_cache_forget", set()).add(("all", None))
            _cache.clear()


@event.listens_for(Session, "after_commit")
def _forget_committed(session: Session) -> None:
    pending = session.info.pop("token_cache_forget", None)
    if pending:
        _forget(pending)


@event.listens_for(Session, "after_soft_rollback")
def _nothing_to_forget(session: Session, _previous: Any) -> None:
    session.info.pop("token_cache_forget", None)
