"""The web app's pages through Flask's test client: log-in, CSRF on forms, no CPR in the HTML unasked."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from service.deadlines.firing import fire_due
from service.demo_payloads import form
from tests.support import complete, open_bpmn_ids, open_task, receive


def _log_in(app: Flask, username: str = "raadgiver1") -> tuple[FlaskClient, str]:
    client = app.test_client()
    response = client.post("/log-ind", data={"username": username, "password": "demo", "naeste": "/sager"})
    assert response.status_code == 302 and response.headers["Location"] == "/sager"
    page = client.get("/indbakke").get_data(as_text=True)
    return client, re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_root_leads_to_the_log_in_page_and_api_docs_stay_reachable(app) -> None:  # noqa: ANN001
    client = app.test_client()
    assert client.get("/").headers["Location"] == "/indbakke"
    assert client.get("/indbakke").headers["Location"].startswith("/log-ind?naeste=/indbakke")
    assert "Log ind" in client.get("/log-ind").get_data(as_text=True)
    assert client.get("/api/docs").status_code == 200


def test_a_wrong_address_gives_a_danish_page_but_stays_json_under_the_api(app) -> None:  # noqa: ANN001
    client = app.test_client()
    page = client.get("/sagr/123")
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "Findes ikke" in page.get_data(as_text=True) and "Adressen findes ikke." in page.get_data(as_text=True)
    wrong_method = client.delete("/log-ind")
    assert wrong_method.status_code == 405 and "Metoden er ikke tilladt" in wrong_method.get_data(as_text=True)
    api = client.get("/api/findes-ikke")
    assert api.status_code == 401 and api.mimetype == "application/problem+json"  # the API asks who first


def test_wrong_password_and_foreign_next_address(app) -> None:  # noqa: ANN001
    client = app.test_client()
    wrong = client.post("/log-ind", data={"username": "raadgiver1", "password": "forkert"})
    assert wrong.status_code == 401
    assert "Forkert brugernavn eller adgangskode." in wrong.get_data(as_text=True)
    response = client.post("/log-ind", data={"username": "raadgiver1", "password": "demo", "naeste": "//evil.dk"})
    assert response.headers["Location"] == "/indbakke"


def test_form_posts_need_the_csrf_field_and_log_out_ends_the_session(api, app) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    client, token = _log_in(app)
    refused = client.post(f"/sager/{case_id}/cpr", data={})
    assert refused.status_code == 403
    assert "010120-4321" not in refused.get_data(as_text=True)
    assert client.get("/log-ind").headers["Location"] == "/indbakke"  # already logged in
    assert client.post("/log-ud", data={"csrf_token": token}).headers["Location"] == "/log-ind?logget_ud=1"
    assert client.get("/indbakke").status_code == 302


def test_case_page_masks_the_cpr_until_asked(api, app) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    client, token = _log_in(app)
    page = client.get(f"/sager/{case_id}").get_data(as_text=True)
    assert "010120-xxxx" in page and "4321" not in page
    shown = client.post(f"/sager/{case_id}/cpr", data={"csrf_token": token}).get_data(as_text=True)
    assert "010120-4321" in shown


def test_task_errors_sit_next_to_their_fields_and_a_draft_is_kept(api, app) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    task_id = open_task(api, case_id, "vurdering_24t")["id"]
    client, token = _log_in(app)
    response = client.post(f"/opgaver/{task_id}", data={"csrf_token": token, "akut": "false",
                                                        "videre_forloeb": "screening", "handling": "udfoer"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="f-begrundelse-fejl">«Faglig begrundelse» skal udfyldes\.', page)
    assert 'value="false" checked' in page  # what was typed survives the error

    draft = client.post(f"/opgaver/{task_id}", data={"csrf_token": token, "begrundelse": "Halvt skrevet",
                                                     "handling": "kladde"})
    assert draft.status_code == 302
    assert "Halvt skrevet</textarea>" in client.get(f"/opgaver/{task_id}").get_data(as_text=True)
    assert api.get(f"/api/tasks/{task_id}").get_json()["status"] == "aaben"


def test_the_form_script_saves_the_draft_without_leaving_the_page(api, app) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    task_id = open_task(api, case_id, "vurdering_24t")["id"]
    client, token = _log_in(app)
    page = client.get(f"/opgaver/{task_id}").get_data(as_text=True)
    assert f'data-autosave="/opgaver/{task_id}/kladde"' in page and "kladde.js" in page
    assert client.post(f"/opgaver/{task_id}/kladde", data={"begrundelse": "Uden nøgle"}).status_code == 403
    saved = client.post(f"/opgaver/{task_id}/kladde", data={"csrf_token": token, "begrundelse": "Skrevet i pausen"})
    assert saved.status_code == 204 and saved.get_data() == b""
    assert "Skrevet i pausen</textarea>" in client.get(f"/opgaver/{task_id}").get_data(as_text=True)
    assert api.get(f"/api/tasks/{task_id}").get_json()["status"] == "aaben"


def test_intake_reports_missing_fields_in_danish(app) -> None:  # noqa: ANN001
    client, token = _log_in(app)
    response = client.post("/underretninger/ny", data={"csrf_token": token, "cpr": "010120-4321"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="f-barnets_navn-fejl">Feltet skal udfyldes\.', page)
    assert re.search(r'id="f-kanal-fejl">Feltet skal udfyldes\.', page)


def test_a_notice_is_marked_read_from_the_inbox(api, app, frozen_clock) -> None:  # noqa: ANN001
    receive(api)
    frozen_clock.advance(hours=13)  # past the 12-hour warning of the 24-hour assessment
    fire_due(app.extensions["sagsflow"]["session_factory"])
    client, token = _log_in(app)
    page = client.get("/indbakke").get_data(as_text=True)
    notice = re.search(r'action="/notifikationer/(\d+)/laest"', page).group(1)
    assert "Frist nærmer sig" in page
    assert client.post(f"/notifikationer/{notice}/laest", data={"csrf_token": token}).status_code == 302
    assert "Frist nærmer sig" not in client.get("/indbakke").get_data(as_text=True)


def test_a_task_done_meanwhile_is_said_so_instead_of_an_error_page(api, app) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    task_id = open_task(api, case_id, "vurdering_24t")["id"]
    client, token = _log_in(app)
    assert api.post(f"/api/tasks/{task_id}/complete", "raadgiver2",
                    json={"data": form("vurdering_24t")}).status_code == 200
    data = {"csrf_token": token, "handling": "udfoer", "akut": "false", "videre_forloeb": "screening",
            "begrundelse": "Ingen akut fare; skolen følger op."}
    response = client.post(f"/opgaver/{task_id}", data=data, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Opgaven er allerede udført eller ikke længere aktiv." in page
    assert "Opgaven er udført." in page and "Udfør opgaven" not in page


def test_my_cases_with_the_most_pressing_deadline_first(api, app) -> None:  # noqa: ANN001
    mine = receive(api)["case_id"]
    complete(api, mine, "vurdering_24t")  # raadgiver1's case now; its next deadline is weeks away
    receive(api, cpr="020219-4322", barnets_navn="Bo Hansen")  # nobody's yet; due within 24 hours
    client, _ = _log_in(app)
    team = client.get("/sager").get_data(as_text=True)
    assert team.index("Bo Hansen") < team.index("Alma Jensen")
    assert "Ikke fordelt" in team and "Rikke Rådgiver" in team
    only_mine = client.get("/sager?mine=1").get_data(as_text=True)
    assert "Alma Jensen" in only_mine and "Bo Hansen" not in only_mine


def test_the_case_page_lists_every_open_task_but_links_only_those_i_may_do(api, app) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    task_id = open_task(api, case_id, "vurdering_24t")["id"]
    api.post(f"/api/tasks/{task_id}/claim", "raadgiver2")
    client, _ = _log_in(app)
    page = client.get(f"/sager/{case_id}").get_data(as_text=True)
    assert "24-timers vurdering" in page and "Rasmus Rådgiver" in page
    assert f'href="/opgaver/{task_id}"' not in page and f"/opgaver/{task_id}/frigiv" not in page
    leader, _ = _log_in(app, "teamleder1")
    assert f"/opgaver/{task_id}/frigiv" in leader.get(f"/sager/{case_id}").get_data(as_text=True)


def test_iverksaettelse_offers_the_measures_and_providers_of_the_indsatsvifte(api, app) -> None:  # noqa: ANN001
    from tests.support import walk_to_decision
    case_id = receive(api)["case_id"]
    walk_to_decision(api, case_id)
    complete(api, case_id, "afgoerelse", user="teamleder1")
    task_id = open_task(api, case_id, "ivaerksaettelse")["id"]
    client, _ = _log_in(app)
    page = client.get(f"/opgaver/{task_id}").get_data(as_text=True)
    measures = re.search(r'<select[^>]*name="indsats_kode".*?</select>', page, re.S).group(0)
    providers = re.search(r'<select[^>]*name="leverandoer_kode".*?</select>', page, re.S).group(0)
    names = {i["navn"] for i in api.get("/api/indsatsvifte").get_json()}
    assert names and all(n in measures for n in names)
    assert "Familiehuset" in providers or form("ivaerksaettelse")["leverandoer_kode"] in providers


def test_a_task_sent_back_by_visitation_shows_why_on_its_page(api, app) -> None:  # noqa: ANN001
    from tests.visitation.helpers import indstilling, walk_to_indstilling
    case_id = receive(api)["case_id"]
    walk_to_indstilling(api, case_id, refusal_investigated=True)
    complete(api, case_id, "indstilling", indstilling(udfald="bevilget"))
    task_id = open_task(api, case_id, "barnets_plan")["id"]
    client, _ = _log_in(app)
    page = client.get(f"/opgaver/{task_id}").get_data(as_text=True)
    alert = re.search(r'<p class="besked fejl" role="alert">(.*?)</p>', page, re.S)
    assert alert and "Barnets plan (BL §§ 91–92) mangler" in alert.group(1)


def test_a_committee_meeting_in_the_browser_decides_its_whole_agenda(api, app) -> None:  # noqa: ANN001
    from tests.visitation.test_committee_meeting import CHILDREN, _to_committee
    cases = [_to_committee(api, cpr, name, aarlig_udgift=300000) for cpr, name in CHILDREN[:2]]
    client, token = _log_in(app, "teamleder1")
    assert "2 sager venter på Visitationsudvalget – planlæg et møde" in client.get("/indbakke").get_data(as_text=True)
    overview = client.get("/udvalg").get_data(as_text=True)
    assert "Visitationsudvalget: 2 sager venter" in overview and "Alma Jensen" in overview
    planned = client.post("/udvalg/visitationsudvalg/moeder", data={"csrf_token": token, "moededato": "2026-06-03"})
    assert planned.status_code == 302
    meeting_url = planned.headers["Location"]
    assert "er planlagt med 2 sager – afhold det" in client.get("/indbakke").get_data(as_text=True)
    first, second = cases
    missing = client.post(meeting_url, data={"csrf_token": token, f"udfald-{first}": "bevilget",
                                             f"begrundelse-{first}": "Behovet er dokumenteret."})
    assert missing.status_code == 422
    page = missing.get_data(as_text=True)
    assert f'id="udfald-{second}-fejl">Vælg udvalgets beslutning' in page
    assert "Behovet er dokumenteret." in page  # what was typed survives the error
    held = client.post(meeting_url, data={"csrf_token": token, f"udfald-{first}": "bevilget",
                                          f"begrundelse-{first}": "Behovet er dokumenteret.",
                                          f"udfald-{second}": "afslag", f"begrundelse-{second}": "Ikke nødvendig."})
    assert held.status_code == 302 and held.headers["Location"] == "/udvalg"
    assert "Ingen planlagte møder" in client.get("/udvalg").get_data(as_text=True)
    assert all("afgoerelse" in open_bpmn_ids(api, cid) for cid in cases)
    assert client.get("/udvalg").status_code == 200
    assert _log_in(app)[0].get("/udvalg").status_code == 403  # caseworkers do not hold meetings
