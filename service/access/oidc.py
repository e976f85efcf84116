"""OpenID Connect against the municipality's identity provider: authorisation code flow with PKCE (Authlib).

The protocol only; who the person becomes in Sagsflow is `oidc_users`. Every refusal is an `OidcRefused` with a
Danish message for the log-in page; an identity provider that cannot be reached is an `OidcUnavailable`.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc6749.errors import OAuth2Error
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError, InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from service.config import Settings
from service.errors import DomainError, Unauthorized

PENDING_MINUTES = 10  # from the button to the return: longer than any real log-in at the provider
LEEWAY_SECONDS = 60  # clock skew between the provider and us
HTTP_TIMEOUT = 10
AUTH_METHOD = "client_secret_basic"  # the client secret in the token request's Authorization header  # noqa: S105
# Asymmetric signatures only: "none" and HMAC (keyed with our own client secret) are never accepted.
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")


class OidcRefused(Unauthorized):
    title = "Log-ind mislykkedes"


class OidcUnavailable(DomainError):
    status = 503
    title = "Kommunens login svarer ikke"


_UNAVAILABLE = "Kommunens login kan ikke nås lige nu. Prøv igen om lidt, eller kontakt IT-afdelingen."


@dataclass(frozen=True)
class PendingLogin:
    """What the return from the provider must match; kept in a signed cookie, never in a URL of ours."""

    state: str
    nonce: str
    code_verifier: str
    started_at: float  # our clock, seconds since the epoch
    target: str | None = None  # the page the person asked for before logging in


class OidcClient:
    def __init__(self, settings: Settings) -> None:
        self.issuer = settings.oidc_issuer
        self.client_id = settings.oidc_client_id
        self._secret = settings.oidc_client_secret
        self.scope = settings.oidc_scopes
        self.group_claim = settings.oidc_group_claim
        self._metadata: dict[str, Any] | None = None
        self._jwks: dict[str, Any] | None = None
        self._lock = threading.Lock()

    # --- the provider's published metadata and keys (fetched at first use, kept for the process) ------

    def metadata(self) -> dict[str, Any]:
        with self._lock:
            if self._metadata is None:
                data = self._get_json(self.issuer.rstrip("/") + "/.well-known/openid-configuration")
                if data.get("issuer") != self.issuer:  # OpenID Connect Discovery 4.3: must be identical
                    raise OidcUnavailable(f"Kommunens login oplyser en anden udsteder ({data.get('issuer')!s:.100}) "
                                          "end SAGSFLOW_OIDC_ISSUER. Kontakt IT-afdelingen.")
                self._metadata = data
            return self._metadata

    def _key_set(self, *, refresh: bool = False) -> KeySet:
        metadata = self.metadata()
        with self._lock:
            if self._jwks is None or refresh:
                self._jwks = self._get_json(metadata["jwks_uri"])
            return KeySet.import_key_set(self._jwks)  # type: ignore[arg-type]

    @staticmethod
    def _get_json(url: str) -> dict[str, Any]:
        try:
            response = requests.get(url, timeout=HTTP_TIMEOUT)
            response.raise_for_status()
            data = response.json()
        except (requests.RequestException, ValueError):
            raise OidcUnavailable(_UNAVAILABLE) from None
        if not isinstance(data, dict):
            raise OidcUnavailable(_UNAVAILABLE)
        return data

    def _session(self, redirect_uri: str) -> OAuth2Session:
        return OAuth2Session(self.client_id, self._secret, scope=self.scope, redirect_uri=redirect_uri,
                             code_challenge_method="S256", token_endpoint_auth_method=AUTH_METHOD)

    # --- the flow --------------------------------------------------------------------------------------

    def begin(self, redirect_uri: str, *, now: datetime, target: str | None = None) -> tuple[str, PendingLogin]:
        """The provider's address to send the browser to, and what its return must match."""
        pending = PendingLogin(state=generate_token(32), nonce=generate_token(32), code_verifier=generate_token(64),
                               started_at=now.timestamp(), target=target)
        with self._session(redirect_uri) as session:
            url, _ = session.create_authorization_url(self.metadata()["authorization_endpoint"], state=pending.state,
                                                      nonce=pending.nonce, code_verifier=pending.code_verifier)
        return url, pending

    def finish(self, pending: PendingLogin, params: Mapping[str, str], redirect_uri: str, *,
               now: datetime) -> dict[str, Any]:
        """The return from the provider: check it, exchange the code, and give the validated ID token's claims."""
        if now.timestamp() - pending.started_at > PENDING_MINUTES * 60:
            raise OidcRefused("Log-ind tog for lang tid. Start forfra.")
        if not hmac.compare_digest(params.get("state", ""), pending.state):
            raise OidcRefused("Svaret fra kommunens login hører ikke til dette log-ind (state). Start forfra.")
        if params.get("error"):
            raise OidcRefused(f"Kommunens login afviste log-ind ({params['error']:.60}). Start forfra, "
                              "eller kontakt IT-afdelingen.")
        if "iss" in params and params["iss"] != self.issuer:  # RFC 9207: the answer of another provider
            raise OidcRefused("Svaret kom fra en anden udsteder end kommunens login. Start forfra.")
        if not params.get("code"):
            raise OidcRefused("Svaret fra kommunens login mangler koden. Start forfra.")
        try:
            with self._session(redirect_uri) as session:
                token = session.fetch_token(self.metadata()["token_endpoint"], code=params["code"],
                                            code_verifier=pending.code_verifier, timeout=HTTP_TIMEOUT)
        except OAuth2Error as err:
            raise OidcRefused(f"Kommunens login ville ikke udstede et token ({err.error}). Start forfra.") from None
        except requests.RequestException:
            raise OidcUnavailable(_UNAVAILABLE) from None
        claims = self.validate_id_token(token.get("id_token"), nonce=pending.nonce, now=now,
                                        access_token=token.get("access_token"))
        if self.group_claim not in claims and token.get("access_token") and self.metadata().get("userinfo_endpoint"):
            # Some providers put groups only in userinfo (oidc-provider's default; a Keycloak mapper's option).
            claims = {**self._userinfo(token["access_token"], claims["sub"]), **claims}
        return claims

    def _userinfo(self, access_token: str, subject: str) -> dict[str, Any]:
        try:
            response = requests.get(self.metadata()["userinfo_endpoint"], timeout=HTTP_TIMEOUT,
                                    headers={"Authorization": f"Bearer {access_token}"})
            response.raise_for_status()
            data = response.json()
        except (requests.RequestException, ValueError):
            raise OidcUnavailable(_UNAVAILABLE) from None
        if not isinstance(data, dict) or data.get("sub") != subject:  # OpenID Connect Core 5.3.4
            raise OidcRefused("Brugeroplysningerne fra kommunens login passer ikke til ID-tokenet og afvises.")
        return data

    def validate_id_token(self, id_token: str | None, *, nonce: str, now: datetime,
                          access_token: str | None = None) -> dict[str, Any]:
        """Signature (the provider's published keys), issuer, audience, expiry against OUR clock, and nonce."""
        if not id_token:
            raise OidcRefused("Kommunens login sendte intet ID-token. Kontakt IT-afdelingen.")
        algorithms = [a for a in self.metadata().get("id_token_signing_alg_values_supported", ["RS256"])
                      if a in SIGNING_ALGORITHMS]
        try:
            try:
                token = jwt.decode(id_token, self._key_set(), algorithms=algorithms)
            except InvalidKeyIdError:  # the provider rotated its keys since we fetched them
                token = jwt.decode(id_token, self._key_set(refresh=True), algorithms=algorithms)
        except BadSignatureError:
            raise OidcRefused("ID-tokenet fra kommunens login har en forkert signatur og afvises.") from None
        except JoseError:
            raise OidcRefused("ID-tokenet fra kommunens login kunne ikke læses og afvises.") from None
        claims = CodeIDToken(token.claims, token.header,
                             {"iss": {"essential": True, "value": self.issuer},
                              "aud": {"essential": True, "value": self.client_id},
                              "sub": {"essential": True}},
                             {"nonce": nonce, "client_id": self.client_id, "access_token": access_token})
        try:
            claims.validate(now=int(now.timestamp()), leeway=LEEWAY_SECONDS)
        except ExpiredTokenError:
            raise OidcRefused("ID-tokenet fra kommunens login er udløbet. Log ind igen.") from None
        except JoseError as err:
            raise OidcRefused(f"ID-tokenet fra kommunens login afvises ({getattr(err, 'claim', '') or err.error}).") \
                from None
        return dict(claims)
