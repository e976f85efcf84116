"""Ankestyrelsen's ruling on a forwarded complaint: recorded with its date and document; a hjemvisning sends the
decision back through the visitation, and so does a changed decision (to be put into effect); the other rulings end
the complaint."""

from __future__ import annotations

import re
from collections import Counter
from io import BytesIO

import pytest

from service.demo_payloads import form
from tests.dokumenter import files
from tests.support import complete, move_to, open_bpmn_ids, open_task, receive, tasks, walk_to_running_measure
from tests.visitation.helpers import indstilling, walk_to_indstilling


def _forwarded_refusal(api, frozen_clock, **receive_changes: str) -> str:  # noqa: ANN001
    """A refusal, complained about, kept at the re-assessment and forwarded to Ankestyrelsen."""
    cid = receive(api, **receive_changes)["case_id"]
    walk_to_indstilling(api, cid, refusal_investigated=True)
    complete(api, cid, "indstilling", indstilling(udfald="afslag"))
    move_to(frozen_clock, "2026-05-10")
    complete(api, cid, "afgoerelse", form("afgoerelse", udfald="afslag", foranstaltning=None, formaal=None,
                                          forventet_varighed_maaneder=None), user="teamleder1")
    move_to(frozen_clock, "2026-05-20")
    response = api.post(f"/api/cases/{cid}/klager", json={"modtaget": "2026-05-20", "beskrivelse": "Uenig."})
    assert response.status_code == 201
    complete(api, cid, "klage_genvurdering", user="teamleder1")  # fastholdt
    complete(api, cid, "videresend_ankestyrelsen", user="teamleder1")
    return cid


