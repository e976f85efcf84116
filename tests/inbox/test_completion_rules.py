"""Completing tasks: form validation (422), double completion (409), claims and team boundaries."""

from __future__ import annotations

import threading

import pytest

from service.demo_payloads import form
from tests.support import complete, open_task, receive
from tests.support import tasks as open_tasks


def _errors(response) -> dict[str, str]:  # noqa: ANN001
    body = response.get_json()
    assert response.status_code == 422, body
    assert response.mimetype == "application/problem+json"
    return {e["field"]: e["message"] for e in body["errors"]}


@pytest.mark.parametrize(("data", "field", "words"), [
    ({"akut": False, "videre_forloeb": "screening"}, "begrundelse", "skal udfyldes"),
    ({"akut": "nej", "begrundelse": "En god faglig begrundelse.", "videre_forloeb": "screening"}, "akut",
     "ja eller nej"),
    ({"akut": False, "begrundelse": "kort", "videre_forloeb": "screening"}, "begrundelse", "mindst 10 tegn"),
    ({"akut": False, "begrundelse": "En god faglig begrundelse.", "videre_forloeb": "maaske"}, "videre_forloeb",
     "ugyldig værdi"),
    ({**form("vurdering_24t"), "typename": "x"}, "typename", "ukendt felt"),
    # an answer that does not fit another is explained in the form's words, not its codes (true, "screening")
    ({"akut": True, "begrundelse": "En god faglig begrundelse.", "videre_forloeb": "luk"}, "videre_forloeb",
     "når «barnet er i akut fare» er «ja», skal «videre forløb» være «videre til screening og faglig vurdering»."),
])
def test_each_kind_of_bad_24_hour_assessment_is_a_422_naming_the_field(api, data, field, words):
    case = receive(api)
    task = open_task(api, case["case_id"], "vurdering_24t")
    response = api.post(f"/api/tasks/{task['id']}/complete", json={"data": data})
    errors = _errors(response)
    assert words in errors[field].lower()
    # Nothing changed: the task is still open and nothing was journalled as done.
    assert api.get(f"/api/tasks/{task['id']}").get_json()["status"] == "aaben"


def test_plan_needs_three_to_five_measurable_goals_and_decision_needs_klagevejledning(api):
    case = receive(api)
    cid = case["case_id"]
    for step in ("vurdering_24t", "faglig_vurdering", "bfu"):
        complete(api, cid, step)
    plan = open_task(api, cid, "barnets_plan")
    two_goals = form("barnets_plan", maal=form("barnets_plan")["maal"][:2])
    assert "mindst 3" in _errors(api.post(f"/api/tasks/{plan['id']}/complete", json={"data": two_goals}))["maal"]
    unmeasurable = form("barnets_plan")
    unmeasurable["maal"] = [dict(g) for g in unmeasurable["maal"]]
    del unmeasurable["maal"][1]["maalbart_kriterium"]
    errors = _errors(api.post(f"/api/tasks/{plan['id']}/complete", json={"data": unmeasurable}))
    assert "maal.1.maalbart_kriterium" in errors
    complete(api, cid, "barnets_plan")
    complete(api, cid, "indstilling")
    decision = open_task(api, cid, "afgoerelse", user="teamleder1")
    no_guidance = form("afgoerelse", klagevejledning_givet=False)
    errors = _errors(api.post(f"/api/tasks/{decision['id']}/complete", "teamleder1", json={"data": no_guidance}))
    assert "klagevejledning_givet" in errors


def test_request_body_errors_are_4xx_problems_never_500(api):
    case = receive(api)
    task = open_task(api, case["case_id"], "vurdering_24t")
    bad_json = api.post(f"/api/tasks/{task['id']}/complete", data="{not json", content_type="application/json")
    assert bad_json.status_code == 400 and bad_json.mimetype == "application/problem+json"
    missing = api.post(f"/api/tasks/{task['id']}/complete", json={})
    assert missing.status_code == 422 and missing.get_json()["errors"][0]["field"] == "data"
    assert api.post("/api/tasks/00000000-0000-0000-0000-000000000000/complete",
                    json={"data": {}}).status_code == 404
    assert api.get("/api/cases/does-not-exist").status_code == 404


def test_second_completion_of_the_same_task_is_a_409(api):
    case = receive(api)
    task = open_task(api, case["case_id"], "vurdering_24t")
    first = api.post(f"/api/tasks/{task['id']}/complete", json={"data": form("vurdering_24t")})
    second = api.post(f"/api/tasks/{task['id']}/complete", "raadgiver2", json={"data": form("vurdering_24t")})
    assert (first.status_code, second.status_code) == (200, 409)


def test_two_people_completing_the_same_task_at_once_one_wins_one_gets_409(api, app):
    case = receive(api)
    task = open_task(api, case["case_id"], "vurdering_24t")
    tokens = {u: api.token(u) for u in ("raadgiver1", "raadgiver2")}
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def submit(user: str) -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post(f"/api/tasks/{task['id']}/complete", json={"data": form("vurdering_24t")},
                               headers={"Authorization": f"Bearer {tokens[user]}"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=submit, args=(u,)) for u in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200, 409]
    journal = api.get(f"/api/cases/{case['case_id']}").get_json()["journal"]
    assert [e["task_id"] for e in journal if e["handling"] == "opgave_udfoert"] == [task["id"]]


