"""Who a person signed in by the identity provider is in Sagsflow: their groups decide role and team at every log-in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from service import clock
from service.access import group_map
from service.access import service as access
from service.access.group_map import GroupRule
from service.access.models import OidcIdentity, User
from service.brugere import changes
from service.brugere.release import release_tasks_no_longer_theirs
from service.uow import UnitOfWork

NO_GROUP = ("Du er ikke (længere) med i en gruppe, der giver adgang til Sagsflow. "
            "Kontakt din leder eller IT-afdelingen.")
DEACTIVATED = "Din bruger er deaktiveret i Sagsflow. Kontakt en administrator."
NAME_TAKEN = ("Brugernavnet {username} findes allerede som lokal bruger i Sagsflow. "
              "En administrator skal omdøbe eller deaktivere den lokale bruger først.")


@dataclass(frozen=True)
class OidcSignIn:
    user: User | None
    session: access.NewSession | None
    refusal: str | None = None  # Danish, for the log-in page; then nobody is signed in


def _provider(issuer: str) -> changes.Actor:
    """Changes made by the groups at the identity provider are logged as its, not an administrator's."""
    return changes.Actor(None, f"idp:{issuer}"[:120])


def _groups(claims: dict[str, Any], claim: str) -> list[str]:
    value = claims.get(claim)
    if isinstance(value, str):
        return [value]
    return [g for g in value if isinstance(g, str)] if isinstance(value, list) else []


def sign_in(uow: UnitOfWork, *, issuer: str, claims: dict[str, Any], rules: Sequence[GroupRule], group_claim: str,
            previous_cookie: str | None = None) -> OidcSignIn:
    """Create the user at the first log-in, set role and team from the groups at every one, start a new session.

    A person whose groups no longer give a role is refused, deactivated and logged out everywhere: being removed
    from the group in the identity provider takes effect at the next log-in.
    """
    now = clock.now()
    if previous_cookie:
        access.end_session(uow, previous_cookie)  # a new session id at every log-in, never the old one reused
    rule = group_map.match(rules, _groups(claims, group_claim))
    identity = uow.session.scalar(select(OidcIdentity).where(OidcIdentity.issuer == issuer,
                                                             OidcIdentity.subject == claims["sub"]))
    if identity is None:
        if rule is None:
            return OidcSignIn(None, None, NO_GROUP)
        username = str(claims.get("preferred_username") or claims["sub"])[:80]
        if uow.session.scalar(select(User.id).where(User.username == username)) is not None:
            # Linking by name would let whoever controls the name at the provider take over a local account.
            return OidcSignIn(None, None, NAME_TAKEN.format(username=username))
        user = User(username=username, full_name=username, role=rule.role, password_hash=None, active=True,
                    team_id=access.ensure_team(uow, rule.team).id if rule.team else None)
        uow.session.add(user)
        uow.session.flush()
        changes.record(uow, _provider(issuer), action="bruger_oprettet", user_id=user.id,
                       summary=f"{username} oprettet ved første log-ind hos identitetsudbyderen")
        identity = OidcIdentity(user_id=user.id, issuer=issuer, subject=claims["sub"], first_login_at=now,
                                last_login_at=now)
        uow.session.add(identity)
    user = uow.session.get(User, identity.user_id)
    identity.last_login_at = now
    if rule is None:
        if user.active:
            user.active = False
            identity.refused_at = now
            access.end_all_access(uow, user.id)
            changes.record(uow, _provider(issuer), action="bruger_deaktiveret", user_id=user.id,
                           summary=f"{user.username} deaktiveret: ikke længere i en gruppe med adgang")
            release_tasks_no_longer_theirs(uow, _provider(issuer), user, "ikke længere har adgang")
        return OidcSignIn(None, None, NO_GROUP)
    if not user.active:
        if identity.refused_at is None:  # an administrator deactivated the user; the groups do not undo that
            return OidcSignIn(None, None, DEACTIVATED)
        user.active, identity.refused_at = True, None
        changes.record(uow, _provider(issuer), action="bruger_aktiveret", user_id=user.id,
                       summary=f"{user.username} genaktiveret: igen i en gruppe med adgang")
    team_id = access.ensure_team(uow, rule.team).id if rule.team else None
    if (user.role, user.team_id) != (rule.role, team_id):
        changes.record(uow, _provider(issuer), action="bruger_rettet", user_id=user.id, team_id=team_id,
                       summary=f"{user.username}: rolle og team fra grupperne hos identitetsudbyderen",
                       data={"rolle": [user.role, rule.role], "team_id": [user.team_id, team_id]})
        user.role, user.team_id = rule.role, team_id
        release_tasks_no_longer_theirs(uow, _provider(issuer), user, "har fået en anden rolle eller et andet team")
    user.full_name = str(claims.get("name") or user.full_name)[:200]
    if isinstance(claims.get("email"), str):
        user.email = claims["email"][:200]
    uow.session.flush()
    return OidcSignIn(user, access.start_session(uow, user))