def _upload(api, cid: str, name: str) -> str:  # noqa: ANN001
    response = api.post(f"/api/cases/{cid}/dokumenter", data={"fil": (BytesIO(files.pdf("Ankestyrelsen")), name)},
                        content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _journal(api, cid: str) -> list[dict]:  # noqa: ANN001
    return api.get(f"/api/cases/{cid}", "teamleder1").get_json()["journal"]


def test_a_hjemvisning_is_recorded_with_its_document_and_reopens_the_decision(api, frozen_clock):
    cid = _forwarded_refusal(api, frozen_clock)
    assert open_bpmn_ids(api, cid) == {"ankestyrelsens_afgoerelse"}  # the case waits for Ankestyrelsen
    move_to(frozen_clock, "2026-08-14")
    document = _upload(api, cid, "Ankestyrelsens afgørelse.pdf")
    complete(api, cid, "ankestyrelsens_afgoerelse", form("ankestyrelsens_afgoerelse", udfald="hjemvist",
                                                         afgoerelsesdato="2026-08-12", dokument_id=document),
             user="teamleder1")
    assert open_bpmn_ids(api, cid) == {"indstilling"}  # a new decision through the visitation
    ruling = [e for e in _journal(api, cid) if e["handling"] == "ankestyrelsens_afgoerelse"]
    assert [(e["tekst"], e["data"]) for e in ruling] == [(
        "Ankestyrelsen har hjemvist sagen til fornyet behandling (12.08.2026), se «Ankestyrelsens afgørelse.pdf»",
        {"udfald": "hjemvist", "afgoerelsesdato": "2026-08-12", "dokument_id": document})]
    assert "Klage over afgørelse er afsluttet: Ankestyrelsen har hjemvist eller ændret afgørelsen" in [
        e["tekst"] for e in _journal(api, cid)]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_ruling_names_only_a_document_of_its_own_case_and_a_stadfaestelse_ends_the_complaint(api, app,
                                                                                                frozen_clock):
    cid = _forwarded_refusal(api, frozen_clock)
    other = receive(api, cpr="030315-1234", barnets_navn="Ida Holm")["case_id"]
    foreign = _upload(api, other, "En anden sags brev.pdf")
    task = open_task(api, cid, "ankestyrelsens_afgoerelse", "teamleder1")
    for wrong in (foreign, "00000000-0000-0000-0000-000000000000"):
        refused = api.post(f"/api/tasks/{task['id']}/complete", "teamleder1",
                           json={"data": form("ankestyrelsens_afgoerelse", dokument_id=wrong)})
        assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
        assert [(e["field"], e["message"]) for e in refused.get_json()["errors"]] == [
            ("dokument_id", "Dokumentet findes ikke på sagen. Vælg et af sagens dokumenter.")]
    assert open_bpmn_ids(api, cid) == {"ankestyrelsens_afgoerelse"}  # nothing moved

    own = _upload(api, cid, "Afgørelse fra Ankestyrelsen.pdf")
    client = app.test_client()
    assert client.post("/log-ind", data={"username": "teamleder1", "password": "demo"}).status_code == 302
    page = client.get(f"/opgaver/{task['id']}").get_data(as_text=True)
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>',
                         re.search(r'<select id="f-dokument_id".*?</select>', page, re.S).group(0))
    assert [value for value, _ in options] == ["", own]  # only this case's documents can be picked
    assert options[1][1].startswith("Afgørelse fra Ankestyrelsen.pdf")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    sent = client.post(f"/opgaver/{task['id']}", data={"csrf_token": csrf, "udfald": "stadfaestet",
                                                       "afgoerelsesdato": "2026-05-19", "dokument_id": own})
    assert sent.status_code == 302, sent.get_data(as_text=True)
    assert open_bpmn_ids(api, cid) == {"afslutning"}  # the refusal stands: the case may close
    texts = [e["tekst"] for e in _journal(api, cid)]
    assert "Ankestyrelsen har stadfæstet afgørelsen (19.05.2026), se «Afgørelse fra Ankestyrelsen.pdf»" in texts
    assert "Klage over afgørelse er afsluttet: Ankestyrelsen har afgjort klagen" in texts
    case_page = client.get(f"/sager/{cid}").get_data(as_text=True)
    assert '<span class="maerke">Ankestyrelsens afgørelse</span>' in case_page  # the timeline's label
    shown = dict(re.findall(r"<div><dt>([^<]*)</dt><dd>([^<]*)</dd></div>", case_page))
    assert shown["Afgørelsen som dokument"] == "Afgørelse fra Ankestyrelsen.pdf"  # its name, not its id


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_during_a_measure_a_hjemvisning_means_a_new_visitation_and_the_next_ruling_is_its_own(api, frozen_clock):
    cid = receive(api)["case_id"]
    walk_to_running_measure(api, cid)

    def forward(received: str) -> None:
        move_to(frozen_clock, received)
        response = api.post(f"/api/cases/{cid}/klager", json={"modtaget": received, "beskrivelse": "Uenig."})
        assert response.status_code == 201
        complete(api, cid, "klage_genvurdering", user="teamleder1")  # fastholdt
        complete(api, cid, "videresend_ankestyrelsen", user="teamleder1")

    def opened() -> Counter[str]:
        return Counter(t["bpmn_id"] for t in tasks(api, "teamleder1") if t["case_id"] == cid)

    forward("2026-03-03")
    complete(api, cid, "ankestyrelsens_afgoerelse", form("ankestyrelsens_afgoerelse", udfald="hjemvist"),
             user="teamleder1")
    assert opened()["indstilling"] == 1 and opened()["opfoelgning"] == 1  # a new decision; the measure goes on
    forward("2026-03-10")  # a second complaint, stadfæstet: the first one's hjemvisning does not carry over
    complete(api, cid, "ankestyrelsens_afgoerelse", user="teamleder1")
    assert opened()["indstilling"] == 1 and opened()["ankestyrelsens_afgoerelse"] == 0


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_changed_decision_is_put_into_effect_through_a_new_decision(api, frozen_clock):
    """«Ændret»: Ankestyrelsen's decision replaces the municipality's, which must write it (with its letter) and
    start what it grants: the visitation opens again, as for a hjemvisning."""
    cid = _forwarded_refusal(api, frozen_clock)
    move_to(frozen_clock, "2026-08-14")
    complete(api, cid, "ankestyrelsens_afgoerelse", form("ankestyrelsens_afgoerelse", udfald="aendret",
                                                         afgoerelsesdato="2026-08-12"), user="teamleder1")
    assert open_bpmn_ids(api, cid) == {"indstilling"}
    texts = [e["tekst"] for e in _journal(api, cid)]
    assert "Ankestyrelsen har ændret afgørelsen (12.08.2026)" in texts
    assert "Klage over afgørelse er afsluttet: Ankestyrelsen har hjemvist eller ændret afgørelsen" in texts
