"""Signing in with a password: throttled per address and per account, locked after repeated wrong passwords.

Every failure gets the same answer after the same work (a password hash is checked either way), so the answer
tells an attacker neither whether the user exists nor whether the account is locked.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from service import clock
from service.access.models import User
from service.uow import UnitOfWork

LOCK_AFTER = 10
WRONG = ("Forkert brugernavn eller adgangskode. Efter 10 forkerte forsøg i træk spærres kontoen, og din teamleder "
         "kan ophæve spærringen.")
_DUMMY_HASH = generate_password_hash("dummy-password-for-timing")  # checked against when there is no user


@dataclass(frozen=True)
class LoginAttempt:
    user: User | None
    retry_after: int | None = None  # seconds, when throttled


class Throttle:
    """Log-in attempts per address and per account name, in memory (one process) or Redis (several nodes)."""

    def __init__(self, storage_uri: str, *, per_address: str = "30/minute", per_account: str = "10/minute") -> None:
        self._storage = storage_from_string(storage_uri)
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._per_address = parse(per_address)
        self._per_account = parse(per_account)

    def wait(self, address: str, username: str) -> int | None:
        """Counts this attempt; the seconds to wait if either limit is used up, else None."""
        for limit, key in ((self._per_address, address), (self._per_account, username.strip().lower())):
            if not self._limiter.hit(limit, "log-ind", key):
                reset = self._limiter.get_window_stats(limit, "log-ind", key).reset_time
                return max(1, int(reset - time.time()) + 1)  # the store counts in wall-clock seconds
        return None

    def reset(self) -> None:
        self._storage.reset()


def attempt(uow: UnitOfWork, throttle: Throttle, *, username: str, password: str, address: str) -> LoginAttempt:
    """One try; the caller commits either way, since a wrong password's count is a change that must stay."""
    wait = throttle.wait(address, username)
    if wait is not None:
        return LoginAttempt(None, wait)
    user = uow.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    usable = user is not None and user.active and bool(user.password_hash)
    correct = check_password_hash(user.password_hash if usable else _DUMMY_HASH, password)
    if not usable:
        return LoginAttempt(None)
    if not correct:
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= LOCK_AFTER and user.locked_at is None:
            user.locked_at = clock.now()
        return LoginAttempt(None)
    if user.locked_at is not None:
        return LoginAttempt(None)
    user.failed_logins = 0
    return LoginAttempt(user)


def locked_users(uow: UnitOfWork, viewer: User) -> list[User]:
    stmt = select(User).where(User.locked_at.is_not(None)).order_by(User.full_name)
    if viewer.role != "admin":
        stmt = stmt.where(User.team_id == viewer.team_id)
    return list(uow.session.scalars(stmt))


def lift_lock(uow: UnitOfWork, viewer: User, user_id: int) -> User:
    """A team leader lifts the lock of a member of the team; an administrator anyone's."""
    from service.errors import NotFound
    user = uow.session.get(User, user_id)
    if user is None or (viewer.role != "admin" and user.team_id != viewer.team_id):
        raise NotFound("Brugeren findes ikke.")
    user.locked_at, user.failed_logins = None, 0
    return user
