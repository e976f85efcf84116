"""A process owner's draft of a model is kept on the server, per person and file, and never deployed by itself."""

from __future__ import annotations

from service.config import ROOT

CASE_MODEL = (ROOT / "workflows" / "sagsbehandling.bpmn").read_text()
URL = "/api/modelkladder/sagsbehandling.bpmn"


def test_save_read_replace_and_discard_a_draft(api, frozen_clock):
    assert api.get(URL, "procesejer1").status_code == 404
    saved = api.put(URL, "procesejer1", json={"xml": CASE_MODEL, "udgangspunkt": "version 1"})
    assert saved.status_code == 204
    draft = api.get(URL, "procesejer1").get_json()
    assert draft["xml"] == CASE_MODEL and draft["udgangspunkt"] == "version 1"
    assert draft["gemt"].startswith("2026-03-02T09:00")
    frozen_clock.advance(minutes=5)
    changed = CASE_MODEL.replace('name="Afslutning af sagen"', 'name="Afslut sagen"')
    assert api.put(URL, "procesejer1", json={"xml": changed, "udgangspunkt": "version 1"}).status_code == 204
    assert api.get(URL, "procesejer1").get_json()["xml"] == changed  # replaced, not a second draft
    versions = api.get("/api/process-versions").get_json()
    assert [v["version"] for v in versions if v["process_id"] == "sagsbehandling"] == [1]  # nothing deployed
    assert api.call("DELETE", URL, "procesejer1").status_code == 204
    assert api.get(URL, "procesejer1").status_code == 404
    assert api.call("DELETE", URL, "procesejer1").status_code == 204  # discarding twice is no error


def test_a_draft_is_the_persons_own_and_only_process_owners_have_them(api):  # admin1 is a demo user
    api.put(URL, "procesejer1", json={"xml": CASE_MODEL})
    assert api.get(URL, "admin1").status_code == 404  # another process owner has none of her own
    assert api.get(URL, "raadgiver1").status_code == 403
    assert api.put(URL, "teamleder1", json={"xml": CASE_MODEL}).status_code == 403


def test_bad_drafts_are_422_with_the_field(api):
    broken = api.put(URL, "procesejer1", json={"xml": "<ikke færdig"})
    assert broken.status_code == 422 and broken.get_json()["errors"][0]["field"] == "xml"
    wrong_name = api.put("/api/modelkladder/model.txt", "procesejer1", json={"xml": CASE_MODEL})
    assert wrong_name.status_code == 422 and wrong_name.get_json()["errors"][0]["field"] == "filnavn"
    missing = api.put(URL, "procesejer1", json={})
    assert missing.status_code == 422 and "xml" in missing.get_data(as_text=True)
