from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base, UtcDateTime

ROLES = ("raadgiver", "teamleder", "procesejer", "admin", "afdelingsleder")
ROLE_NAMES = {"raadgiver": "Rådgiver", "teamleder": "Teamleder", "procesejer": "Procesejer", "admin": "Administrator",
              "afdelingsleder": "Afdelingsleder"}
TEAM_ROLES = ("raadgiver", "teamleder")  # the roles that work a team's cases, so belong to one team


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    navn: Mapped[str] = mapped_column(String(120), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Wrong passwords in a row; at LOCK_AFTER the account is locked until a team leader or admin lifts it.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Notices by e-mail: "straks" (one mail each), "dagligt" (a digest in the morning) or "aldrig".
    email_frekvens: Mapped[str] = mapped_column(String(10), default="straks", server_default="straks")
    # The Danish day of the last digest: set in the digest mail's transaction, so a day gets one digest.
    email_digest_dag: Mapped[date | None] = mapped_column(Date)

    team: Mapped[Team | None] = relationship(lazy="joined")


class UserSession(Base):
    """Server-side login session: the cookie holds only a random id, so logout really ends it."""

    __tablename__ = "user_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # None only for tokens from before expiry
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class OidcIdentity(Base):
    """The identity provider's person behind a user: (issuer, sub) is stable, a username may be renamed."""

    __tablename__ = "oidc_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_oidc_identities_issuer_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    issuer: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(255))
    first_login_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_login_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Set when a log-in found none of the person's groups in the map and the user was deactivated for it;
    # only such a user comes back by being put in a group again (an administrator's deactivation stays).
    refused_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
