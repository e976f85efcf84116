"""The duty rota: a breach goes to the team leader on duty; the rota itself is validated."""

from __future__ import annotations

from datetime import timedelta

import pytest

from service.deadlines.firing import fire_due
from tests.support import open_task, receive


@pytest.fixture
def fire(app):  # noqa: ANN001, ANN201
    return lambda: fire_due(app.extensions["sagsflow"]["session_factory"])


def _user_id(api, username: str) -> int:  # noqa: ANN001
    return api.get("/api/me", username).get_json()["id"]


def _shift(api, frozen_clock, who: str, start_h: float, end_h: float, by: str = "teamleder1"):  # noqa: ANN001, ANN202
    now = frozen_clock.now()
    return api.post("/api/vagtplan", by, json={
        "bruger_id": _user_id(api, who), "start": (now + timedelta(hours=start_h)).isoformat(),
        "slut": (now + timedelta(hours=end_h)).isoformat()})


def _note_types(api, user: str) -> list[str]:  # noqa: ANN001
    return [n["type"] for n in api.get("/api/notifikationer", user).get_json()]


def test_a_breach_in_the_night_goes_to_the_team_leader_on_duty(api, frozen_clock, fire):
    assert _shift(api, frozen_clock, "teamleder2", 20, 36).status_code == 201
    cid = receive(api)["case_id"]
    frozen_clock.advance(hours=24, minutes=5)  # 09:05 the next morning: inside the shift
    fire()
    escalation = open_task(api, cid, "eskalering_vurdering_24t", "teamleder2")
    assert escalation["taget_af"] == _user_id(api, "teamleder2")
    assert "frist_overskredet" in _note_types(api, "teamleder2")
    assert "frist_overskredet" not in _note_types(api, "teamleder1")
    journal = api.get(f"/api/cases/{cid}", "teamleder2").get_json()["journal"]
    assert any(e["handling"] == "eskaleret_til_vagt" and "Thomas Teamleder" in e["tekst"] for e in journal)


def test_without_anyone_on_duty_every_team_leader_is_told_and_the_task_is_free(api, frozen_clock, fire):
    assert _shift(api, frozen_clock, "teamleder2", 1, 2).status_code == 201  # over before the breach
    cid = receive(api)["case_id"]
    frozen_clock.advance(hours=24, minutes=5)
    fire()
    assert open_task(api, cid, "eskalering_vurdering_24t", "teamleder1")["taget_af"] is None
    assert "frist_overskredet" in _note_types(api, "teamleder1")
    assert "frist_overskredet" in _note_types(api, "teamleder2")


@pytest.mark.parametrize(("who", "start_h", "end_h", "by", "status", "field"), [
    ("teamleder2", 1, 10, "raadgiver1", 403, None),
    ("raadgiver1", 1, 10, "teamleder1", 422, "bruger_id"),
    ("teamleder2", 10, 1, "teamleder1", 422, "slut"),
    ("teamleder2", 1, 24 * 15, "teamleder1", 422, "slut"),
])
def test_the_rota_refuses_what_makes_no_sense(api, frozen_clock, who, start_h, end_h, by, status, field):
    response = _shift(api, frozen_clock, who, start_h, end_h, by)
    assert response.status_code == status
    if field:
        assert field in {e["field"] for e in response.get_json()["errors"]}


def test_shifts_may_not_overlap_and_only_future_ones_disappear(api, frozen_clock):
    first = _shift(api, frozen_clock, "teamleder2", 1, 10).get_json()
    clash = _shift(api, frozen_clock, "teamleder1", 5, 12)
    assert clash.status_code == 409 and "overlapper" in clash.get_json()["detail"]
    assert [s["id"] for s in api.get("/api/vagtplan", "raadgiver1").get_json()] == [first["id"]]
    assert api.call("DELETE", f"/api/vagtplan/{first['id']}", "teamleder1").status_code == 204
    assert api.get("/api/vagtplan", "teamleder1").get_json() == []
    ongoing = _shift(api, frozen_clock, "teamleder2", 0, 8).get_json()
    frozen_clock.advance(hours=2)
    assert api.call("DELETE", f"/api/vagtplan/{ongoing['id']}", "teamleder1").status_code == 204
    frozen_clock.advance(hours=1)
    assert api.get("/api/vagtplan", "teamleder1").get_json() == []  # ended early, kept in the record
    assert api.call("DELETE", f"/api/vagtplan/{ongoing['id']}", "teamleder1").status_code == 409
