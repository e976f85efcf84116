"""The ID token checks one by one, on real ID tokens from the provider (ours and another system's)."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from service.access.oidc import OidcClient, OidcRefused
from service.app import create_app
from tests.signin.conftest import CLIENT_ID, CLIENT_SECRET
from tests.signin.support import log_in, tokens_from

PERSON = {"preferred_username": "bo", "name": "Bo Berg", "groups": ["sagsflow-raadgivere-syd"]}


@pytest.fixture
def ours(settings, provider):  # noqa: ANN001, ANN201 - no database needed: settings only
    provider.set_accounts({"bo-sub": PERSON})
    return OidcClient(settings), provider


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_our_own_token_passes_with_its_claims(ours):
    client, provider = ours
    token = tokens_from(provider.issuer, "bo-sub", client_id=CLIENT_ID, secret=CLIENT_SECRET, nonce="n-1")
    claims = client.validate_id_token(token["id_token"], nonce="n-1", now=datetime.now(UTC),
                                      access_token=token["access_token"])
    assert (claims["sub"], claims["groups"], claims["aud"]) == ("bo-sub", ["sagsflow-raadgivere-syd"], CLIENT_ID)


def test_a_token_for_another_nonce_is_refused(ours):
    client, provider = ours
    token = tokens_from(provider.issuer, "bo-sub", client_id=CLIENT_ID, secret=CLIENT_SECRET, nonce="n-1")
    with pytest.raises(OidcRefused, match="nonce"):
        client.validate_id_token(token["id_token"], nonce="another-log-in", now=datetime.now(UTC))


def test_a_token_issued_to_another_system_is_refused(ours):
    client, provider = ours
    token = tokens_from(provider.issuer, "bo-sub", client_id="andet-system", secret="andet-system-secret", nonce="n")
    with pytest.raises(OidcRefused, match="aud"):
        client.validate_id_token(token["id_token"], nonce="n", now=datetime.now(UTC))


def test_expiry_is_judged_by_our_clock_with_a_minute_of_leeway(ours):
    client, provider = ours
    token = tokens_from(provider.issuer, "bo-sub", client_id=CLIENT_ID, secret=CLIENT_SECRET, nonce="n")
    exp = datetime.fromtimestamp(json.loads(base64.urlsafe_b64decode(token["id_token"].split(".")[1] + "=="))["exp"],
                                 UTC)
    assert client.validate_id_token(token["id_token"], nonce="n", now=exp + timedelta(seconds=59))
    with pytest.raises(OidcRefused, match="udløbet"):
        client.validate_id_token(token["id_token"], nonce="n", now=exp + timedelta(seconds=61))


def test_an_unsigned_token_is_refused(ours):
    client, provider = ours
    token = tokens_from(provider.issuer, "bo-sub", client_id=CLIENT_ID, secret=CLIENT_SECRET, nonce="n")
    payload = token["id_token"].split(".")[1]
    with pytest.raises(OidcRefused, match="kunne ikke læses"):
        client.validate_id_token(f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.", nonce="n", now=datetime.now(UTC))


def test_a_payload_changed_after_signing_is_refused(ours):
    client, provider = ours
    token = tokens_from(provider.issuer, "bo-sub", client_id=CLIENT_ID, secret=CLIENT_SECRET, nonce="n")
    header, payload, signature = token["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    forged = _b64({**claims, "groups": ["sagsflow-teamledere-nord"]})
    with pytest.raises(OidcRefused, match="forkert signatur"):
        client.validate_id_token(f"{header}.{forged}.{signature}", nonce="n", now=datetime.now(UTC))


def test_groups_only_in_userinfo_are_fetched_from_there(app, settings, userinfo_provider):
    userinfo_provider.set_accounts({"bo-sub": PERSON})
    other = create_app(replace(settings, oidc_issuer=userinfo_provider.issuer))
    try:
        client = other.test_client()
        assert log_in(client, "bo-sub").status_code == 302
        me = client.get("/api/me").get_json()
        assert (me["role"], me["team"]["navn"]) == ("raadgiver", "Team Syd")
    finally:
        other.extensions["sagsflow"]["engine"].dispose()
