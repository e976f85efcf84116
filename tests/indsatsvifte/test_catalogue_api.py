"""The indsatsvifte API: caseworkers read, process owners write; Danish validation; never deleted."""

from __future__ import annotations

import pytest

NEW_MEASURE = {
    "kode": "netvaerksmoeder", "navn": "Netværksmøder", "maalgruppe": "Familier med et netværk, der kan inddrages.",
    "formaal": "At netværket tager del i barnets hverdag.", "indhold": "Faciliterede netværksmøder.",
    "lovgrundlag": "BL § 32, stk. 1", "omfang": "3 møder", "hyppighed": "Hver 4. uge", "varighed": "3 måneder",
    "opfoelgning": "Efter sidste møde.", "revisionsinterval_maaneder": 12,
    "leverandoerkrav": "Uddannet netværksmødeleder.", "pris": "4000.00", "prisenhed": "forløb",
}


def _errors(response) -> dict[str, str]:  # noqa: ANN001
    return {e["field"]: e["message"] for e in response.get_json()["errors"]}


def test_caseworkers_read_the_demo_catalogue_with_the_template_fields(api):
    measures = api.get("/api/indsatsvifte").get_json()
    assert {m["kode"] for m in measures} >= {"familiebehandling", "kontaktperson", "aflastning"}
    family = next(m for m in measures if m["kode"] == "familiebehandling")
    for field in ("maalgruppe", "formaal", "indhold", "lovgrundlag", "omfang", "hyppighed", "varighed",
                  "opfoelgning", "revisionsinterval_maaneder", "leverandoerkrav", "pris", "prisenhed"):
        assert family[field], field
    assert family["pris"] == "650.00" and family["prisenhed"] == "time"
    assert api.get(f"/api/indsatsvifte/{family['id']}", "teamleder1").get_json()["navn"] == "Familiebehandling"
    providers = api.get("/api/leverandoerer").get_json()
    assert "familiehuset" in {p["kode"] for p in providers}
    contracts = api.get(f"/api/standardkontrakter?indsats_id={family['id']}").get_json()
    assert len(contracts) == 2 and all(c["indsats_id"] == family["id"] for c in contracts)


@pytest.mark.parametrize("user", ["raadgiver1", "teamleder1"])
def test_caseworkers_and_team_leaders_cannot_write(api, user):
    assert api.post("/api/indsatsvifte", user, json=NEW_MEASURE).status_code == 403
    assert api.post("/api/indsatsvifte", user, json={}).status_code == 403  # no field hints before the role check
    family = api.get("/api/indsatsvifte").get_json()[0]
    response = api.call("PATCH", f"/api/indsatsvifte/{family['id']}", user, json={"aktiv": False})
    assert response.status_code == 403
    assert response.get_json()["detail"] == "Kun procesejere og administratorer kan ændre indsatsviften."
    assert api.post("/api/leverandoerer", user, json={"kode": "x1", "navn": "X", "type": "privat"}).status_code == 403
    assert api.get(f"/api/indsatsvifte/{family['id']}").get_json()["aktiv"] is True


def test_process_owner_creates_a_measure_and_the_change_is_journalled(api, uow):
    from sqlalchemy import select

    from service.journal.models import JournalEntry
    response = api.post("/api/indsatsvifte", "procesejer1", json=NEW_MEASURE)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["aktiv"] is True and created["pris"] == "4000.00" and created["version"] == 1
    assert "netvaerksmoeder" in {m["kode"] for m in api.get("/api/indsatsvifte").get_json()}
    entry = uow.session.scalar(select(JournalEntry).where(JournalEntry.action == "indsats_oprettet"))
    assert entry.case_id is None and entry.data["id"] == created["id"] and "Netværksmøder" in entry.title


def test_validation_errors_are_422_with_danish_field_messages(api):
    response = api.post("/api/indsatsvifte", "procesejer1",
                        json={**NEW_MEASURE, "maalgruppe": None, "kode": "Med Mellemrum", "pris": "-5",
                              "prisenhed": "år", "revisionsinterval_maaneder": 0})
    assert response.status_code == 422
    errors = _errors(response)
    assert errors["maalgruppe"] == "Feltet må ikke være tomt."
    assert errors["kode"].startswith("Skal være 2–40 tegn")
    assert errors["pris"] == "Prisen kan ikke være negativ."
    assert errors["prisenhed"].startswith("Skal være en af: time")
    assert errors["revisionsinterval_maaneder"] == "Skal være mellem 1 og 120 måneder."
    missing = api.post("/api/indsatsvifte", "procesejer1", json={"kode": "tom"})
    assert missing.status_code == 422 and _errors(missing)["formaal"] == "Feltet skal udfyldes."
    half_price = api.post("/api/indsatsvifte", "procesejer1", json={**NEW_MEASURE, "prisenhed": None})
    assert half_price.status_code == 422
    assert _errors(half_price) == {"prisenhed": "Angiv både pris og prisenhed, eller ingen af dem."}


