"""A complaint upheld during a running measure: a new written decision, then the measure is adjusted.

Retssikkerhedsloven § 66 and BL § 168: medhold means the municipality changes its decision, so a new afgørelse
with begrundelse and klagevejledning is made (through the visitation, which writes the decision letter), and the
plan and measure are adjusted; the follow-up loop keeps running meanwhile. Fastholdt goes to Ankestyrelsen.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from service.deadlines.firing import fire_due
from service.demo_payloads import form
from tests.support import complete, move_to, receive, walk_to_running_measure
from tests.support import tasks as open_tasks
from tests.visitation.helpers import indstilling, task_for


def _upheld() -> dict[str, Any]:
    return form("klage_genvurdering", resultat="medhold", videresendt_ankestyrelsen=False,
                begrundelse="Klageren har ret: indsatsen skal udvides.")


def _new_grant() -> dict[str, Any]:
    return form("afgoerelse", foranstaltning="Familiebehandling og kontaktperson",
                begrundelse="Klagen giver medhold: der bevilges også en kontaktperson.")


def _ended() -> dict[str, Any]:
    return form("afgoerelse", udfald="afslag", foranstaltning=None, formaal=None, forventet_varighed_maaneder=None,
                begrundelse="Klagen giver medhold: indsatsen ophører.")


def _complain(api, frozen_clock, cid: str, received: str = "2026-03-03") -> None:  # noqa: ANN001
    move_to(frozen_clock, received)  # the complaint comes in that day
    response = api.post(f"/api/cases/{cid}/klager", json={"modtaget": received, "beskrivelse": "Uenig i indsatsen."})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["genvurdering_oprettet"] is True


def _open(api, cid: str) -> Counter[str]:  # noqa: ANN001
    tasks = open_tasks(api, "teamleder1")
    return Counter(t["bpmn_id"] for t in tasks if t["case_id"] == cid)


def _journal_texts(api, cid: str) -> list[str]:  # noqa: ANN001
    return [e["tekst"] for e in api.get(f"/api/cases/{cid}", "teamleder1").get_json()["journal"]]


def _letters(api, cid: str) -> list[dict[str, Any]]:  # noqa: ANN001
    """The case's letters from the decision on support on (the decision to investigate came before the BFU)."""
    response = api.get(f"/api/cases/{cid}/breve")
    assert response.status_code == 200, response.get_json()
    return [letter for letter in response.get_json() if letter["type"] != "bfu_beslutning"]


def _close(api, cid: str) -> dict[str, Any]:  # noqa: ANN001
    complete(api, cid, "opfoelgning", form("opfoelgning", udfald="afslut"))
    for step in ("registrering", "kvittering", "tilbagemelding_underretter", "afslutning"):
        complete(api, cid, step)
    return api.get(f"/api/cases/{cid}", "teamleder1").get_json()


def test_upheld_complaint_during_a_measure_gives_a_new_decision_letter_and_an_adjustment(api, frozen_clock):
    cid = receive(api)["case_id"]
    walk_to_running_measure(api, cid)
    before = _open(api, cid)
    assert before["opfoelgning"] == 1 and len(_letters(api, cid)) == 1

    _complain(api, frozen_clock, cid)
    complete(api, cid, "klage_genvurdering", _upheld(), user="teamleder1")
    assert _open(api, cid) == before + Counter(indstilling=1)  # the new decision goes through the visitation
    assert "Klage over afgørelse er afsluttet: Klageren får medhold" in _journal_texts(api, cid)

    complete(api, cid, "opfoelgning")  # the follow-up loop does not wait for the new decision
    assert _open(api, cid)["opfoelgning"] == 1

    complete(api, cid, "indstilling", indstilling(foranstaltning="Familiebehandling og kontaktperson"))
    assert task_for(api, cid, "afgoerelse")["delproces"] == "Visitation og afgørelse"
    complete(api, cid, "afgoerelse", _new_grant(), user="teamleder1")
    letters = _letters(api, cid)
    assert [letter["type"] for letter in letters] == ["afgoerelse", "afgoerelse"]
    assert "Afgørelse om Familiebehandling og kontaktperson" in {letter["titel"] for letter in letters}
    html = api.get(next(x for x in letters if x["titel"].endswith("og kontaktperson"))["html_url"])
    text = html.get_data(as_text=True)
    assert "Klagevejledning" in text and "der bevilges også en kontaktperson" in text

    assert _open(api, cid) == before + Counter(justering_efter_klage=1)
    complete(api, cid, "justering_efter_klage", form("justering", justeringer="Kontaktperson to timer om ugen."))
    assert _open(api, cid) == before  # back to the running measure

    complete(api, cid, "opfoelgning")  # and it keeps going round
    assert _open(api, cid) == before
    case = _close(api, cid)
    assert case["status"] == "afsluttet" and case["aktiviteter"] == [], case["aktiviteter"]


