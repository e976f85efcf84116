"""Deadlines on the case process, by moving the one clock: warnings, breaches, escalation, exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from service.deadlines.calendar import COPENHAGEN
from service.deadlines.firing import fire_due
from service.demo_payloads import form
from tests.support import (
    complete,
    mark_due_too_early,
    move_to,
    open_bpmn_ids,
    open_task,
    receive,
    walk_to_running_measure,
)
from tests.support import tasks as open_tasks


@pytest.fixture
def fire(app):  # noqa: ANN001, ANN201
    return lambda: fire_due(app.extensions["sagsflow"]["session_factory"])


def _deadlines(api, case_id: str) -> dict[str, dict]:  # noqa: ANN001
    return {d["frist"]: d for d in api.get(f"/api/cases/{case_id}/frister").get_json()}


def _notes(api, user: str) -> list[str]:  # noqa: ANN001
    return [n["type"] for n in api.get("/api/notifikationer", user).get_json()]


def test_24_hour_assessment_on_time_leaves_no_escalation(api, frozen_clock, fire):
    cid = receive(api)["case_id"]
    due = datetime.fromisoformat(_deadlines(api, cid)["vurdering_24t"]["forfald"])
    assert due == frozen_clock.now() + timedelta(hours=24)
    frozen_clock.advance(hours=2)
    complete(api, cid, "vurdering_24t")
    assert "vurdering_24t" not in _deadlines(api, cid)
    frozen_clock.advance(days=3)
    fire()
    assert not any(b.startswith("eskalering_vurdering") for b in open_bpmn_ids(api, cid))
    assert "frist_overskredet" not in _notes(api, "teamleder1")


def test_missed_24_hour_assessment_warns_then_escalates_once_to_the_team_leader(api, frozen_clock, fire):
    cid = receive(api)["case_id"]
    task = open_task(api, cid, "vurdering_24t")
    api.post(f"/api/tasks/{task['id']}/claim")
    frozen_clock.advance(hours=12, minutes=1)
    assert fire() == 1
    assert _notes(api, "raadgiver1") == ["advis"]
    assert _notes(api, "raadgiver2") == []  # the warning goes to the caseworker who has the task
    frozen_clock.advance(hours=13)
    assert fire() == 1
    assert fire() == 0  # nothing fires twice
    assert "eskalering_vurdering_24t" in open_bpmn_ids(api, cid)
    assert "vurdering_24t" in open_bpmn_ids(api, cid)  # the caseworker can still finish it
    assert _notes(api, "teamleder1").count("frist_overskredet") == 1
    overdue = _deadlines(api, cid)
    assert "vurdering_24t" not in overdue
    journal = api.get(f"/api/cases/{cid}", "teamleder1").get_json()["journal"]
    breach = [e for e in journal if e["handling"] == "frist_overskredet"]
    assert len(breach) == 1 and "for sent" in breach[0]["tekst"]


def test_team_leader_reassigns_the_overdue_case(api, frozen_clock, fire):
    cid = receive(api)["case_id"]
    frozen_clock.advance(hours=25)
    fire()
    escalation = open_task(api, cid, "eskalering_vurdering_24t", user="teamleder1")
    url = f"/api/tasks/{escalation['id']}/complete"
    other_team = api.post(url, "teamleder1", json={"data": {"handling": "omfordel", "ny_raadgiver": "raadgiver_syd"}})
    assert other_team.status_code == 422 and other_team.get_json()["errors"][0]["field"] == "ny_raadgiver"
    no_reason = api.post(url, "teamleder1", json={"data": {"handling": "ny_dato", "ny_dato": "2026-03-05"}})
    assert no_reason.status_code == 422
    done = api.post(url, "teamleder1", json={"data": {"handling": "omfordel", "ny_raadgiver": "raadgiver2"}})
    assert done.status_code == 200
    assert open_task(api, cid, "vurdering_24t", user="raadgiver2")["taget_af"] is not None
    assert "omfordelt" in _notes(api, "raadgiver2")


def test_late_registration_does_not_move_the_legal_deadline(api, frozen_clock, fire):
    received = frozen_clock.now() - timedelta(hours=30)
    cid = receive(api, modtaget=received.isoformat())["case_id"]
    assert "eskalering_vurdering_24t" in open_bpmn_ids(api, cid)  # overdue on arrival: escalated at once
    assert fire() == 0
    # No warning of a deadline already past: the breach alone (leaders see the team's notes).
    assert _notes(api, "teamleder1") == ["frist_overskredet"]
    assert _notes(api, "raadgiver1") == []
    journal = api.get(f"/api/cases/{cid}", "teamleder1").get_json()["journal"]
    assert [e["handling"] for e in journal].count("frist_overskredet") == 1
    complete(api, cid, "registrering")
    kvittering_due = datetime.fromisoformat(_deadlines(api, cid)["kvittering"]["forfald"])
    assert kvittering_due.astimezone(COPENHAGEN).date().isoformat() == "2026-03-09"  # 6 working days from T0


def test_kvittering_counts_six_working_days_over_easter(api, frozen_clock):
    frozen_clock.set(datetime(2026, 3, 31, 10, 0, tzinfo=COPENHAGEN))
    cid = receive(api)["case_id"]
    complete(api, cid, "registrering")
    due = datetime.fromisoformat(_deadlines(api, cid)["kvittering"]["forfald"]).astimezone(COPENHAGEN)
    assert due.date().isoformat() == "2026-04-13"


def test_bfu_over_four_months_asks_for_a_provisional_assessment_and_escalates(api, frozen_clock, fire):
    cid = receive(api)["case_id"]
    complete(api, cid, "vurdering_24t")
    complete(api, cid, "faglig_vurdering")
    complete(api, cid, "bfu_beslutning")
    frozen_clock.set(datetime(2026, 7, 3, 8, 0, tzinfo=UTC))  # T0 2 March + 4 months ends 2 July
    fire()
    assert {"bfu", "foreloebig_vurdering", "eskalering_bfu"} <= open_bpmn_ids(api, cid)
    complete(api, cid, "foreloebig_vurdering")
    complete(api, cid, "eskalering_bfu", {"handling": "kvitter"}, user="teamleder1")
    complete(api, cid, "bfu")
    assert "barnets_plan" in open_bpmn_ids(api, cid)


def test_follow_up_deadlines_count_from_start_then_from_the_previous_follow_up(api, frozen_clock):
    cid = receive(api)["case_id"]
    walk_to_running_measure(api, cid)  # iværksættelse startdato 2026-05-15
    first = datetime.fromisoformat(_deadlines(api, cid)["opfoelgning_foerste"]["forfald"]).astimezone(COPENHAGEN)
    assert first.date().isoformat() == "2026-08-15"
    move_to(frozen_clock, "2026-08-10")
    complete(api, cid, "opfoelgning", form("opfoelgning", opfoelgning_dato="2026-08-10"))
    second = datetime.fromisoformat(_deadlines(api, cid)["opfoelgning_loebende"]["forfald"]).astimezone(COPENHAGEN)
    assert second.date().isoformat() == "2027-02-10"


def test_each_missed_follow_up_escalates_to_the_team_leader_without_holding_up_the_next_round(
        api, frozen_clock, fire):
    cid = receive(api, underretter_type="borger")["case_id"]  # no kvittering branch to keep the case open
    walk_to_running_measure(api, cid)
    frozen_clock.set(datetime(2026, 8, 17, 9, tzinfo=COPENHAGEN))  # first follow-up was due 15 August
    fire()
    assert open_task(api, cid, "eskalering_opfoelgning", "teamleder1")["rolle"] == "teamleder"
    complete(api, cid, "opfoelgning", form("opfoelgning", opfoelgning_dato="2026-08-17"))
    assert "opfoelgning" in open_bpmn_ids(api, cid)  # the next round runs while the escalation waits
    frozen_clock.set(datetime(2027, 2, 20, 9, tzinfo=COPENHAGEN))  # the next one was due 17 February
    fire()
    escalations = [t for t in open_tasks(api, "teamleder1")
                   if t["case_id"] == cid and t["bpmn_id"] == "eskalering_opfoelgning"]
    assert len(escalations) == 2
    for _ in escalations:
        complete(api, cid, "eskalering_opfoelgning", {"handling": "kvitter"}, user="teamleder1")
    complete(api, cid, "opfoelgning", form("opfoelgning", udfald="afslut"))
    complete(api, cid, "afslutning")
    assert open_bpmn_ids(api, cid) == {"registrering"}
    assert complete(api, cid, "registrering")["sag_status"] == "afsluttet"  # no escalation left waiting
    # The escalation subprocess was started in this case only: a new case still closes normally.
    other = receive(api, cpr="020219-4322", underretter_type="borger")["case_id"]
    complete(api, other, "registrering")
    complete(api, other, "vurdering_24t", form("vurdering_24t", videre_forloeb="luk"))
    assert complete(api, other, "afslutning", form("afslutning", aarsag="ingen_bekymring"))["sag_status"] == "afsluttet"


def test_team_deadline_list_puts_overdue_first(api, frozen_clock, fire):
    late = receive(api)["case_id"]
    frozen_clock.advance(hours=20)
    fresh = receive(api, cpr="020219-4322", barnets_navn="Bo Hansen")["case_id"]
    frozen_clock.advance(hours=5)
    listed = api.get("/api/frister").get_json()
    assert listed[0]["case_id"] == late and listed[0]["overskredet"] is True
    assert any(d["case_id"] == fresh and not d["overskredet"] and d["sekunder_tilbage"] > 0 for d in listed)
    assert api.get("/api/frister", "raadgiver_syd").get_json() == []


def test_model_naming_an_unknown_deadline_is_rejected_at_deploy(api):
    import io

    from service.config import ROOT
    xml = (ROOT / "workflows" / "sagsbehandling.bpmn").read_bytes()
    assert b'frist(&quot;bfu&quot;' in xml or b'frist("bfu"' in xml
    bad = xml.replace(b'frist(&quot;bfu&quot;', b'frist(&quot;bfu_lang&quot;')
    bad = bad.replace(b'frist("bfu"', b'frist("bfu_lang"')
    response = api.post("/api/process-versions", "procesejer1", data={"file": (io.BytesIO(bad), "s.bpmn")},
                        content_type="multipart/form-data")
    assert response.status_code == 422 and "bfu_lang" in response.get_data(as_text=True)


def test_a_signal_on_an_end_event_is_refused_at_deploy_as_the_engine_would_ignore_it(api):
    import io

    from service.config import ROOT
    xml = (ROOT / "workflows" / "sagsbehandling.bpmn").read_text(encoding="utf-8")
    throw = '<bpmn:intermediateThrowEvent id="frist_opfoelgning_eskaler"'
    assert throw in xml
    start = xml.index(throw)
    end = xml.index("</bpmn:intermediateThrowEvent>", start)
    element = xml[start:end + len("</bpmn:intermediateThrowEvent>")]
    bad = xml.replace(element, element.replace("bpmn:intermediateThrowEvent", "bpmn:endEvent"))
    response = api.post("/api/process-versions", "procesejer1", content_type="multipart/form-data",
                        data={"file": (io.BytesIO(bad.encode()), "s.bpmn")})
    assert response.status_code == 422 and "frist_opfoelgning_eskaler" in response.get_data(as_text=True)


def test_cli_shows_what_is_due_overdue_first(api, settings, frozen_clock, monkeypatch, capsys):
    from service.cli import main
    monkeypatch.setenv("SAGSFLOW_DATABASE_URL", settings.database_url)
    receive(api)
    assert main(["timers", "--timer", "1"]) == 0
    assert "Intet forfalder" in capsys.readouterr().out
    frozen_clock.advance(hours=23, minutes=30)
    assert main(["timers", "--timer", "1"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("OVERSKREDET") and "Advis" in lines[0]
    assert lines[1].startswith("forfalder") and "24-timers" in lines[1]


def test_notifications_are_marked_read_only_by_their_recipients(api, frozen_clock, fire):
    receive(api)
    frozen_clock.advance(hours=13)
    fire()
    note = api.get("/api/notifikationer").get_json()[0]
    assert api.post(f"/api/notifikationer/{note['id']}/laest", "raadgiver_syd").status_code == 404
    assert api.post(f"/api/notifikationer/{note['id']}/laest").status_code == 200
    assert api.get("/api/notifikationer").get_json() == []
    assert len(api.get("/api/notifikationer?alle=true").get_json()) == 1


def test_barnets_plan_is_due_3_months_after_the_acute_decision_or_after_the_bfu(api, frozen_clock):
    from service.demo_payloads import form as payload
    acute = receive(api)["case_id"]
    complete(api, acute, "vurdering_24t", payload("vurdering_24t", akut=True, begrundelse="Barnet har synlige skader."))
    complete(api, acute, "akut_foranstaltning", payload("akut_foranstaltning", iverksat_dato="2026-03-02"),
             user="teamleder1")
    frozen_clock.advance(days=30)
    complete(api, acute, "bfu")
    due = datetime.fromisoformat(_deadlines(api, acute)["barnets_plan"]["forfald"]).astimezone(COPENHAGEN)
    assert due.date().isoformat() == "2026-06-02"  # the law: 3 months after the (acute) decision

    planned = receive(api, cpr="020219-4322", barnets_navn="Bo Hansen")["case_id"]
    for step in ("vurdering_24t", "faglig_vurdering", "bfu"):
        complete(api, planned, step)
    due = datetime.fromisoformat(_deadlines(api, planned)["barnets_plan"]["forfald"]).astimezone(COPENHAGEN)
    assert due.date().isoformat() == "2026-07-01"  # local rule: the plan comes before the decision, from the BFU


def test_a_tick_keeps_firing_what_comes_due_before_the_next_tick(api, app, frozen_clock):
    import time

    from service.deadlines.firing import fire_for
    cid = receive(api)["case_id"]
    frozen_clock.advance(hours=23, minutes=59, seconds=59)  # the breach comes due during the tick
    fire_due(app.extensions["sagsflow"]["session_factory"])  # the 12-hour advis, due long ago
    polls = []

    def next_poll(seconds: float) -> None:  # the business clock moves while the tick waits between polls
        polls.append(seconds)
        frozen_clock.advance(seconds=2) if len(polls) == 1 else time.sleep(seconds)

    fired = fire_for(app.extensions["sagsflow"]["session_factory"], seconds=0.3, poll=0.05, sleep=next_poll)
    assert fired == 1 and polls[0] == 0.05
    assert "eskalering_vurdering_24t" in open_bpmn_ids(api, cid)


def test_a_claimed_timer_the_engine_does_not_fire_is_put_back_not_claimed_in_a_loop(api, app, frozen_clock):
    from sqlalchemy import select

    from service.deadlines.firing import fire_due
    from service.deadlines.models import Timer
    receive(api)
    factory = app.extensions["sagsflow"]["session_factory"]
    mark_due_too_early(factory, "frist_vurdering_24t", frozen_clock.now())
    assert fire_due(factory) == 1
    with factory() as session:
        row = session.scalar(select(Timer).where(Timer.bpmn_id == "frist_vurdering_24t"))
        assert (row.status, row.attempts) == ("aaben", 1) and row.next_attempt_at > frozen_clock.now()


def test_a_tick_calls_in_one_helper_per_share_of_due_timers_and_no_more_than_allowed(api, app, frozen_clock):
    from service.deadlines.firing import HELPER_SHARE, helpers_wanted
    factory = app.extensions["sagsflow"]["session_factory"]
    for n in range(HELPER_SHARE + 5):  # each case: a 12-hour advis and a 24-hour breach
        receive(api, cpr=f"{1 + n % 28:02d}0{1 + n // 28}20-{4000 + n:04d}", barnets_navn=f"Barn {n}")
    assert helpers_wanted(factory, most=3) == 0  # nothing due yet
    frozen_clock.advance(hours=12, seconds=1)
    assert helpers_wanted(factory, most=3) == 1  # the advis only: 30 due
    frozen_clock.advance(hours=12)
    assert helpers_wanted(factory, most=3) == 2  # 60 due
    assert helpers_wanted(factory, most=1) == 1
    assert helpers_wanted(factory, most=0) == 0
    fire_due(factory, batch=1000)
    assert helpers_wanted(factory, most=3) == 0


def test_a_tick_calls_for_help_once_when_a_whole_batch_comes_due_during_it(api, app, frozen_clock):
    from service.deadlines.firing import _STEP, fire_for
    for n in range(2 * _STEP + 5):
        receive(api, cpr=f"{1 + n % 28:02d}0{1 + n // 28}19-{4000 + n:04d}", barnets_navn=f"Barn {n}")
    factory = app.extensions["sagsflow"]["session_factory"]
    calls = []
    fire_for(factory, seconds=0.2, poll=0.05, on_backlog=lambda: calls.append("hjælp"))
    assert calls == []  # nothing due: no help wanted
    frozen_clock.advance(hours=12, seconds=1)  # every case's 12-hour advis comes due at once
    fired = fire_for(factory, seconds=30, poll=None, on_backlog=lambda: calls.append("hjælp"))
    assert fired == 2 * _STEP + 5 and calls == ["hjælp"]  # called once, not once per full batch


def test_a_warning_goes_away_by_itself_when_its_task_is_done_or_its_deadline_has_passed(api, frozen_clock, fire):
    done = receive(api)["case_id"]
    receive(api, cpr="020219-4322", barnets_navn="Bo Hansen")  # this one's deadline is missed
    frozen_clock.advance(hours=12, minutes=1)
    assert fire() == 2  # both 12-hour warnings
    assert _notes(api, "raadgiver1") == ["advis", "advis"]
    complete(api, done, "vurdering_24t")
    assert _notes(api, "raadgiver1") == ["advis"]  # the done task's warning has had its day, unread or not
    frozen_clock.advance(hours=12)  # the other's deadline has passed, before the firing has got to it
    assert _notes(api, "raadgiver1") == []
    fire()
    assert _notes(api, "teamleder1") == ["frist_overskredet"]  # the breach speaks now
    assert len(api.get("/api/notifikationer?alle=true").get_json()) == 2  # nothing is deleted: the history stays
