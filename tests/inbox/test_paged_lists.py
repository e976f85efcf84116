"""The inbox and case list over the API: pages with totals, sorting, search (CPR only in a body), markers."""

from __future__ import annotations

import re

from service.demo_payloads import form
from tests.support import cases, complete, open_task, receive, tasks

CHILDREN = (("010120-4321", "Alma Jensen"), ("020219-4322", "Søren Ørsted"), ("030318-4323", "Bo Hansen"),
            ("040417-4324", "Ea Ørum"))


def _team(api, frozen_clock) -> dict[str, str]:  # noqa: ANN001
    """Four children, an hour apart: the first one's 24-hour deadline is the nearest."""
    found = {}
    for cpr, name in CHILDREN:
        found[name] = receive(api, cpr=cpr, barnets_navn=name)["case_id"]
        frozen_clock.advance(hours=1)
    return found


def test_pages_add_up_to_the_whole_inbox_and_say_where_the_next_starts(api, frozen_clock):
    _team(api, frozen_clock)
    everything = tasks(api)
    assert len(everything) >= 4
    seen, offset = [], 0
    while offset is not None:
        page = api.get(f"/api/tasks?scope=alle&limit=3&offset={offset}").get_json()
        assert page["i_alt"] == len(everything) and page["limit"] == 3 and len(page["opgaver"]) <= 3
        seen += [t["id"] for t in page["opgaver"]]
        offset = page["naeste"]
    assert seen == [t["id"] for t in everything]  # same order, nothing twice, nothing missing
    assert api.get("/api/tasks?limit=0").status_code == 422
    assert api.get("/api/tasks?limit=201").status_code == 422


def test_deadline_first_by_default_and_any_column_both_ways(api, frozen_clock):
    children = _team(api, frozen_clock)
    assessments = [t for t in tasks(api) if t["bpmn_id"] == "vurdering_24t"]
    assert [t["barnets_navn"] for t in assessments] == [name for _, name in CHILDREN]  # nearest deadline first
    assert all(t["frist"] for t in assessments) and not any(t["overskredet"] for t in assessments)
    by_name = api.get("/api/tasks?scope=alle&sorter=barn&limit=200").get_json()["opgaver"]
    names = [t["barnets_navn"] for t in by_name]
    assert names == sorted(names, key=str.lower)
    backwards = api.get("/api/tasks?scope=alle&sorter=-sag&limit=200").get_json()["opgaver"]
    assert [t["sagsnummer"] for t in backwards] == sorted((t["sagsnummer"] for t in backwards), reverse=True)
    refused = api.get("/api/tasks?sorter=cpr")
    assert refused.status_code == 422 and refused.get_json()["errors"][0]["field"] == "sorter"
    frozen_clock.advance(hours=20, minutes=30)  # Alma's assessment is now overdue, the others not yet
    overdue = api.get("/api/tasks?scope=alle&overskredet=true").get_json()
    assert overdue["i_alt"] >= 1 and {t["case_id"] for t in overdue["opgaver"]} == {children["Alma Jensen"]}
    assert all(t["overskredet"] for t in overdue["opgaver"])


def test_search_by_name_or_case_number_and_filters(api, frozen_clock):
    children = _team(api, frozen_clock)
    found = api.get("/api/tasks?scope=alle&q=ØR&limit=200").get_json()["opgaver"]  # any case, Æ Ø Å too
    assert {t["barnets_navn"] for t in found} == {"Søren Ørsted", "Ea Ørum"}
    number = cases(api)[0]["sagsnummer"]
    by_number = api.get(f"/api/cases?q={number[-3:]}").get_json()
    assert by_number["i_alt"] == 1 and by_number["sager"][0]["sagsnummer"] == number
    assert api.get("/api/tasks?q=100%25").get_json()["i_alt"] == 0  # % is a character, not a wildcard
    task = open_task(api, children["Bo Hansen"], "vurdering_24t")
    api.post(f"/api/tasks/{task['id']}/claim")
    mine = api.get("/api/tasks?scope=mine").get_json()
    assert [t["id"] for t in mine["opgaver"]] == [task["id"]] and mine["i_alt"] == 1
    free = api.get("/api/tasks?scope=ledige&limit=200").get_json()["opgaver"]
    assert task["id"] not in [t["id"] for t in free] and free
    assert api.get("/api/tasks?scope=team", "raadgiver2").get_json()["i_alt"] == len(free)
    typed = api.get("/api/tasks?scope=alle&opgavetype=24-timers vurdering").get_json()
    assert typed["i_alt"] == 4 and {t["bpmn_id"] for t in typed["opgaver"]} == {"vurdering_24t"}
    assert api.get("/api/tasks?rolle=teamleder").get_json()["i_alt"] == 0  # a caseworker sees no leader tasks


def _shown(response) -> str:  # noqa: ANN001
    """The answer without its ids: a random UUID may hold the CPR's last four digits by chance."""
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "", response.get_data(as_text=True))