def test_duplicates_are_409(api):
    assert api.post("/api/indsatsvifte", "procesejer1", json=NEW_MEASURE).status_code == 201
    same_name = api.post("/api/indsatsvifte", "procesejer1", json={**NEW_MEASURE, "kode": "andet"})
    assert same_name.status_code == 409
    assert _errors(same_name) == {"navn": "Der findes allerede en indsats med navn «Netværksmøder»."}
    same_code = api.post("/api/indsatsvifte", "procesejer1", json={**NEW_MEASURE, "navn": "Andet navn"})
    assert same_code.status_code == 409 and "kode" in _errors(same_code)
    provider = {"kode": "familiehuset", "navn": "Familiehuset", "type": "kommunal"}
    assert api.post("/api/leverandoerer", "procesejer1", json=provider).status_code == 409


def test_measures_are_deactivated_never_deleted(api):
    family = next(m for m in api.get("/api/indsatsvifte").get_json() if m["kode"] == "familiebehandling")
    path = f"/api/indsatsvifte/{family['id']}"
    assert api.call("DELETE", path, "procesejer1").status_code == 405
    response = api.call("PATCH", path, "procesejer1", json={"aktiv": False, "pris": "675.00"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["pris"] == "675.00" and response.get_json()["version"] == 2
    assert "familiebehandling" not in {m["kode"] for m in api.get("/api/indsatsvifte").get_json()}
    assert "familiebehandling" in {m["kode"] for m in api.get("/api/indsatsvifte?alle=true").get_json()}
    assert api.get(path).get_json()["aktiv"] is False


def test_standard_contracts_tie_a_provider_to_a_measure(api):
    provider = api.post("/api/leverandoerer", "procesejer1", json={
        "kode": "netvaerk_aps", "navn": "Netværk ApS", "type": "privat", "cvr": "12345678",
        "email": "kontakt@netvaerk.example"}).get_json()
    measure = api.post("/api/indsatsvifte", "procesejer1", json=NEW_MEASURE).get_json()
    contract = {"indsats_id": measure["id"], "leverandoer_id": provider["id"], "gyldig_fra": "2026-01-01",
                "gyldig_til": "2026-12-31", "pris": "3800.00", "prisenhed": "forløb",
                "betalingsbetingelser": "30 dage netto.", "opfoelgning": "Halvårligt driftsmøde."}
    created = api.post("/api/standardkontrakter", "procesejer1", json=contract)
    assert created.status_code == 201, created.get_json()
    assert api.post("/api/standardkontrakter", "procesejer1", json=contract).status_code == 409
    unknown = api.post("/api/standardkontrakter", "procesejer1", json={**contract, "indsats_id": 9999})
    assert unknown.status_code == 422
    assert _errors(unknown) == {"indsats_id": "Indsatsen findes ikke i indsatsviften."}
    backwards = api.call("PATCH", f"/api/standardkontrakter/{created.get_json()['id']}", "procesejer1",
                         json={"gyldig_til": "2025-12-31"})
    assert backwards.status_code == 422
    assert _errors(backwards) == {"gyldig_til": "Slutdatoen kan ikke ligge før startdatoen."}
    bad_provider = api.post("/api/leverandoerer", "procesejer1", json={
        "kode": "x2", "navn": "X", "type": "firma", "cvr": "123", "email": "ikke-en-mail"})
    assert bad_provider.status_code == 422
    assert _errors(bad_provider) == {"type": "Skal være en af: kommunal, regional, privat, frivillig.",
                                     "cvr": "CVR-nummeret skal være 8 cifre.", "email": "Ugyldig e-mailadresse."}


def test_an_administrator_writes_too(api):  # admin1 is a demo user
    response = api.post("/api/leverandoerer", "admin1", json={"kode": "frivillig_forening", "navn": "Lektiecafeen",
                                                             "type": "frivillig"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["aktiv"] is True
