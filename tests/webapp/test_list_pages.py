"""The inbox and case list pages: paging, sortable headers, search (CPR by form post only), views, claim."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from flask import Flask
from flask.testing import FlaskClient

from service.webapp.lists import PAGE_SIZE
from tests.support import open_task, receive, tasks


def _log_in(app: Flask, username: str = "raadgiver1") -> tuple[FlaskClient, str]:
    client = app.test_client()
    assert client.post("/log-ind", data={"username": username, "password": "demo"}).status_code == 302
    page = client.get("/indbakke").get_data(as_text=True)
    return client, re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _rows(page: str) -> list[str]:
    return re.findall(r'<tr id="opgave-([^"]+)"', page)


def _many(api, frozen_clock, count: int) -> None:  # noqa: ANN001
    for n in range(count):
        receive(api, cpr=f"{n % 28 + 1:02d}0{n % 9 + 1}1{n % 10}-{4000 + n}", barnets_navn=f"Barn {n:02d}")
        frozen_clock.advance(minutes=5)


def test_the_inbox_pages_by_25_sorts_by_header_and_counts_by_sql(api, app, frozen_clock):
    _many(api, frozen_clock, 14)  # more than 25 open tasks in the team
    total = len(tasks(api, query="scope=team"))
    assert total > PAGE_SIZE
    client, _ = _log_in(app)
    first = client.get("/indbakke").get_data(as_text=True)
    assert f"{total} opgaver i alt · side 1 af 2" in first
    assert f'<span id="indbakke-antal">{total}<' in first  # the badge: the same count
    assert len(_rows(first)) == PAGE_SIZE and 'rel="next" href' not in first and 'href="/indbakke?side=2"' in first
    second = client.get("/indbakke?side=2").get_data(as_text=True)
    assert len(_rows(second)) == total - PAGE_SIZE and not set(_rows(first)) & set(_rows(second))
    assert re.search(r'<th scope="col" aria-sort="ascending">\s*<a href="/indbakke\?sorter=-frist">', first)
    by_child = client.get("/indbakke?sorter=-barn").get_data(as_text=True)
    assert re.search(r'aria-sort="descending">\s*<a href="/indbakke\?sorter=barn">', by_child)
    assert by_child.index("Barn 13") < by_child.index("Barn 12")
    assert 'href="/indbakke?sorter=-barn&amp;side=2"' in by_child  # paging keeps the sort
    bad = client.get("/indbakke?sorter=cpr&scope=mine")
    assert bad.status_code == 422 and "Skal være en af" in bad.get_data(as_text=True)


def test_search_by_name_redirects_but_a_cpr_is_answered_from_the_post_and_journalled(api, app):
    receive(api)
    wanted = receive(api, cpr="020219-4322", barnets_navn="Søren Ørsted")["case_id"]
    client, token = _log_in(app)
    by_name = client.post("/indbakke", data={"csrf_token": token, "q": "ørst", "scope": "mine"})
    assert by_name.status_code == 303 and by_name.headers["Location"] == "/indbakke?scope=mine&q=%C3%B8rst"
    page = client.get("/indbakke?q=%C3%B8rst").get_data(as_text=True)
    assert "Søren Ørsted" in page and "Alma Jensen" not in page

    for path in ("/indbakke", "/sager"):
        found = client.post(path, data={"csrf_token": token, "q": "0202194322"})
        body = found.get_data(as_text=True)
        assert found.status_code == 200 and "Søren Ørsted" in body and "Alma Jensen" not in body
        assert "4322" not in body and "Søgt på CPR-nummer" in body
    journal = api.get(f"/api/cases/{wanted}").get_json()["journal"]
    assert [e["tekst"] for e in journal].count("Søgt på CPR-nummer") == 2
    in_url = client.get("/sager?q=020219-4322")
    assert in_url.status_code == 422 and "4322" not in in_url.get_data(as_text=True)
    assert "Et CPR-nummer må ikke stå i adressen" in in_url.get_data(as_text=True)


def test_case_list_pages_sorts_and_marks_in_words(api, app):
    receive(api, overgreb=True)
    receive(api, cpr="020219-4322", barnets_navn="Bo Hansen")
    client, _ = _log_in(app)
    page = client.get("/sager?sorter=barn").get_data(as_text=True)
    assert page.index("Alma Jensen") < page.index("Bo Hansen") and "2 sager i alt" in page
    assert re.search(r'Alma Jensen</a>\s*<span class="markering overgreb">Overgreb</span>', page)
    marked = client.get("/sager?markering=overgreb").get_data(as_text=True)
    assert "Alma Jensen" in marked and "Bo Hansen" not in marked


def test_claim_opens_the_task_and_a_refused_claim_returns_to_the_row(api, app):
    case_id = receive(api)["case_id"]
    task_id = open_task(api, case_id, "vurdering_24t")["id"]
    client, token = _log_in(app)
    back = "/indbakke?sorter=barn"
    taken = client.post(f"/opgaver/{task_id}/tag", data={"csrf_token": token, "tilbage": back})
    assert taken.status_code == 302 and taken.headers["Location"] == f"/opgaver/{task_id}"
    colleague, colleague_token = _log_in(app, "raadgiver2")
    refused = colleague.post(f"/opgaver/{task_id}/tag", data={"csrf_token": colleague_token, "tilbage": back})
    assert refused.headers["Location"] == f"{back}#opgave-{task_id}"
    assert "allerede taget af en kollega" in colleague.get(back).get_data(as_text=True)
    released = client.post(f"/opgaver/{task_id}/frigiv", data={"csrf_token": token, "tilbage": back})
    assert released.headers["Location"] == f"{back}#opgave-{task_id}"


def test_a_view_is_saved_from_the_inbox_and_shared_with_the_team(api, app):
    receive(api, overgreb=True)
    receive(api, cpr="020219-4322", barnets_navn="Bo Hansen")
    client, token = _log_in(app)
    saved = client.post("/visninger", data={"csrf_token": token, "navn": "Overgreb", "delt": "1",
                                             "markering": "overgreb", "scope": "alle"})
    view_id = re.search(r"visning=(\d+)", saved.headers["Location"]).group(1)
    opened = client.get(f"/indbakke?visning={view_id}")
    path, _, query = opened.headers["Location"].partition("?")
    assert path == "/indbakke" and parse_qs(query) == {"markering": ["overgreb"], "scope": ["alle"],
                                                       "visning": [view_id]}
    page = client.get(opened.headers["Location"]).get_data(as_text=True)
    assert "Alma Jensen" in page and "Bo Hansen" not in page
    assert re.search(rf'<option value="{view_id}" selected>Overgreb \(delt\)</option>', page)
    colleague, _ = _log_in(app, "raadgiver2")
    assert "Overgreb (delt af teamet)" in colleague.get("/indbakke").get_data(as_text=True)
    other_team, _ = _log_in(app, "raadgiver_syd")
    assert other_team.get(f"/indbakke?visning={view_id}").status_code == 404