def test_a_cpr_is_searched_only_from_a_body_never_shown_and_always_journalled(api, frozen_clock):
    children = _team(api, frozen_clock)
    for url in ("/api/tasks?q=020219-4322", "/api/cases?q=0202194322", "/api/tasks?q=Søren%20020219-4322"):
        refused = api.get(url)
        assert refused.status_code == 422 and "POST" in refused.get_json()["errors"][0]["message"], url
        assert "4322" not in _shown(refused)
    response = api.post("/api/tasks/soeg", json={"q": "020219-4322", "scope": "alle"})
    assert response.status_code == 200
    assert {t["case_id"] for t in response.get_json()["opgaver"]} == {children["Søren Ørsted"]}
    assert "4322" not in _shown(response)
    found_case = api.post("/api/cases/soeg", json={"q": "0202194322"})
    assert [c["id"] for c in found_case.get_json()["sager"]] == [children["Søren Ørsted"]]
    assert "4322" not in _shown(found_case)
    assert api.post("/api/cases/soeg", json={"q": "Søren"}).get_json()["i_alt"] == 1  # a name works there too

    def searches(case_id: str) -> int:
        journal = api.get(f"/api/cases/{case_id}", "teamleder1").get_json()["journal"]
        return sum(1 for e in journal if e["handling"] == "laest" and e["tekst"] == "Søgt på CPR-nummer")
    assert searches(children["Søren Ørsted"]) == 2 and searches(children["Alma Jensen"]) == 0
    bad = api.post("/api/tasks/soeg", json={"q": "999999-1234"})
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "q"
    assert api.post("/api/cases/soeg", json={"q": "020219-4322"}, user="raadgiver_syd").get_json()["i_alt"] == 0
    assert searches(children["Søren Ørsted"]) == 2  # another team found nothing, so nothing was read


def test_markers_overgreb_akut_and_a_new_underretning(api, frozen_clock):
    abuse = receive(api, cpr="050516-4325", barnets_navn="Liv Berg", overgreb=True)["case_id"]
    plain = receive(api)["case_id"]

    def markers(case_id: str) -> list[str]:
        return next(c["markeringer"] for c in cases(api) if c["id"] == case_id)
    assert markers(abuse) == ["overgreb"] and markers(plain) == []
    assert {t["case_id"] for t in tasks(api, query="markering=overgreb")} == {abuse}
    assert all("overgreb" in t["markeringer"] for t in tasks(api) if t["case_id"] == abuse)

    complete(api, plain, "vurdering_24t", {**form("vurdering_24t"), "akut": True})
    assert markers(plain) == ["akut"]
    frozen_clock.advance(hours=2)
    receive(api, underretter_type="borger")  # joins Alma's open case
    assert markers(plain) == ["akut", "ny_underretning"]
    assert [c["id"] for c in cases(api, query="markering=ny_underretning")] == [plain]
    frozen_clock.advance(hours=1)
    complete(api, plain, "vurdering_ny_underretning", form("vurdering_ny_underretning"))  # assessed: not acute
    assert markers(plain) == []


def test_saved_views_are_the_owners_unless_shared_with_her_team(api):
    mine = api.post("/api/visninger", json={"liste": "opgaver", "navn": "Mine overskredne",
                                             "filter": {"scope": "mine", "overskredet": True}})
    assert mine.status_code == 201 and mine.get_json()["egen"] is True
    shared = api.post("/api/visninger", json={"liste": "opgaver", "navn": "Overgreb", "delt": True,
                                               "filter": {"scope": "alle", "markering": "overgreb", "limit": 10}})
    assert shared.get_json()["filter"] == {"scope": "alle", "markering": "overgreb"}  # paging is not a filter
    assert [v["navn"] for v in api.get("/api/visninger?liste=opgaver").get_json()] == ["Mine overskredne", "Overgreb"]
    colleague = api.get("/api/visninger", "raadgiver2").get_json()
    assert [(v["navn"], v["egen"]) for v in colleague] == [("Overgreb", False)]
    assert api.get("/api/visninger", "raadgiver_syd").get_json() == []
    assert api.call("DELETE", f"/api/visninger/{shared.get_json()['id']}", "raadgiver2").status_code == 403
    assert api.call("DELETE", f"/api/visninger/{mine.get_json()['id']}", "raadgiver_syd").status_code == 404
    with_cpr = api.post("/api/visninger", json={"liste": "opgaver", "navn": "x", "filter": {"q": "010120-4321"}})
    assert with_cpr.status_code == 422 and "4321" not in with_cpr.get_data(as_text=True)
    unknown = api.post("/api/visninger", json={"liste": "sager", "navn": "x", "filter": {"scope": "mine"}})
    assert unknown.status_code == 422 and unknown.get_json()["errors"][0]["field"] == "filter.scope"
    assert api.call("DELETE", f"/api/visninger/{mine.get_json()['id']}", "raadgiver1").status_code == 204
    assert [v["navn"] for v in api.get("/api/visninger").get_json()] == ["Overgreb"]
