"""Every KPI per team, caseworker and month, counted from a hand-built scenario with known outcomes."""

from __future__ import annotations

import pytest

from service.deadlines.firing import fire_due
from tests.support import complete, move_to, open_task, receive

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
PERIOD = "fra=2026-03-01&til=2026-04-30"


def build_scenario(api, app, frozen_clock) -> dict[str, str]:
    """24-hour assessments received Monday 2 March 09:00 UTC, all due Tuesday 3 March 09:00:00 UTC:
    met early by raadgiver1; met at the deadline's very second by raadgiver1; taken by raadgiver2 and missed;
    never taken and missed; met in Team Syd. One more received and met in April."""
    cases = {name: receive(api, user, cpr=cpr, barnets_navn=name)["case_id"] for name, user, cpr in (
        ("tidlig", "raadgiver1", "010120-4321"), ("sekund", "raadgiver1", "020219-4322"),
        ("taget", "raadgiver2", "030318-4323"), ("ingen", "raadgiver1", "040417-4324"),
        ("syd", "raadgiver_syd", "050516-4325"))}
    taken = open_task(api, cases["taget"], "vurdering_24t", "raadgiver2")
    assert api.post(f"/api/tasks/{taken['id']}/claim", "raadgiver2").status_code == 200
    frozen_clock.advance(hours=2)
    complete(api, cases["tidlig"], "vurdering_24t")
    complete(api, cases["syd"], "vurdering_24t", user="raadgiver_syd")
    frozen_clock.advance(hours=22)  # exactly the due second: not late yet, as the engine counts
    complete(api, cases["sekund"], "vurdering_24t")
    frozen_clock.advance(seconds=1)
    fire_due(app.extensions["sagsflow"]["session_factory"])
    move_to(frozen_clock, "2026-04-14")
    cases["april"] = receive(api, cpr="060615-4326", barnets_navn="April")["case_id"]
    frozen_clock.advance(hours=1)
    complete(api, cases["april"], "vurdering_24t", user="raadgiver2")
    return cases


def _row(split: dict, kpi: str) -> dict:
    return next(r for r in split["noegletal"] if r["id"] == kpi)


def _cells(split: dict, kpi: str) -> dict[str, tuple[int, int, int]]:
    names = {c["noegle"]: c["navn"] for c in split["kolonner"]}
    return {names[c["noegle"]]: (c["opfyldt"], c["ikke_opfyldt"], c["afventer"]) for c in _row(split, kpi)["celler"]}


def test_per_caseworker_month_and_team_with_the_target_beside_each_value(api, app, frozen_clock):
    build_scenario(api, app, frozen_clock)

    response = api.get(f"/api/ledelsesinformation/opdeling?{PERIOD}&efter=raadgiver", "teamleder1")
    assert response.status_code == 200, response.get_json()
    split = response.get_json()
    # Met early and met at the very second for Rikke; Rasmus missed the one he took and met April's.
    assert _cells(split, "vurdering_24t") == {
        "Rikke Rådgiver": (2, 0, 0), "Rasmus Rådgiver": (1, 1, 0), "Ingen rådgiver (opgaven ikke taget)": (0, 1, 0)}
    total = _row(split, "vurdering_24t")["i_alt"]
    assert (total["opfyldt"], total["ikke_opfyldt"], total["andel"], total["maal"], total["maal_naaet"]) == (
        3, 2, 60.0, 100, False)
    rasmus = next(c for c in _row(split, "vurdering_24t")["celler"] if c["ikke_opfyldt"] == 1 and c["opfyldt"] == 1)
    assert (rasmus["andel"], rasmus["maal"], rasmus["maal_naaet"]) == (50.0, 100, False)
    assert "Sofie Syd" not in _cells(split, "vurdering_24t")  # a team leader sees her own team only

    by_month = api.get(f"/api/ledelsesinformation/opdeling?{PERIOD}&efter=maaned", "teamleder1").get_json()
    assert _cells(by_month, "vurdering_24t") == {"marts 2026": (2, 2, 0), "april 2026": (1, 0, 0)}

    by_team = api.get(f"/api/ledelsesinformation/opdeling?{PERIOD}", "afdelingsleder1").get_json()
    assert _cells(by_team, "vurdering_24t") == {"Team Nord": (3, 2, 0), "Team Syd": (1, 0, 0)}
    bfu = _row(by_team, "bfu")
    assert bfu["maal"] == 90 and bfu["i_alt"]["andel"] is None  # every KPI has its row, also with nothing yet


