"""A form sent twice (a double click, the browser's resend) leads to the first result, and the work is done once."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from service.demo_payloads import UNDERRETNING, form
from tests.support import complete, open_task, receive
from tests.visitation.helpers import indstilling, walk_to_indstilling

_HIDDEN = r'name="{}" value="([^"]*)"'


def _log_in(app: Flask, username: str = "raadgiver1") -> FlaskClient:
    client = app.test_client()
    assert client.post("/log-ind", data={"username": username, "password": "demo"}).status_code == 302
    return client


def _form(client: FlaskClient, page: str, action: str) -> dict[str, str]:
    """The hidden fields (CSRF token, idempotency key) of the form on `page` that posts to `action`."""
    html = client.get(page).get_data(as_text=True)
    start = html.index(f'action="{action}"')
    form_html = html[start:html.index("</form>", start)]
    return {name: re.search(_HIDDEN.format(name), form_html).group(1) for name in ("csrf_token", "idempotency_key")}


def _messages(client: FlaskClient, page: str) -> list[str]:
    return re.findall(r'<p class="besked ok"[^>]*>(.*?)</p>', client.get(page).get_data(as_text=True), re.S)


def _journal(api, case_id: str, action: str) -> int:  # noqa: ANN001
    return sum(e["handling"] == action for e in api.get(f"/api/cases/{case_id}", "teamleder1").get_json()["journal"])


def test_each_rendering_of_a_form_has_its_own_key(api, app) -> None:  # noqa: ANN001
    client = _log_in(app)
    first = _form(client, "/underretninger/ny", "/underretninger/ny")["idempotency_key"]
    second = _form(client, "/underretninger/ny", "/underretninger/ny")["idempotency_key"]
    assert first != second and len(first) >= 20


def test_a_task_form_sent_twice_is_done_once_and_both_lead_to_the_inbox(api, app) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    task_id = open_task(api, case_id, "vurdering_24t")["id"]
    client = _log_in(app)
    hidden = _form(client, f"/opgaver/{task_id}", f"/opgaver/{task_id}")
    data = {**hidden, "akut": "false", "videre_forloeb": "screening", "begrundelse": "Ikke akut; screening.",
            "handling": "udfoer"}
    first = client.post(f"/opgaver/{task_id}", data=data)
    assert first.status_code == 302 and first.headers["Location"] == "/indbakke"
    again = client.post(f"/opgaver/{task_id}", data=data)
    assert again.status_code == 302 and again.headers["Location"] == "/indbakke"
    assert any("er udført for Alma Jensen" in m for m in _messages(client, "/indbakke"))  # said again, not an error
    assert _journal(api, case_id, "opgave_udfoert") == 1
    # A form without the key (an old page, a script) is still told that the task is done.
    without = client.post(f"/opgaver/{task_id}", data={k: v for k, v in data.items() if k != "idempotency_key"})
    assert without.status_code == 302 and without.headers["Location"] == f"/opgaver/{task_id}"


def test_an_edited_form_sent_with_the_old_key_is_refused_in_danish(api, app) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    task_id = open_task(api, case_id, "vurdering_24t")["id"]
    client = _log_in(app)
    hidden = _form(client, f"/opgaver/{task_id}", f"/opgaver/{task_id}")
    data = {**hidden, "akut": "false", "videre_forloeb": "screening", "begrundelse": "Ikke akut.", "handling": "udfoer"}
    assert client.post(f"/opgaver/{task_id}", data=data).status_code == 302
    edited = client.post(f"/opgaver/{task_id}", data={**data, "begrundelse": "Noget andet."})
    assert edited.status_code == 422 and edited.mimetype == "text/html"
    assert "Formularen er allerede sendt med et andet indhold." in edited.get_data(as_text=True)
    assert _journal(api, case_id, "opgave_udfoert") == 1


def test_a_form_refused_for_its_content_can_be_corrected_and_sent_with_the_same_key(api, app) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    task_id = open_task(api, case_id, "vurdering_24t")["id"]
    client = _log_in(app)
    hidden = _form(client, f"/opgaver/{task_id}", f"/opgaver/{task_id}")
    data = {**hidden, "akut": "false", "videre_forloeb": "screening", "handling": "udfoer"}
    assert client.post(f"/opgaver/{task_id}", data=data).status_code == 422  # no begrundelse
    done = client.post(f"/opgaver/{task_id}", data={**data, "begrundelse": "Ikke akut."})
    assert done.status_code == 302 and done.headers["Location"] == "/indbakke"


def test_an_intake_form_sent_twice_registers_one_underretning(api, app) -> None:  # noqa: ANN001
    client = _log_in(app)
    hidden = _form(client, "/underretninger/ny", "/underretninger/ny")
    data = {**hidden, **{k: v for k, v in UNDERRETNING.items() if k != "overgreb"}}
    first = client.post("/underretninger/ny", data=data)
    assert first.status_code == 302 and first.headers["Location"].startswith("/sager/")
    again = client.post("/underretninger/ny", data=data)
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    case_id = first.headers["Location"].rsplit("/", 1)[1]
    assert len(api.get(f"/api/cases/{case_id}").get_json()["underretninger"]) == 1
    assert any("(ny sag)" in m for m in _messages(client, first.headers["Location"]))


def test_a_claim_sent_twice_opens_the_task_both_times(api, app) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    task_id = open_task(api, case_id, "vurdering_24t")["id"]
    client = _log_in(app)
    hidden = _form(client, "/indbakke", f"/opgaver/{task_id}/tag")
    data = {**hidden, "tilbage": "/indbakke"}
    first = client.post(f"/opgaver/{task_id}/tag", data=data)
    assert first.status_code == 302 and first.headers["Location"] == f"/opgaver/{task_id}"
    complete(api, case_id, "vurdering_24t", form("vurdering_24t"))
    again = client.post(f"/opgaver/{task_id}/tag", data=data)  # the resend arrives after the work was done
    assert again.status_code == 302 and again.headers["Location"] == f"/opgaver/{task_id}"
    assert _journal(api, case_id, "opgave_taget") == 1


def test_a_committee_meeting_form_sent_twice_decides_once(api, app) -> None:  # noqa: ANN001
    case_id = receive(api)["case_id"]
    walk_to_indstilling(api, case_id)
    complete(api, case_id, "indstilling", indstilling(aarlig_udgift=300000))
    meeting = api.post("/api/udvalgsmoeder", "teamleder1", json={"udvalg": "visitationsudvalg",
                                                                   "moededato": "2026-06-03"}).get_json()
    client = _log_in(app, "teamleder1")
    url = f"/udvalg/moeder/{meeting['id']}"
    data = {**_form(client, url, url), f"udfald-{case_id}": "bevilget", f"begrundelse-{case_id}": "Nødvendig."}
    first = client.post(url, data=data)
    assert first.status_code == 302 and first.headers["Location"] == "/udvalg"
    again = client.post(url, data=data)
    assert again.status_code == 302 and again.headers["Location"] == "/udvalg"
    assert _journal(api, case_id, "udvalgsbeslutning") == 1
