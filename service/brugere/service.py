"""Users as an administrator manages them: create, edit, move, deactivate and reactivate, reset a password.

Every function takes the unit of work and the acting administrator, checks the input (Danish errors per field),
changes the rows and logs the change; the caller commits. Nothing is ever deleted.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from service.access import service as access
from service.access.models import ROLE_NAMES, ROLES, TEAM_ROLES, Team, User
from service.brugere import changes
from service.brugere.changes import Actor
from service.brugere.release import release_tasks_no_longer_theirs
from service.errors import FieldError, NotFound, ValidationFailed
from service.uow import UnitOfWork

MIN_PASSWORD = 12
USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,79}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
USERNAME_RULE = ("Brugernavnet skal være 2–80 tegn: små bogstaver a–z, tal og punktum, bindestreg, understreg "
                 "eller @, først et bogstav eller tal.")
EDITABLE = ("brugernavn", "navn", "email", "rolle", "team_id")


@dataclass(frozen=True)
class Created:
    user: User
    one_time_password: str | None  # shown once when Sagsflow chose the password; never stored or logged


def get_user(uow: UnitOfWork, user_id: int) -> User:
    user = uow.session.get(User, user_id)
    if user is None:
        raise NotFound("Brugeren findes ikke.")
    return user


def by_username(uow: UnitOfWork, username: str) -> User:
    user = uow.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None:
        raise NotFound(f"Brugeren «{username}» findes ikke.")
    return user


def list_users(uow: UnitOfWork, *, search: str | None = None, role: str | None = None, team_id: int | None = None,
               active: bool | None = None) -> list[User]:
    stmt = select(User)
    if search:
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.username).like(like), func.lower(User.full_name).like(like),
                              func.lower(User.email).like(like)))
    if role:
        stmt = stmt.where(User.role == role)
    if team_id is not None:
        stmt = stmt.where(User.team_id == team_id)
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    return list(uow.session.scalars(stmt.order_by(User.active.desc(), User.full_name, User.username)))


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _check(uow: UnitOfWork, user: User | None, values: dict[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
    """The wanted state of the editable fields (old values where none is given), checked field by field."""
    errors: list[FieldError] = []
    wanted: dict[str, Any] = {
        "brugernavn": user.username if user else None, "navn": user.full_name if user else None,
        "email": user.email if user else None, "rolle": user.role if user else None,
        "team_id": user.team_id if user else None}
    if "brugernavn" in values or user is None:
        name = _text(values.get("brugernavn")).lower()
        if not USERNAME.fullmatch(name):
            errors.append(FieldError("brugernavn", USERNAME_RULE))
        elif uow.session.scalar(select(User.id).where(func.lower(User.username) == name,
                                                      User.id != (user.id if user else -1))) is not None:
            errors.append(FieldError("brugernavn", f"Brugernavnet «{name}» er allerede i brug."))
        wanted["brugernavn"] = name
    if "navn" in values or user is None:
        wanted["navn"] = _text(values.get("navn"))
        if not wanted["navn"] or len(wanted["navn"]) > 200:
            errors.append(FieldError("navn", "Skriv brugerens fulde navn (højst 200 tegn)."))
    if "email" in values:
        wanted["email"] = _text(values.get("email")) or None
        if wanted["email"] and (len(wanted["email"]) > 200 or not EMAIL.fullmatch(wanted["email"])):
            errors.append(FieldError("email", "E-mailadressen er ikke gyldig (fx navn@kommune.dk)."))
    role_given = "rolle" in values or user is None
    if role_given:
        wanted["rolle"] = _text(values.get("rolle"))
        if wanted["rolle"] not in ROLES:
            errors.append(FieldError("rolle", "Vælg en af rollerne: " + ", ".join(ROLE_NAMES.values()) + "."))
    if "team_id" in values:
        wanted["team_id"] = values.get("team_id")
    elif role_given and wanted["rolle"] not in TEAM_ROLES:
        wanted["team_id"] = None  # a role without a team leaves the team it had
    errors += _check_team(uow, wanted["rolle"], wanted["team_id"])
    if user is not None and user.role == "admin" and user.active and wanted["rolle"] != "admin":
        errors += _keep_an_admin(uow, user, "rolle")
    return wanted, errors


def _check_team(uow: UnitOfWork, role: str | None, team_id: Any) -> list[FieldError]:
    if role not in ROLES:
        return []
    if role not in TEAM_ROLES:
        return [] if team_id is None else [FieldError("team_id", "Kun rådgivere og teamledere hører til et team.")]
    if team_id is None or team_id == "":
        return [FieldError("team_id", f"En {ROLE_NAMES[role].lower()} skal høre til et team. Vælg teamet.")]
    team = uow.session.get(Team, team_id) if isinstance(team_id, int) else None
    if team is None:
        return [FieldError("team_id", "Teamet findes ikke.")]
    if not team.active:
        return [FieldError("team_id", f"Teamet «{team.navn}» er nedlagt. Vælg et andet team.")]
    return []


def _keep_an_admin(uow: UnitOfWork, user: User, field: str) -> list[FieldError]:
    others = uow.session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.active.is_(True), User.id != user.id))
    if others:
        return []
    return [FieldError(field, "Det er den sidste aktive administrator. Opret eller aktivér en anden først.")]


def _check_password(password: str | None, field: str = "adgangskode") -> list[FieldError]:
    if password is None:
        return []
    if len(password) < MIN_PASSWORD:
        return [FieldError(field, f"Adgangskoden skal være mindst {MIN_PASSWORD} tegn.")]
    if len(password) > 200:
        return [FieldError(field, "Adgangskoden må højst være 200 tegn.")]
    return []


def one_time_password() -> str:
    return secrets.token_urlsafe(12)  # 16 characters, ~96 bits


def create_user(uow: UnitOfWork, actor: Actor, values: dict[str, Any]) -> Created:
    """A new active user; without a given password Sagsflow chooses one and returns it (once)."""
    wanted, errors = _check(uow, None, values)
    password = values.get("adgangskode") or None
    errors += _check_password(password)
    if errors:
        raise ValidationFailed("Brugeren kan ikke oprettes.", errors)
    chosen = None if password else one_time_password()
    user = User(username=wanted["brugernavn"], full_name=wanted["navn"], email=wanted["email"], role=wanted["rolle"],
                team_id=wanted["team_id"], password_hash=access.hash_password(password or chosen), active=True)
    uow.session.add(user)
    uow.session.flush()
    changes.record(uow, actor, action="bruger_oprettet", user_id=user.id, team_id=user.team_id,
                   summary=f"{user.username} ({user.full_name}) oprettet som {ROLE_NAMES[user.role].lower()}"
                           + (f" i {_team_name(uow, user.team_id)}" if user.team_id else ""),
                   data={"brugernavn": user.username, "navn": user.full_name, "email": user.email,
                         "rolle": user.role, "team_id": user.team_id})
    return Created(user, chosen)


def _team_name(uow: UnitOfWork, team_id: int | None) -> str:
    team = uow.session.get(Team, team_id) if team_id is not None else None
    return team.navn if team else "intet team"


_COLUMNS = {"brugernavn": "username", "navn": "full_name", "email": "email", "rolle": "role", "team_id": "team_id"}
_LABELS = {"brugernavn": "brugernavn", "navn": "navn", "email": "e-mail", "rolle": "rolle", "team_id": "team"}


def edit_user(uow: UnitOfWork, actor: Actor, user_id: int, values: dict[str, Any]) -> User:
    """Change name, username, e-mail, role or team; tasks the user can no longer do are released."""
    user = get_user(uow, user_id)
    given = {k: v for k, v in values.items() if k in EDITABLE}
    wanted, errors = _check(uow, user, given)
    if errors:
        raise ValidationFailed("Brugeren kan ikke ændres.", errors)
    diff = {field: [getattr(user, column), wanted[field]] for field, column in _COLUMNS.items()
            if getattr(user, column) != wanted[field]}
    if not diff:
        return user
    old_team = user.team_id
    for field in diff:
        setattr(user, _COLUMNS[field], wanted[field])
    uow.session.flush()
    uow.session.expire(user, ["team"])  # the loaded relationship would still show the old team
    words = []
    for field, (before, after) in diff.items():
        if field == "team_id":
            before, after = _team_name(uow, before), _team_name(uow, after)
        elif field == "rolle":
            before, after = ROLE_NAMES.get(before, before).lower(), ROLE_NAMES[after].lower()
        words.append(f"{_LABELS[field]} {before or '–'} → {after or '–'}")
    action = "bruger_flyttet" if set(diff) == {"team_id"} else "bruger_rettet"
    changes.record(uow, actor, action=action, user_id=user.id, team_id=user.team_id or old_team,
                   summary=f"{user.username}: " + "; ".join(words), data=diff)
    if "team_id" in diff or "rolle" in diff:
        reason = f"er flyttet til {_team_name(uow, user.team_id)}" if "team_id" in diff else "har fået en anden rolle"
        release_tasks_no_longer_theirs(uow, actor, user, reason)
    return user


def move_user(uow: UnitOfWork, actor: Actor, user_id: int, team_id: int | None) -> User:
    """A caseworker or team leader to another team; tasks taken in the old team are released there."""
    return edit_user(uow, actor, user_id, {"team_id": team_id})


def deactivate_user(uow: UnitOfWork, actor: Actor, user_id: int) -> User:
    """The user can no longer log in, is logged out everywhere, and their taken tasks go back to the team."""
    user = get_user(uow, user_id)
    if not user.active:
        return user
    if user.role == "admin":
        errors = _keep_an_admin(uow, user, "aktiv")
        if errors:
            raise ValidationFailed("Brugeren kan ikke deaktiveres.", errors)
    user.active = False
    access.end_all_access(uow, user.id)
    released = release_tasks_no_longer_theirs(uow, actor, user, "er deaktiveret")
    changes.record(uow, actor, action="bruger_deaktiveret", user_id=user.id, team_id=user.team_id,
                   summary=f"{user.username} deaktiveret og logget ud overalt; {len(released)} opgave(r) frigivet",
                   data={"frigivne_opgaver": [t.id for t in released]})
    return user


def reactivate_user(uow: UnitOfWork, actor: Actor, user_id: int) -> User:
    user = get_user(uow, user_id)
    if user.active:
        return user
    errors = _check_team(uow, user.role, user.team_id)
    if errors:
        raise ValidationFailed("Brugeren kan ikke aktiveres. Flyt brugeren til et aktivt team først.", errors)
    user.active = True
    changes.record(uow, actor, action="bruger_aktiveret", user_id=user.id, team_id=user.team_id,
                   summary=f"{user.username} aktiveret igen")
    return user


def reset_password(uow: UnitOfWork, actor: Actor, user_id: int, password: str | None = None) -> str | None:
    """Set the given password, or one Sagsflow chooses (returned once). The user is logged out everywhere, as a
    reset usually means the old password may be known to someone else; a lock after wrong passwords is lifted."""
    user = get_user(uow, user_id)
    errors = _check_password(password or None)
    if errors:
        raise ValidationFailed("Adgangskoden kan ikke sættes.", errors)
    chosen = None if password else one_time_password()
    user.password_hash = access.hash_password(password or chosen)
    user.locked_at, user.failed_logins = None, 0
    access.end_all_access(uow, user.id)
    changes.record(uow, actor, action="adgangskode_nulstillet", user_id=user.id, team_id=user.team_id,
                   summary=f"Ny adgangskode til {user.username} "
                           + ("(midlertidig, valgt af Sagsflow)" if chosen else "(angivet af administrator)"))
    return chosen