@SQLITE_ONLY
def test_a_team_leader_cannot_see_another_team_and_a_bad_split_is_refused(api):
    response = api.get(f"/api/ledelsesinformation/opdeling?{PERIOD}&team_id=2", "teamleder1")
    assert response.status_code == 403
    assert api.get(f"/api/ledelsesinformation/opdeling?{PERIOD}", "raadgiver1").status_code == 403
    response = api.get(f"/api/ledelsesinformation/opdeling?{PERIOD}&efter=uge", "teamleder1")
    assert response.status_code == 422 and "efter" in str(response.get_json())


@SQLITE_ONLY
def test_the_page_puts_the_teams_side_by_side_for_the_head_of_department(app):
    client = app.test_client()
    assert client.post("/log-ind", data={"username": "afdelingsleder1", "password": "demo"}).status_code == 302
    html = client.get(f"/ledelsesinformation?{PERIOD}").get_data(as_text=True)
    assert "Nøgletal pr. team" in html and '<th scope="col">Team Nord</th>' in html and "Team Syd</th>" in html
    assert client.get(f"/ledelsesinformation?{PERIOD}&efter=uge").status_code == 422


@SQLITE_ONLY
def test_the_12_month_trend_is_an_svg_of_bars_against_the_target_readable_without_colour(api, app, frozen_clock):
    build_scenario(api, app, frozen_clock)  # March: 2 of 4 met; April: 1 of 1
    client = app.test_client()
    assert client.post("/log-ind", data={"username": "teamleder1", "password": "demo"}).status_code == 302
    html = client.get(f"/ledelsesinformation?{PERIOD}&trend=vurdering_24t").get_data(as_text=True)
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert 'role="img"' in svg and "24-timers vurdering af underretning: andel pr. måned de seneste 12 måneder" in svg
    labels = ["maj 25", "jun 25", "jul 25", "aug 25", "sep 25", "okt 25", "nov 25", "dec 25", "jan 26", "feb 26",
              "mar 26", "apr 26"]
    assert all(f">{label}</text>" in svg for label in labels)
    # March is under the target: hatched, labelled in words, its value written on it; April meets it.
    assert svg.count('class="under-maal"') == 1 and svg.count(">under mål</text>") == 2  # the bar and the legend
    assert ">50 %</text>" in svg and ">100 %</text>" in svg and svg.count('class="bar"') == 1
    assert 'class="maal"' in svg and ">Mål 100 %</text>" in svg
    assert "mar 26: 50 % (2 af 4)" in svg  # the description a screen reader reads
    assert client.get(f"/ledelsesinformation?{PERIOD}&trend=bfu").status_code == 200


@SQLITE_ONLY
def test_a_period_is_read_by_index_not_by_scanning_every_timer_and_journal_row(app):
    """Issue 21: years of timers and journal rows must not be read to count one period."""
    from datetime import date

    from sqlalchemy import event, select

    from service.access.models import User
    from service.ledelsesinformation import opdeling
    from service.uow import UnitOfWork

    factory = app.extensions["sagsflow"]["session_factory"]
    statements: list[tuple[str, object]] = []
    with UnitOfWork(factory) as unit:
        user = unit.session.scalar(select(User).where(User.username == "afdelingsleder1"))
        engine = unit.session.get_bind()
        listener = lambda conn, cursor, sql, params, context, many: statements.append((sql, params))  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            opdeling.breakdown(unit, user, efter="maaned", fra=date(2026, 1, 1), til=date(2026, 3, 31))
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        plans = {sql: " | ".join(row[-1] for row in unit.session.connection().exec_driver_sql(
            f"EXPLAIN QUERY PLAN {sql}", params).all()) for sql, params in statements
            if "FROM timers" in sql or "FROM journal" in sql}
    timers = [plan for sql, plan in plans.items() if "FROM timers" in sql]
    journal = [plan for sql, plan in plans.items() if "FROM journal" in sql]
    assert timers and all("ix_timers_mi" in plan for plan in timers), timers
    assert journal and all("ix_journal_completed_at" in plan for plan in journal), journal
    scans = [plan for plan in plans.values() for table in ("timers", "journal", "human_tasks")
             if f"SCAN {table}" in plan]
    assert not scans, scans
