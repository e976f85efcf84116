"""/metrics for Prometheus: scraped after real requests and real firings, read with prometheus_client's parser."""

from __future__ import annotations

from dataclasses import replace

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import update

from service.access.models import User
from service.deadlines.firing import fire_due, tick
from tests.conftest import _settings
from tests.support import mark_due_too_early, receive

TOKEN = "skrab-token-5c1e0a9d"
LATENCY = "sagsflow_http_request_duration_seconds"


@pytest.fixture
def settings(database_url):  # noqa: ANN001, ANN201 - the app fixture's settings, with a scrape token
    return replace(_settings(database_url), metrics_token=TOKEN)


def scrape(app, **kw) -> dict[tuple[str, frozenset], float]:  # noqa: ANN001
    """Every sample of one scrape from loopback, by name and labels."""
    response = app.test_client().get("/metrics", **kw)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type.startswith("text/plain; version=")
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(response.get_data(as_text=True)) for s in family.samples}


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def grew(before: dict, after: dict, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def test_request_latency_is_counted_by_url_rule_never_by_the_path_with_ids(api, app):
    first, second = receive(api)["case_id"], receive(api, cpr="020219-4322", barnets_navn="Bo Hansen")["case_id"]
    before = scrape(app)
    for case_id in (first, second, first):
        assert api.get(f"/api/cases/{case_id}").status_code == 200
    assert api.get("/api/cases/findes-ikke").status_code == 404
    after = scrape(app)

    rule = {"method": "GET", "endpoint": "/api/cases/<string:case_id>"}
    ok, missing = (grew(before, after, f"{LATENCY}_count", **rule, status=status) for status in ("200", "404"))
    assert (ok, missing) == (3, 1)
    assert grew(before, after, f"{LATENCY}_sum", **rule, status="200") > 0
    labels = {v for (_name, pairs) in after for _k, v in pairs}
    assert not {first, second, "findes-ikke"} & labels, "en sags-id blev til en label"


def test_a_firing_is_counted_with_its_lag_and_leaves_the_due_gauge_and_beat_fresh(api, app, frozen_clock):
    factory = app.extensions["sagsflow"]["session_factory"]
    with factory() as session:  # the advis is mailed to the caseworker; no SMTP here, so it waits in the outbox
        session.execute(update(User).where(User.username == "raadgiver1").values(email="rikke@kommune.dk"))
        session.commit()
    receive(api)
    before = scrape(app)
    assert value(before, "sagsflow_timers_due") == 0
    assert value(before, "sagsflow_tasks_open", team="Team Nord") >= 1

    frozen_clock.advance(hours=12, minutes=1)  # the 12-hour advis has been due for a minute
    due = scrape(app)
    assert value(due, "sagsflow_timers_due") == 1
    assert value(due, "sagsflow_timers_oldest_due_seconds") == 60
    assert tick(factory, seconds=0) == 1
    after = scrape(app)

    assert grew(before, after, "sagsflow_timers_fired_total", kind="advis") == 1
    lag = "sagsflow_timer_firing_lag_seconds"
    assert grew(before, after, f"{lag}_count") == 1
    assert grew(before, after, f"{lag}_sum") == pytest.approx(60)
    assert grew(before, after, f"{lag}_bucket", le="30.0") == 0
    assert grew(before, after, f"{lag}_bucket", le="60.0") == 1
    assert value(after, "sagsflow_timers_due") == 0
    assert (value(due, "sagsflow_outbox_waiting"), value(after, "sagsflow_outbox_waiting")) == (0, 1)
    assert value(after, "sagsflow_beat_last_tick_timestamp_seconds") == frozen_clock.now().timestamp()
    assert value(after, "sagsflow_beat_stale") == 0


def test_beat_goes_stale_when_the_clock_moves_31_seconds_without_a_tick(app, frozen_clock):
    factory = app.extensions["sagsflow"]["session_factory"]
    assert value(scrape(app), "sagsflow_beat_stale") == 1  # never ticked
    tick(factory, seconds=0)
    frozen_clock.advance(seconds=30)
    assert value(scrape(app), "sagsflow_beat_stale") == 0
    frozen_clock.advance(seconds=1)
    assert value(scrape(app), "sagsflow_beat_stale") == 1
    tick(factory, seconds=0)
    assert value(scrape(app), "sagsflow_beat_stale") == 0


def test_a_timer_the_engine_does_not_fire_counts_as_a_firing_failure(api, app, frozen_clock):
    receive(api)
    factory = app.extensions["sagsflow"]["session_factory"]
    mark_due_too_early(factory, "frist_vurdering_24t", frozen_clock.now())
    before = scrape(app)
    fire_due(factory)
    after = scrape(app)
    failures = "sagsflow_timer_firing_failures_total"
    assert grew(before, after, failures, reason="not_fired") == 1
    assert grew(before, after, "sagsflow_timers_fired_total", kind="frist") == 0


def test_metrics_answer_loopback_or_the_token_and_refuse_everyone_else(app):
    client = app.test_client()
    outside = {"REMOTE_ADDR": "10.20.30.40"}
    refused = client.get("/metrics", environ_base=outside)
    assert refused.status_code == 401 and refused.content_type == "application/problem+json"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    proxied = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})  # loopback, via a local proxy
    assert proxied.status_code == 401
    wrong = client.get("/metrics", environ_base=outside, headers={"Authorization": "Bearer forkert"})
    assert wrong.status_code == 403 and wrong.get_json()["title"] == "Ingen adgang"
    assert scrape(app, environ_base=outside, headers={"Authorization": f"Bearer {TOKEN}"})
    assert scrape(app, environ_base={"REMOTE_ADDR": "::1"})
