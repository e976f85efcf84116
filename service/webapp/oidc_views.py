"""«Log ind med kommunens login»: the browser's way to the identity provider and back (thin; see oidc, oidc_users)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, current_app, redirect, request, url_for
from flask.blueprints import BlueprintSetupState
from itsdangerous import BadSignature, URLSafeSerializer

from service import clock
from service.access.group_map import load_group_map
from service.access.oidc import OidcClient, OidcRefused, PendingLogin
from service.brugere import oidc_users
from service.config import Settings
from service.errors import DomainError
from service.web import SESSION_COOKIE, uow
from service.webapp import signin

blp = Blueprint("oidc", __name__)

PENDING_COOKIE = "sagsflow_oidc"
PENDING_PATH = "/log-ind/oidc"  # the cookie goes only to the two addresses below


@blp.record_once
def _setup(state: BlueprintSetupState) -> None:
    settings: Settings = state.app.extensions["sagsflow"]["settings"]
    assert settings.oidc_group_map is not None  # noqa: S101 - Settings.check refuses an issuer without a map
    state.app.extensions["sagsflow"]["oidc"] = (OidcClient(settings), load_group_map(settings.oidc_group_map))


def _settings() -> Settings:
    return current_app.extensions["sagsflow"]["settings"]


def _client() -> OidcClient:
    return current_app.extensions["sagsflow"]["oidc"][0]


def _redirect_uri() -> str:
    return _settings().oidc_redirect_url or url_for("oidc.finish", _external=True)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(_settings().secret_key, salt="sagsflow-oidc-login")


@blp.get("/log-ind/oidc")
def begin() -> Any:
    try:
        url, pending = _client().begin(_redirect_uri(), now=clock.now(),
                                       target=signin.safe_or_none(request.args.get("naeste")))
    except DomainError as err:
        return signin.login_page(err.status, error=err.message)
    response = redirect(url)
    response.set_cookie(PENDING_COOKIE, _serializer().dumps(asdict(pending)), httponly=True, samesite="Lax",
                        secure=_settings().secure_cookies, path=PENDING_PATH)
    return response


def _pending() -> PendingLogin:
    try:
        return PendingLogin(**_serializer().loads(request.cookies.get(PENDING_COOKIE, "")))
    except (BadSignature, TypeError):
        raise OidcRefused("Log-ind blev ikke startet fra denne browser, eller det er allerede brugt. "
                          "Start forfra.") from None


@blp.get("/log-ind/oidc/retur")
def finish() -> Any:
    settings = _settings()
    try:
        pending = _pending()
        claims = _client().finish(pending, request.args, _redirect_uri(), now=clock.now())
    except DomainError as err:
        return _forget_pending(signin.login_page(err.status, error=err.message))
    unit = uow()
    outcome = oidc_users.sign_in(unit, issuer=settings.oidc_issuer, claims=claims,
                                 rules=current_app.extensions["sagsflow"]["oidc"][1],
                                 group_claim=settings.oidc_group_claim,
                                 previous_cookie=request.cookies.get(SESSION_COOKIE))
    unit.commit()  # a refusal is committed too: it deactivates the user and ends the sessions
    if outcome.session is None:
        response = signin.login_page(403, error=outcome.refusal)
        return _forget_pending(response)
    response = redirect(signin.safe_next(pending.target, outcome.user))
    response.set_cookie(SESSION_COOKIE, outcome.session.cookie_value, httponly=True, samesite="Lax",
                        secure=settings.secure_cookies, path="/")
    return _forget_pending(response)


def _forget_pending(response: Any) -> Any:
    """One return per start: the state, nonce and verifier are used up whatever the outcome."""
    if isinstance(response, tuple):
        body, status = response
        response = current_app.make_response((body, status))
    response.delete_cookie(PENDING_COOKIE, path=PENDING_PATH)
    return response
