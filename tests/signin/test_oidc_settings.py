"""The identity provider's settings are checked at start-up: one clear line, not a failure at the first log-in."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.config import ConfigError, Settings
from tests.signin.conftest import GROUP_MAP

BASE = {"SAGSFLOW_OIDC_ISSUER": "https://login.kommune.dk/realms/ansatte", "SAGSFLOW_OIDC_CLIENT_ID": "sagsflow",
        "SAGSFLOW_OIDC_CLIENT_SECRET": "s3cr3t-from-the-idp"}


def _check(env: dict[str, str]) -> Settings:
    settings = Settings.from_env(env)
    settings.check()
    return settings


def _map(tmp_path: Path, text: str) -> str:
    path = tmp_path / "grupper.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_complete_configuration_is_read_once(tmp_path):
    settings = _check({**BASE, "SAGSFLOW_OIDC_GROUP_MAP": _map(tmp_path, GROUP_MAP), "SAGSFLOW_LOCAL_PASSWORDS": "0",
                       "SAGSFLOW_OIDC_SCOPES": "openid  profile groups"})
    assert settings.oidc_enabled and not settings.local_passwords
    assert (settings.oidc_group_claim, settings.oidc_scopes) == ("groups", "openid profile groups")


def test_without_an_issuer_passwords_are_on_and_cannot_be_switched_off():
    assert _check({}).local_passwords and not _check({}).oidc_enabled
    with pytest.raises(ConfigError, match="SAGSFLOW_LOCAL_PASSWORDS=0 kræver SAGSFLOW_OIDC_ISSUER"):
        _check({"SAGSFLOW_LOCAL_PASSWORDS": "0"})


@pytest.mark.parametrize(("change", "message"), [
    ({"SAGSFLOW_OIDC_CLIENT_SECRET": ""}, "SAGSFLOW_OIDC_CLIENT_SECRET mangler"),
    ({"SAGSFLOW_OIDC_ISSUER": "http://login.kommune.dk"}, "skal være en https-adresse"),
    ({"SAGSFLOW_OIDC_GROUP_MAP": ""}, "SAGSFLOW_OIDC_GROUP_MAP mangler"),
    ({"SAGSFLOW_OIDC_GROUP_MAP": "/findes/ikke.toml"}, "filen findes ikke"),
    ({"SAGSFLOW_OIDC_SCOPES": "profile email"}, "skal indeholde openid"),
])
def test_a_missing_or_wrong_setting_stops_start_up(tmp_path, change, message):
    with pytest.raises(ConfigError, match=message):
        _check({**BASE, "SAGSFLOW_OIDC_GROUP_MAP": _map(tmp_path, GROUP_MAP), **change})


@pytest.mark.parametrize(("text", "message"), [
    ('"g" = { rolle = "chef" }', 'ukendt rolle "chef"'),
    ('"g" = { rolle = "raadgiver" }', "kræver et team"),
    ('"g" = "raadgiver"', "skal have formen"),
    ('"g" = { rolle = "admin", tem = "x" }', "ukendte felter: tem"),
    ('g = [', "ikke gyldig TOML"),
    ("", "ingen grupper"),
])
def test_a_bad_group_map_names_the_entry(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message):
        _check({**BASE, "SAGSFLOW_OIDC_GROUP_MAP": _map(tmp_path, text)})


def test_production_needs_an_https_return_address(tmp_path):
    env = {**BASE, "SAGSFLOW_OIDC_GROUP_MAP": _map(tmp_path, GROUP_MAP)}
    settings = Settings.from_env(env)
    from dataclasses import replace
    with pytest.raises(ConfigError, match="SAGSFLOW_OIDC_REDIRECT_URL skal angives med https"):
        replace(settings, production=True)._check_oidc()
