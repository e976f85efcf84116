"""Who may do what: log-in, sessions, bearer tokens, and the team/role rules for tasks and cases."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from werkzeug.security import generate_password_hash

from service import clock
from service.access import token_cache
from service.access.models import ApiToken, Team, User, UserSession
from service.errors import Forbidden, NotFound
from service.uow import UnitOfWork

# BPMN lane names (as the process owner writes them) → roles that work the lane.
LANE_ROLES = {"rådgiver": "raadgiver", "raadgiver": "raadgiver", "teamleder": "teamleder"}
CASEWORK_ROLES = ("raadgiver", "teamleder")


def lane_role(lane: str | None) -> str:
    return LANE_ROLES.get((lane or "").strip().lower(), "raadgiver")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def hash_password(password: str) -> str:
    return generate_password_hash(password)


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


def issue_token(uow: UnitOfWork, user: User, *, lifetime: timedelta) -> tuple[str, ApiToken]:
    raw = secrets.token_urlsafe(32)
    now = clock.now()
    row = ApiToken(token_hash=_digest(raw), user_id=user.id, created_at=now, expires_at=now + lifetime)
    uow.session.add(row)
    return raw, row


def user_for_token(uow: UnitOfWork, raw: str) -> User | None:
    """The token's active user; from the process's token cache when it was looked up moments ago (token_cache.py)."""
    digest = _digest(raw)
    tokens = token_cache.cache()
    since = tokens.generation
    cached = tokens.get(uow.session, digest)
    if cached is not None:
        return cached
    row = uow.session.execute(select(User, ApiToken.expires_at).join(ApiToken, ApiToken.user_id == User.id).where(
        ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None), ApiToken.expires_at > clock.now(),
        User.active.is_(True))).first()
    if row is None:
        return None
    tokens.put(digest, row[0], row[1], since=since)
    return row[0]


def tokens_of(uow: UnitOfWork, viewer: User, user_id: int | None) -> list[ApiToken]:
    """Her own tokens; an administrator may list anyone's."""
    owner = viewer.id if user_id is None else user_id
    if owner != viewer.id and viewer.role != "admin":
        raise Forbidden("Kun administratorer kan se andres tokens.")
    return list(uow.session.scalars(select(ApiToken).where(ApiToken.user_id == owner)
                                    .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_token(uow: UnitOfWork, viewer: User, token_id: int) -> ApiToken:
    token = uow.session.get(ApiToken, token_id)
    if token is None or (token.user_id != viewer.id and viewer.role != "admin"):
        raise NotFound("Tokenet findes ikke.")
    if token.revoked_at is None:
        token.revoked_at = clock.now()
    token_cache.forget(uow.session, digest=token.token_hash)  # at once here (other processes: token_cache.py)
    return token


def end_all_access(uow: UnitOfWork, user_id: int) -> None:
    """Deactivation and a new password: every token is revoked and every log-in session ended."""
    now = clock.now()
    uow.session.execute(update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
                        .values(revoked_at=now))
    token_cache.forget(uow.session, user_id=user_id)
    uow.session.execute(update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
                        .values(ended_at=now))


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
    """May work the team's cases (and so read them): a caseworker or team leader of that team."""
    return may_do_casework(user) and user.team_id == team_id


# Read-only roles: a head of department reads every team's cases, deadlines and management information, changes
# nothing (no task, no underretning, no decision); each read is journalled like anyone else's.
READ_ALL_ROLES = ("afdelingsleder",)


def reads_all_teams(user: User) -> bool:
    return user.role in READ_ALL_ROLES


def may_read_archived(user: User, team_id: int) -> bool:
    """An archived case is past the daily work (domain.md §7): its team's leader and a head of department may still
    find and read it (a complaint, an aktindsigt, a new underretning about the child); a caseworker may not."""
    return (user.role == "teamleder" and may_see_case(user, team_id)) or reads_all_teams(user)


def may_read_case(user: User, team_id: int) -> bool:
    return may_see_case(user, team_id) or reads_all_teams(user)


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
