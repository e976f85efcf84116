"""The browser's part of the log-in dance: our app through Flask's test client, the provider over real HTTP."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.signin.conftest import REDIRECT_URI


def at_provider(authorize_url: str, login: str) -> str:
    """Log in at the provider as `login` (its devInteractions forms: login, then consent); the return address."""
    browser = requests.Session()
    url, method, data = authorize_url, "GET", None
    for _ in range(12):
        response = browser.request(method, url, data=data, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url, method, data = urljoin(url, response.headers["Location"]), "GET", None
            if url.startswith(REDIRECT_URI):
                return url
            continue
        assert response.status_code == 200, f"{response.status_code} from the provider at {url}"
        action = re.search(r'<form[^>]*action="([^"]+)"', response.text)
        prompt = re.search(r'name="prompt" value="(\w+)"', response.text)
        assert action and prompt, f"no log-in form at {url}"
        url, method = urljoin(url, action.group(1)), "POST"
        data = {"prompt": prompt.group(1), "login": login, "password": "test"}
    raise AssertionError("the provider never sent the browser back")


def start(client: FlaskClient, naeste: str | None = None) -> str:
    response = client.get("/log-ind/oidc" + (f"?naeste={naeste}" if naeste else ""))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def back(client: FlaskClient, return_url: str) -> TestResponse:
    parts = urlsplit(return_url)
    return client.get(f"{parts.path}?{parts.query}")


def log_in(client: FlaskClient, login: str) -> TestResponse:
    """The whole dance: our button, the provider's log-in, and the return to us."""
    return back(client, at_provider(start(client), login))


def tokens_from(issuer: str, login: str, *, client_id: str, secret: str, nonce: str) -> dict:
    """The provider's token response for `client_id` (another system, or us outside our app): a real ID token."""
    with OAuth2Session(client_id, secret, scope="openid profile email groups", redirect_uri=REDIRECT_URI,
                       code_challenge_method="S256") as session:
        verifier = generate_token(64)
        url, _ = session.create_authorization_url(f"{issuer}/auth", code_verifier=verifier, nonce=nonce)
        return session.fetch_token(f"{issuer}/token", authorization_response=at_provider(url, login),
                                   code_verifier=verifier)
