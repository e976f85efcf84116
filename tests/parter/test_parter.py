"""Parties on the case (BL § 3): registered at intake or later, CPR masked and journalled when shown; the child a
party from 10 by its CPR; letters one per recipient with name and address, the child-friendly version for 10–14;
the visitation's consent check reads the young person's own consent from the parties."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from service.demo_payloads import form
from tests.support import complete, open_bpmn_ids, receive
from tests.visitation.helpers import indstilling, task_for, walk_to_indstilling

MOR = {"rolle": "mor", "navn": "Karen Holm", "cpr": "120385-1234", "adresse": "Skolevej 3, 4200 Slagelse",
       "telefon": "20 30 40 50"}
FAR = {"rolle": "far", "navn": "Jens Holm", "cpr": "030482-4321", "adresse": "Havnegade 9, 4220 Korsør"}


def _journal(api, case_id: str) -> list[dict]:  # noqa: ANN001
    return api.get(f"/api/cases/{case_id}", "teamleder1").get_json()["journal"]


def test_parties_from_the_intake_receive_one_letter_each_and_the_child_its_own(api, app, caplog) -> None:  # noqa: ANN001
    caplog.set_level(logging.DEBUG)
    # Born 15 March 2014: 11 years old on the tests' 2 March 2026, a party with the child-friendly letter.
    cid = receive(api, cpr="150314-4326", barnets_navn="Frida Holm", parter=[MOR, FAR])["case_id"]
    url = f"/api/cases/{cid}/parter"

    read = api.get(url).get_json()
    assert read["barn"] == {"navn": "Frida Holm", "alder": 11, "er_part": True, "samtykke": None}
    assert read["foraeldremyndighed"] == "faelles"
    mor, far = read["parter"]
    assert (mor["navn"], mor["cpr_maskeret"], mor["foraeldremyndighed"]) == ("Karen Holm", "120385-xxxx", True)
    assert "1234" not in str(read)

    shown = api.post(f"{url}/{mor['id']}/cpr")
    assert shown.status_code == 200 and shown.get_json() == {"cpr": "120385-1234"}
    journal = _journal(api, cid)
    assert [e["tekst"] for e in journal if e["handling"] == "cpr_vist"] == [
        "CPR-nummeret er vist: Karen Holm, mor"]
    assert [e["tekst"] for e in journal if e["handling"] == "part_registreret"] == [
        "Part registreret: Karen Holm, mor", "Part registreret: Jens Holm, far"]
    assert "Sagens parter er læst" in [e["tekst"] for e in journal]
    # The mother may ask who has seen the case she is a party to (domain.md § 7), by her own CPR number.
    indsigt = api.post("/api/indsigt/cpr", "teamleder1", json={"cpr": "120385-1234"}).get_json()
    assert [c["sagsnummer"] for c in indsigt["sager"]] == [api.get(f"/api/cases/{cid}").get_json()["sagsnummer"]]
    assert ("cpr_vist", "Rikke Rådgiver (raadgiver1)") in [(a["handling"], a["bruger"]) for a in indsigt["adgange"]]

    # Father loses custody: he stays on the case as the other parent and is no longer sent the letters.
    changed = api.call("PATCH", f"{url}/{far['id']}", "raadgiver1", json={"foraeldremyndighed": False})
    assert changed.status_code == 200 and changed.get_json()["foraeldremyndighed"] is False
    assert api.get(url).get_json()["foraeldremyndighed"] == "mor"

    for step in ("vurdering_24t", "faglig_vurdering"):
        complete(api, cid, step)
    complete(api, cid, "bfu", form("bfu", indstilling="afslag"))
    complete(api, cid, "partshoering")
    every = api.get(f"/api/cases/{cid}/breve").get_json()
    # The decision to investigate went to the same parties, before the BFU; there is no child-friendly version of it.
    assert sorted((b["modtager_navn"], b["boernevenlig"]) for b in every if b["type"] == "bfu_beslutning") == [
        ("Frida Holm", False), ("Karen Holm", False)]
    letters = [b for b in every if b["type"] == "partshoering"]
    assert [(b["modtager_navn"], b["modtager_adresse"], b["boernevenlig"]) for b in letters] == [
        ("Karen Holm", "Skolevej 3, 4200 Slagelse", False), ("Frida Holm", "Skolevej 3, 4200 Slagelse", True)]
    from service.letters.pdf import visible_text
    parent, child = (visible_text(api.get(b["html_url"]).get_data(as_text=True)) for b in letters)
    assert "Karen Holm Skolevej 3, 4200 Slagelse" in parent and "forvaltningslovens § 19" in parent
    assert "Kære Frida Holm" in child and "Du er over 10 år" in child
    assert "120385" not in parent + child and "150314" not in parent + child
    assert [e["tekst"] for e in _journal(api, cid) if e["handling"] == "brev_dannet"] == [
        "Brev dannet: Afgørelse om børnefaglig undersøgelse til Karen Holm",
        "Brev dannet: Afgørelse om børnefaglig undersøgelse til Frida Holm",
        "Brev dannet: Partshøring – Frida Holm til Karen Holm",
        "Brev dannet: Partshøring – Frida Holm til Frida Holm (børnevenlig udgave)"]
    assert "120385" not in caplog.text and "Karen Holm" not in caplog.text

    with app.extensions["sagsflow"]["engine"].connect() as conn, pytest.raises(Exception, match="slettes"):
        conn.execute(text("DELETE FROM parter"))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_parties_are_checked_and_kept_to_the_case_team(api) -> None:  # noqa: ANN001
    cid = receive(api)["case_id"]  # Alma, 6 years old: not yet a party herself
    url = f"/api/cases/{cid}/parter"
    assert api.get(url).get_json()["barn"]["er_part"] is False

    bad = api.post(url, json={**MOR, "cpr": "010120-4321"})  # the child's own number
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert "barnets eget" in str(bad.get_json())
    assert api.post(url, json={**MOR, "adresse": "  "}).status_code == 422
    assert api.post(url, json={**MOR, "rolle": "moster"}).status_code == 422
    assert api.post(url, "raadgiver_syd", json=MOR).status_code == 404
    added = api.post(url, json={**MOR, "cpr": None}).get_json()
    assert added["cpr_maskeret"] is None
    assert api.post(f"{url}/{added['id']}/cpr").status_code == 404
    assert api.post(f"{url}/{added['id']}/cpr", "raadgiver_syd").status_code == 404

    ended = api.call("PATCH", f"{url}/{added['id']}", "raadgiver1", json={"ophoert": True})
    assert ended.status_code == 200 and ended.get_json()["ophoert"] is not None
    listed = api.get(url).get_json()
    assert (listed["parter"], [p["id"] for p in listed["ophoerte"]]) == ([], [added["id"]])
    assert api.post(f"{url}/samtykke", json={"samtykke": "givet", "dato": "2026-03-01"}).status_code == 422

    # No custody holder in force: the decision letter is made once, without a named recipient, as before parties.
    for step in ("vurdering_24t", "faglig_vurdering", "bfu", "barnets_plan", "indstilling"):
        complete(api, cid, step)
    complete(api, cid, "afgoerelse", user="teamleder1")
    # (on the frozen clock both letters are made at the same second: their order in the list is not the point)
    letter, investigation = sorted(api.get(f"/api/cases/{cid}/breve").get_json(), key=lambda b: b["type"])
    assert (investigation["type"], letter["type"]) == ("bfu_beslutning", "afgoerelse")
    assert investigation["modtager_navn"] is None and letter["modtager_navn"] is None
    assert letter["boernevenlig"] is False


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_visitation_reads_the_young_persons_consent_from_the_parties(api) -> None:  # noqa: ANN001
    cid = receive(api, cpr="010110-4321")["case_id"]  # 16 years old on 2 March 2026
    walk_to_indstilling(api, cid)
    placement = {"foranstaltningstype": "anbringelse", "samtykke": "givet"}
    complete(api, cid, "indstilling", indstilling(**placement))
    assert "fra 15 år skal den unge også samtykke" in task_for(api, cid, "indstilling", "raadgiver1")["besked"]

    given = api.post(f"/api/cases/{cid}/parter/samtykke", json={"samtykke": "givet", "dato": "2026-03-01"})
    assert given.status_code == 201, given.get_json()
    assert api.get(f"/api/cases/{cid}/parter").get_json()["barn"]["samtykke"]["samtykke"] == "givet"
    complete(api, cid, "indstilling", indstilling(**placement))  # the form says nothing about it
    assert "indstilling" not in open_bpmn_ids(api, cid)
    assert any(e["handling"] == "samtykke_ung" for e in _journal(api, cid))