def test_claimed_task_is_reserved_and_can_be_released(api):
    case = receive(api)
    task = open_task(api, case["case_id"], "vurdering_24t")
    assert api.post(f"/api/tasks/{task['id']}/claim").status_code == 200
    assert api.post(f"/api/tasks/{task['id']}/claim", "raadgiver2").status_code == 409
    taken = api.post(f"/api/tasks/{task['id']}/complete", "raadgiver2", json={"data": form("vurdering_24t")})
    assert taken.status_code == 409
    mine = api.get("/api/tasks?scope=mine").get_json()["opgaver"]
    assert [t["id"] for t in mine] == [task["id"]]
    assert api.post(f"/api/tasks/{task['id']}/release").status_code == 200
    assert api.post(f"/api/tasks/{task['id']}/claim", "raadgiver2").status_code == 200


def test_draft_is_saved_without_completing(api):
    case = receive(api)
    task = open_task(api, case["case_id"], "vurdering_24t")
    assert api.put(f"/api/tasks/{task['id']}/draft", json={"data": {"akut": False}}).status_code == 200
    detail = api.get(f"/api/tasks/{task['id']}").get_json()
    assert detail["kladde"] == {"akut": False} and detail["status"] == "aaben"
    assert detail["formular_skema"]["properties"]["begrundelse"]["title"]


def test_other_team_and_wrong_role_see_nothing(api):
    case = receive(api)
    cid = case["case_id"]
    task = open_task(api, cid, "vurdering_24t")
    assert open_tasks(api, "raadgiver_syd") == []
    assert api.get(f"/api/tasks/{task['id']}", "raadgiver_syd").status_code == 404
    assert api.get(f"/api/cases/{cid}", "raadgiver_syd").status_code == 404
    assert api.post(f"/api/tasks/{task['id']}/complete", "raadgiver_syd",
                    json={"data": form("vurdering_24t")}).status_code == 404
    assert api.get(f"/api/cases/{cid}", "procesejer1").status_code == 404
    for step in ("vurdering_24t", "faglig_vurdering", "bfu", "barnets_plan", "indstilling"):
        complete(api, cid, step)
    decision = open_task(api, cid, "afgoerelse", user="teamleder1")
    # She sees the case and its open tasks, so she is told why, not that the task does not exist.
    for method, path, body in (("POST", "complete", {"data": form("afgoerelse")}), ("POST", "claim", None),
                               ("GET", "", None)):
        response = api.call(method, f"/api/tasks/{decision['id']}" + (f"/{path}" if path else ""), "raadgiver1",
                            json=body)
        assert response.status_code == 403, response.get_json()
        assert response.get_json()["detail"] == ("Opgaven er teamlederens opgave; din rolle kan ikke tage eller "
                                                 "udføre den.")
    assert api.post(f"/api/tasks/{decision['id']}/claim", "raadgiver_syd").status_code == 404


def test_completing_an_unclaimed_task_claims_it_for_the_completer_in_the_same_step(api):
    case = receive(api)
    task = open_task(api, case["case_id"], "vurdering_24t")
    assert task["taget_af"] is None
    done = api.post(f"/api/tasks/{task['id']}/complete", "raadgiver2", json={"data": form("vurdering_24t")})
    assert done.status_code == 200
    journal = api.get(f"/api/cases/{case['case_id']}").get_json()["journal"]
    line = next(e for e in journal if e["handling"] == "opgave_udfoert")
    assert line["data"]["taget_ved_udfoerelse"] is True
    assert done.get_json()["opgave"]["taget_af"] == line["bruger_id"] is not None


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite has no row locks to wait on
def test_two_tasks_of_one_case_completed_at_once_both_succeed(api, app):
    """The second waits for the first's lock on the instance, then reads the case and tasks as the first left them."""
    case = receive(api)
    complete(api, case["case_id"], "registrering")
    parallel = [t for t in open_tasks(api) if t["case_id"] == case["case_id"] and t["rolle"] == "raadgiver"]
    assert len(parallel) >= 2, [t["bpmn_id"] for t in parallel]
    token = api.token("raadgiver1")
    barrier = threading.Barrier(2)
    statuses: dict[str, int] = {}

    def submit(task: dict) -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post(f"/api/tasks/{task['id']}/complete", json={"data": form(task["bpmn_id"])},
                               headers={"Authorization": f"Bearer {token}"})
        statuses[task["bpmn_id"]] = response.status_code

    threads = [threading.Thread(target=submit, args=(t,)) for t in parallel[:2]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(statuses.values()) == {200}, statuses
    still_open = {t["bpmn_id"] for t in open_tasks(api) if t["case_id"] == case["case_id"]}
    assert not still_open & set(statuses)
