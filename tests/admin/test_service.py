"""The administration service called directly, as the API, the pages and the command line call it."""

from __future__ import annotations

import pytest
from werkzeug.security import check_password_hash

from service import clock
from service.brugere import service as brugere
from service.brugere import teams
from service.brugere.changes import Actor
from service.errors import ValidationFailed

IT = Actor(None, "cli:it")


def test_a_password_reset_lifts_a_lock_and_the_log_keeps_no_password(uow, frozen_clock):
    team = teams.create_team(uow, IT, "Team Nord")
    user = brugere.create_user(uow, IT, {"brugernavn": "Rikke", "navn": "Rikke Rådgiver", "rolle": "raadgiver",
                                         "team_id": team.id, "adgangskode": "første gode kode"}).user
    assert user.username == "rikke"  # usernames are kept in lower case
    user.locked_at, user.failed_logins = clock.now(), 10
    assert brugere.reset_password(uow, IT, user.id, "anden god kode!") is None
    assert user.locked_at is None and user.failed_logins == 0
    assert check_password_hash(user.password_hash, "anden god kode!")
    uow.commit()
    logged = [(c.action, c.summary, c.data) for c in reversed(brugere.changes.recent(uow))]
    assert logged[-1] == ("adgangskode_nulstillet", "Ny adgangskode til rikke (angivet af administrator)", None)
    assert "god kode" not in str(logged)


def test_an_unchanged_edit_logs_nothing_and_a_reactivation_needs_a_live_team(uow, frozen_clock):
    nord, syd = teams.create_team(uow, IT, "Team Nord"), teams.create_team(uow, IT, "Team Syd")
    user = brugere.create_user(uow, IT, {"brugernavn": "bo", "navn": "Bo", "rolle": "raadgiver",
                                         "team_id": nord.id}).user
    before = len(brugere.changes.recent(uow))
    brugere.edit_user(uow, IT, user.id, {"navn": "Bo", "rolle": "raadgiver"})
    assert len(brugere.changes.recent(uow)) == before
    brugere.deactivate_user(uow, IT, user.id)
    teams.deactivate_team(uow, IT, nord.id)
    with pytest.raises(ValidationFailed) as refused:
        brugere.reactivate_user(uow, IT, user.id)
    assert [(e.field, e.message) for e in refused.value.errors] == [
        ("team_id", "Teamet «Team Nord» er nedlagt. Vælg et andet team.")]
    brugere.move_user(uow, IT, user.id, syd.id)
    assert brugere.reactivate_user(uow, IT, user.id).active
