"""Sign-in through the municipality's identity provider: a real OpenID Connect provider on loopback, no mocks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

from sqlalchemy import select

from service.access.models import OidcIdentity, User
from service.app import create_app
from service.brugere import changes
from service.uow import UnitOfWork
from service.web import SESSION_COOKIE
from tests.signin.support import at_provider, back, log_in, start

ALICE = {"preferred_username": "alice.andersen", "name": "Alice Andersen", "email": "alice@kommune.dk",
         "groups": ["alle-ansatte", "sagsflow-raadgivere-nord"]}


def _me(client) -> tuple[int, dict]:  # noqa: ANN001
    response = client.get("/api/me")
    return response.status_code, response.get_json()


def _db_user(app, username: str) -> tuple[User, OidcIdentity | None]:  # noqa: ANN001
    with UnitOfWork(app.extensions["sagsflow"]["session_factory"]) as unit:
        user = unit.session.scalar(select(User).where(User.username == username))
        identity = unit.session.scalar(select(OidcIdentity).where(OidcIdentity.user_id == user.id)) if user else None
        unit.session.expunge_all()
        return user, identity


def test_first_log_in_creates_the_user_with_the_role_and_team_of_their_group(app, provider):
    provider.set_accounts({"a1f3-sub": ALICE})
    client = app.test_client()
    response = back(client, at_provider(start(client, naeste="/sager"), "a1f3-sub"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/sager"  # where she was going before logging in
    status, me = _me(client)
    assert status == 200
    assert (me["username"], me["full_name"], me["role"], me["team"]["navn"]) == \
        ("alice.andersen", "Alice Andersen", "raadgiver", "Team Nord")
    user, identity = _db_user(app, "alice.andersen")
    assert (identity.issuer, identity.subject) == (provider.issuer, "a1f3-sub")
    assert user.password_hash is None and user.email == "alice@kommune.dk"
    assert "Alice Andersen" in client.get("/indbakke").get_data(as_text=True)


def test_a_changed_group_changes_role_and_team_at_the_next_log_in_with_a_new_session(app, provider):
    provider.set_accounts({"a1f3-sub": ALICE})
    client = app.test_client()
    log_in(client, "a1f3-sub")
    first_cookie = client.get_cookie(SESSION_COOKIE).value

    # Both groups: the team leaders' group stands first in the map, so it decides.
    provider.set_accounts({"a1f3-sub": {**ALICE, "groups": ["sagsflow-raadgivere-nord", "sagsflow-teamledere-nord"]}})
    assert log_in(client, "a1f3-sub").status_code == 302
    assert _me(client)[1]["role"] == "teamleder"
    assert client.get_cookie(SESSION_COOKIE).value != first_cookie  # a new session id at every log-in
    old = app.test_client()
    old.set_cookie(SESSION_COOKIE, first_cookie)
    assert _me(old)[0] == 401  # and the old one is over

    provider.set_accounts({"a1f3-sub": {**ALICE, "groups": ["sagsflow-raadgivere-syd"]}})
    log_in(client, "a1f3-sub")
    me = _me(client)[1]
    assert (me["role"], me["team"]["navn"]) == ("raadgiver", "Team Syd")
    assert _db_user(app, "alice.andersen")[1].subject == "a1f3-sub"  # the same user, not a second one


def test_a_process_owner_group_given_as_a_distinguished_name_maps_to_a_role_without_team(app, provider):
    provider.set_accounts({"p-9": {"preferred_username": "pia", "name": "Pia Procesejer",
                                   "groups": ["CN=Sagsflow Procesejere,OU=Grupper,DC=kommune,DC=dk"]}})
    client = app.test_client()
    response = log_in(client, "p-9")
    assert response.headers["Location"] == "/modeller"
    assert (_me(client)[1]["role"], _me(client)[1]["team"]) == ("procesejer", None)


def test_removed_from_the_group_loses_access_at_the_next_log_in_and_everywhere(app, provider):
    provider.set_accounts({"a1f3-sub": ALICE})
    desk, laptop = app.test_client(), app.test_client()
    log_in(desk, "a1f3-sub")
    assert _me(desk)[0] == 200

    provider.set_accounts({"a1f3-sub": {**ALICE, "groups": ["alle-ansatte"]}})
    response = log_in(laptop, "a1f3-sub")
    assert response.status_code == 403
    assert "ikke (længere) med i en gruppe, der giver adgang til Sagsflow" in response.get_data(as_text=True)
    assert laptop.get_cookie(SESSION_COOKIE) is None
    assert _me(desk)[0] == 401  # the session still open at her desk ended with the refusal
    assert _db_user(app, "alice.andersen")[0].active is False

    provider.set_accounts({"a1f3-sub": ALICE})  # back in the group: back in Sagsflow, with a new log-in only
    assert log_in(laptop, "a1f3-sub").status_code == 302
    assert _me(laptop)[0] == 200
    assert _me(desk)[0] == 401  # the desk's session ended for good; it does not come back with the user
    # Each change the groups made is in the administrators' user log, as the identity provider's.
    with UnitOfWork(app.extensions["sagsflow"]["session_factory"]) as unit:
        user = unit.session.scalar(select(User).where(User.username == "alice.andersen"))
        logged = [(c.action, c.actor) for c in changes.recent(unit, user_id=user.id)]
    assert logged == [(a, f"idp:{provider.issuer}") for a in ("bruger_aktiveret", "bruger_deaktiveret",
                                                                "bruger_oprettet")]


def test_a_user_an_administrator_deactivated_stays_out_whatever_the_groups(app, provider):
    provider.set_accounts({"a1f3-sub": ALICE})
    log_in(app.test_client(), "a1f3-sub")
    with UnitOfWork(app.extensions["sagsflow"]["session_factory"]) as unit:  # as the administration page does
        unit.session.scalar(select(User).where(User.username == "alice.andersen")).active = False
        unit.commit()
    response = log_in(app.test_client(), "a1f3-sub")
    assert response.status_code == 403
    assert "Din bruger er deaktiveret i Sagsflow" in response.get_data(as_text=True)


def test_a_person_in_no_mapped_group_is_not_created(app, provider):
    provider.set_accounts({"x-2": {**ALICE, "preferred_username": "xenia", "groups": ["alle-ansatte"]}})
    response = log_in(app.test_client(), "x-2")
    assert response.status_code == 403
    assert _db_user(app, "xenia")[0] is None


def test_a_local_user_name_is_not_taken_over_by_the_provider(app, provider):
    provider.set_accounts({"evil": {**ALICE, "preferred_username": "raadgiver1"}})
    client = app.test_client()
    response = log_in(client, "evil")
    assert response.status_code == 403
    assert "findes allerede som lokal bruger" in response.get_data(as_text=True)
    assert _me(client)[0] == 401


def test_a_tampered_id_token_is_refused(app, provider):
    provider.set_accounts({"a1f3-sub": ALICE}, tamper_id_token=True)  # one signature byte flipped on the way
    client = app.test_client()
    response = log_in(client, "a1f3-sub")
    assert response.status_code == 401
    assert "forkert signatur" in response.get_data(as_text=True)
    assert _me(client)[0] == 401
    assert _db_user(app, "alice.andersen")[0] is None


def test_an_expired_id_token_is_refused_by_our_clock(app, provider, frozen_clock):
    provider.set_accounts({"a1f3-sub": ALICE})  # the provider's ID tokens live 300 s
    client = app.test_client()
    frozen_clock.set(datetime.now(UTC))  # the provider's time now, not when the fixtures began (slow on PostgreSQL)
    return_url = at_provider(start(client), "a1f3-sub")
    frozen_clock.advance(seconds=300 + 60 + 30)  # past exp and our 60 s leeway (the token is issued within 30 s)
    response = back(client, return_url)
    assert response.status_code == 401
    assert "ID-tokenet fra kommunens login er udløbet" in response.get_data(as_text=True)
    assert _me(client)[0] == 401


def test_a_return_that_does_not_match_the_log_in_started_here_is_refused(app, provider):
    provider.set_accounts({"a1f3-sub": ALICE})
    client = app.test_client()
    return_url = at_provider(start(client), "a1f3-sub")
    parts = urlsplit(return_url)
    query = dict(parse_qsl(parts.query))
    response = client.get(f"{parts.path}?{urlencode({**query, 'state': 'forged'})}")
    assert response.status_code == 401
    assert "hører ikke til dette log-ind (state)" in response.get_data(as_text=True)

    stranger = app.test_client()  # a return carried to another browser (login CSRF)
    response = back(stranger, at_provider(start(client), "a1f3-sub"))
    assert response.status_code == 401
    assert "ikke startet fra denne browser" in response.get_data(as_text=True)

    good = at_provider(start(client), "a1f3-sub")
    assert back(client, good).status_code == 302
    assert back(client, good).status_code == 401  # used once: the pending log-in is gone


def test_with_local_passwords_off_only_the_identity_provider_signs_people_in(app, settings):
    strict = create_app(replace(settings, local_passwords=False))
    client = strict.test_client()
    try:
        page = client.get("/log-ind").get_data(as_text=True)
        assert "Log ind med kommunens login" in page and 'name="password"' not in page
        for path in ("/api/auth/login", "/api/auth/token"):
            response = client.post(path, json={"username": "raadgiver1", "password": "demo"})
            assert response.status_code == 403
            assert response.mimetype == "application/problem+json"
            assert "Log-ind med adgangskode er slået fra" in response.get_json()["detail"]
        response = client.post("/log-ind", data={"username": "raadgiver1", "password": "demo"})
        assert response.status_code == 403
        assert "Log-ind med adgangskode er slået fra" in response.get_data(as_text=True)
        assert client.get_cookie(SESSION_COOKIE) is None
    finally:
        strict.extensions["sagsflow"]["engine"].dispose()


def test_by_default_the_page_offers_both_and_passwords_still_work(app):
    client = app.test_client()
    page = client.get("/log-ind").get_data(as_text=True)
    assert "Log ind med kommunens login" in page and 'name="password"' in page
    assert client.post("/log-ind", data={"username": "raadgiver1", "password": "demo"}).status_code == 302
    assert _me(client)[1]["username"] == "raadgiver1"


def test_an_unreachable_identity_provider_gives_a_danish_503_page(app, settings):
    from tests.signin.conftest import _free_port
    away = create_app(replace(settings, oidc_issuer=f"http://127.0.0.1:{_free_port()}"))  # nobody listens there
    try:
        response = away.test_client().get("/log-ind/oidc")
        assert response.status_code == 503
        assert "Kommunens login kan ikke nås lige nu" in response.get_data(as_text=True)
    finally:
        away.extensions["sagsflow"]["engine"].dispose()