def test_an_unfavourable_new_decision_after_medhold_is_heard_first_inside_the_measure(api, app, frozen_clock):
    cid = receive(api)["case_id"]
    walk_to_running_measure(api, cid)
    before = _open(api, cid)
    _complain(api, frozen_clock, cid)
    complete(api, cid, "klage_genvurdering", _upheld(), user="teamleder1")
    complete(api, cid, "indstilling", indstilling(udfald="afslag"))  # the measure is to end: the child is a party

    hearing = task_for(api, cid, "partshoering_efter_klage", user="raadgiver1")
    assert "Partshøring (forvaltningsloven § 19)" in hearing["besked"]
    assert _open(api, cid) == before + Counter(partshoering_efter_klage=1)
    move_to(frozen_clock, "2026-06-01")
    complete(api, cid, "partshoering_efter_klage", form("partshoering", svarfrist="2026-06-15"))
    assert [letter["type"] for letter in _letters(api, cid)] == ["afgoerelse", "partshoering"]
    assert "partshoering_svar" in {d["frist"] for d in api.get(f"/api/cases/{cid}/frister").get_json()}
    frozen_clock.set(datetime(2026, 6, 16, 12, 0, tzinfo=UTC))  # the 14-day svarfrist has run out
    fire_due(app.extensions["sagsflow"]["session_factory"])
    assert "partshoering_svar" not in {d["frist"] for d in api.get(f"/api/cases/{cid}/frister").get_json()}
    assert _open(api, cid) == before + Counter(partshoering_svar_efter_klage=1)  # still waiting for the answer
    complete(api, cid, "partshoering_svar_efter_klage", form("partshoering_svar"))

    assert _open(api, cid) == before + Counter(indstilling=1)  # heard: the visitation runs again
    complete(api, cid, "indstilling", indstilling(udfald="afslag"))
    move_to(frozen_clock, "2026-06-20")
    complete(api, cid, "afgoerelse", _ended(), user="teamleder1")
    assert [letter["type"] for letter in _letters(api, cid)] == ["afgoerelse", "partshoering", "afgoerelse"]
    complete(api, cid, "justering_efter_klage", form("justering", justeringer="Indsatsen afvikles."))
    assert _open(api, cid) == before
    _close(api, cid)
    for escalation in [k for k in _open(api, cid) if k.startswith("eskalering_")]:  # the clock moved past them
        complete(api, cid, escalation, user="teamleder1")
    case = api.get(f"/api/cases/{cid}", "teamleder1").get_json()
    assert case["status"] == "afsluttet" and case["aktiviteter"] == [], case["aktiviteter"]


def test_a_complaint_not_upheld_during_a_measure_still_goes_to_ankestyrelsen_without_a_new_decision(api,
                                                                                                  frozen_clock):
    cid = receive(api)["case_id"]
    walk_to_running_measure(api, cid)
    before = _open(api, cid)
    _complain(api, frozen_clock, cid)
    complete(api, cid, "klage_genvurdering", user="teamleder1")  # fastholdt
    assert _open(api, cid) == before + Counter(videresend_ankestyrelsen=1)
    complete(api, cid, "videresend_ankestyrelsen", user="teamleder1")
    assert _open(api, cid) == before + Counter(ankestyrelsens_afgoerelse=1)  # waits for Ankestyrelsen
    complete(api, cid, "ankestyrelsens_afgoerelse", user="teamleder1")  # stadfæstet
    assert _open(api, cid) == before
    assert "Klage over afgørelse er afsluttet: Ankestyrelsen har afgjort klagen" in _journal_texts(api, cid)
    assert len(_letters(api, cid)) == 1  # no new decision
    case = _close(api, cid)
    assert case["status"] == "afsluttet" and case["aktiviteter"] == [], case["aktiviteter"]
