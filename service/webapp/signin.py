"""Browser log-in: the API's server-side sessions, with the CSRF token as a hidden form field."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from flask import current_app, g, redirect, render_template, request

from service import web
from service.access import service as access
from service.access.models import User
from service.errors import Forbidden
from service.web import SESSION_COOKIE, cookie_session, uow

CSRF_FIELD = "csrf_token"


def page(view: Callable[..., Any]) -> Callable[..., Any]:
    """A page for a logged-in user: sends others to the log-in page, checks the CSRF field on POST."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        found = cookie_session()
        if found is None:
            return redirect(f"/log-ind?naeste={quote(request.path)}")
        user, session_row = found
        if request.method == "POST" and not access.csrf_ok(session_row, request.form.get(CSRF_FIELD)):
            raise Forbidden("Formularen er udløbet. Genindlæs siden og prøv igen.")
        g.user, g.csrf_token = user, session_row.csrf_token
        return view(*args, **kwargs)

    return wrapper


_HOMES = {"admin": "/brugere", "afdelingsleder": "/ledelsesinformation", "procesejer": "/modeller"}


def home(user: User | None) -> str:
    """Where a user starts: caseworkers and team leaders in the inbox, process owners with the process models,
    administrators with the users, heads of department with the management information."""
    if user is None or access.may_do_casework(user):
        return "/indbakke"
    return _HOMES.get(user.role, "/modeller")


def safe_or_none(target: str | None) -> str | None:
    """Only paths on this site: '/sager/…', never '//evil' or 'https://…'."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def safe_next(target: str | None, user: User | None = None) -> str:
    return safe_or_none(target) or home(user)


def sign_in(username: str, password: str, target: str | None) -> Any:
    unit = uow()
    user = web.password_sign_in(username, password)
    access.end_session(unit, request.cookies.get(SESSION_COOKIE, ""))  # a new session id at every log-in
    new = access.start_session(unit, user)
    unit.commit()
    response = redirect(safe_next(target, user))
    response.set_cookie(SESSION_COOKIE, new.cookie_value, httponly=True, samesite="Lax",
                        secure=current_app.extensions["sagsflow"]["settings"].secure_cookies, path="/")
    return response


def login_page(status: int = 200, **context: Any) -> tuple[str, int]:
    """The log-in page: the identity provider's button when configured, the password form unless switched off."""
    settings = current_app.extensions["sagsflow"]["settings"]
    return render_template("log_ind.html", oidc=settings.oidc_enabled, local_passwords=settings.local_passwords,
                           **context), status


def sign_out() -> Any:
    unit = uow()
    access.end_session(unit, request.cookies.get(SESSION_COOKIE, ""))
    unit.commit()
    response = redirect("/log-ind?logget_ud=1")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
