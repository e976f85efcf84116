"""Who may do what: log-in, sessions, bearer tokens, and the team/role rules for tasks and cases."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from service import clock
from service.access.models import ApiToken, Team, User, UserSession
from service.errors import Forbidden, Unauthorized
from service.uow import UnitOfWork

# BPMN lane names (as the process owner writes them) → roles that work the lane.
LANE_ROLES = {"rådgiver": "raadgiver", "raadgiver": "raadgiver", "teamleder": "teamleder"}
CASEWORK_ROLES = ("raadgiver", "teamleder")
_DUMMY_HASH = generate_password_hash("dummy-password-for-timing")


def lane_role(lane: str | None) -> str:
    return LANE_ROLES.get((lane or "").strip().lower(), "raadgiver")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def authenticate(uow: UnitOfWork, username: str, password: str, *, local_passwords: bool) -> User:
    if not local_passwords:  # SAGSFLOW_LOCAL_PASSWORDS=0: the identity provider is the only way in
        raise Forbidden("Log-ind med adgangskode er slået fra. Brug «Log ind med kommunens login».")
    user = uow.session.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)  # same work either way: no user enumeration by timing
        raise Unauthorized("Forkert brugernavn eller adgangskode.")
    if not check_password_hash(user.password_hash, password):
        raise Unauthorized("Forkert brugernavn eller adgangskode.")
    return user


@dataclass(frozen=True)
class NewSession:
    cookie_value: str
    csrf_token: str


def start_session(uow: UnitOfWork, user: User) -> NewSession:
    raw = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = clock.now()
    uow.session.add(UserSession(id_hash=_digest(raw), user_id=user.id, csrf_token=csrf,
                                created_at=now, last_seen_at=now))
    return NewSession(raw, csrf)


def end_session(uow: UnitOfWork, cookie_value: str) -> None:
    row = uow.session.get(UserSession, _digest(cookie_value))
    if row is not None and row.ended_at is None:
        row.ended_at = clock.now()


def end_user_sessions(uow: UnitOfWork, user_id: int) -> None:
    """Every browser the user is logged in on is logged out (at its next request)."""
    now = clock.now()
    for row in uow.session.scalars(select(UserSession).where(UserSession.user_id == user_id,
                                                             UserSession.ended_at.is_(None))):
        row.ended_at = now


def user_for_session(uow: UnitOfWork, cookie_value: str, *, idle: timedelta,
                     absolute: timedelta) -> tuple[User, UserSession] | None:
    row = uow.session.get(UserSession, _digest(cookie_value))
    now = clock.now()
    if row is None or row.ended_at is not None:
        return None
    if now - row.last_seen_at > idle or now - row.created_at > absolute:
        return None
    user = uow.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if now - row.last_seen_at > timedelta(minutes=1):
        row.last_seen_at = now  # written with the request's own commit, not a commit of its own
    return user, row


def issue_token(uow: UnitOfWork, user: User) -> str:
    raw = secrets.token_urlsafe(32)
    uow.session.add(ApiToken(token_hash=_digest(raw), user_id=user.id, created_at=clock.now()))
    return raw


def user_for_token(uow: UnitOfWork, raw: str) -> User | None:
    return uow.session.scalar(select(User).join(ApiToken, ApiToken.user_id == User.id).where(
        ApiToken.token_hash == _digest(raw), ApiToken.revoked_at.is_(None), User.active.is_(True)))


def csrf_ok(session_row: UserSession, header_value: str | None) -> bool:
    return bool(header_value) and hmac.compare_digest(session_row.csrf_token, header_value or "")


MODEL_OWNER_ROLES = ("procesejer", "admin")


def require_model_owner(user: User) -> None:
    """Process models, tables and their drafts are the process owners' (and administrators') work."""
    if user.role not in MODEL_OWNER_ROLES:
        raise Forbidden("Kun procesejere og administratorer arbejder med procesmodellerne.")


def may_do_casework(user: User) -> bool:
    return user.role in CASEWORK_ROLES and user.team_id is not None


def may_see_case(user: User, team_id: int) -> bool:
    return may_do_casework(user) and user.team_id == team_id


def may_take_task(user: User, *, team_id: int, role: str) -> bool:
    """A caseworker takes caseworker tasks of her team; a team leader takes both lanes of his."""
    if not may_see_case(user, team_id):
        return False
    return user.role == role or (user.role == "teamleder" and role == "raadgiver")


def ensure_team(uow: UnitOfWork, navn: str) -> Team:
    team = uow.session.scalar(select(Team).where(Team.navn == navn))
    if team is None:
        team = Team(navn=navn)
        uow.session.add(team)
        uow.session.flush()
    return team


def users_by_id(uow: UnitOfWork, ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {u.id: u for u in uow.session.scalars(select(User).where(User.id.in_(ids)))}


def caseworkers(uow: UnitOfWork, team_id: int) -> list[User]:
    return list(uow.session.scalars(select(User).where(
        User.team_id == team_id, User.role == "raadgiver", User.active.is_(True)).order_by(User.full_name)))
