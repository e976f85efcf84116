"""Money on a measure, from the contract made at iværksættelse to the yearly review against the budget."""

from __future__ import annotations

import io
import re

from flask import Flask
from flask.testing import FlaskClient

from tests.support import move_to, receive, walk_to_running_measure

# The demo contract: Familiebehandling at 650,00 kr. an hour, 2 hours a week, from 15 May 2026 for 6 months
# (184 days): 184/7 weeks × 1.300 kr.
WHOLE_CONTRACT = round(184 * 130000 / 7)


def _log_in(app: Flask, username: str) -> tuple[FlaskClient, str]:
    client = app.test_client()
    assert client.post("/log-ind", data={"username": username, "password": "demo"}).status_code == 302
    page = client.get("/mine-indstillinger").get_data(as_text=True)
    return client, re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _running_case(api) -> tuple[str, dict]:  # noqa: ANN001
    cid = receive(api)["case_id"]
    walk_to_running_measure(api, cid)
    figures = api.get(f"/api/cases/{cid}/oekonomi").get_json()
    return cid, figures


def _csv(*lines: str) -> dict:
    text = "\n".join(["Betalings-id;Sagsnummer;Kontrakt;Betalingsdato;Beløb;Tekst", *lines]) + "\n"
    return {"fil": (io.BytesIO(text.encode("utf-8")), "betalinger.csv")}


def _import(api, *lines: str):  # noqa: ANN001, ANN202
    return api.post("/api/oekonomi/betalinger/import", "admin1", data=_csv(*lines),
                    content_type="multipart/form-data")


def test_expected_cost_from_the_contract_and_a_manual_payment(api, frozen_clock):
    cid, figures = _running_case(api)
    [measure] = figures["indsatser"]
    assert (measure["antal_enheder"], measure["enheder_pr"], measure["slutdato"]) == ("2.00", "uge", "2026-11-15")
    assert measure["forventet_oere"] == WHOLE_CONTRACT and measure["forventet_kr"] == "34.171,43 kr."
    assert (measure["forventet_til_dato_oere"], measure["betalt_oere"]) == (0, 0)  # it has not started yet

    move_to(frozen_clock, "2026-05-28")  # two weeks in: 2 × 1.300 kr. expected so far
    paid = api.post(f"/api/cases/{cid}/betalinger", json={
        "kontrakt_id": measure["kontrakt_id"], "betalingsdato": "2026-05-28", "beloeb_oere": 130000,
        "tekst": "Faktura maj"})
    assert paid.status_code == 201, paid.get_json()
    assert paid.get_json()["beloeb_kr"] == "1.300,00 kr." and paid.get_json()["kilde"] == "manuel"
    [measure] = api.get(f"/api/cases/{cid}/oekonomi", "teamleder1").get_json()["indsatser"]
    assert (measure["forventet_til_dato_oere"], measure["betalt_oere"], measure["afvigelse_oere"]) == (
        260000, 130000, -130000)
    journal = api.get(f"/api/cases/{cid}", "teamleder1").get_json()["journal"]
    assert [e["tekst"] for e in journal if e["handling"] == "betaling_registreret"] == [
        "Betaling registreret: 1.300,00 kr. for Familiebehandling (28.05.2026)"]

    zero = api.post(f"/api/cases/{cid}/betalinger", json={
        "kontrakt_id": measure["kontrakt_id"], "betalingsdato": "2026-05-28", "beloeb_oere": 0})
    assert zero.status_code == 422
    assert zero.get_json()["errors"] == [{"field": "beloeb_oere", "message": "Beløbet kan ikke være 0 kr."}]
    # Another team's caseworker neither sees nor pays; a head of department reads but does not pay.
    assert api.get(f"/api/cases/{cid}/oekonomi", "raadgiver_syd").status_code == 404
    assert api.post(f"/api/cases/{cid}/betalinger", "raadgiver_syd", json={
        "kontrakt_id": measure["kontrakt_id"], "betalingsdato": "2026-05-28", "beloeb_oere": 100}).status_code == 404
    assert api.get(f"/api/cases/{cid}/oekonomi", "afdelingsleder1").status_code == 200
    assert api.post(f"/api/cases/{cid}/betalinger", "afdelingsleder1", json={
        "kontrakt_id": measure["kontrakt_id"], "betalingsdato": "2026-05-28", "beloeb_oere": 100}).status_code == 403
    assert api.get(f"/api/cases/{cid}/oekonomi").get_json()["betalt_oere"] == 130000

    # The case page shows the same figures and records a payment in Danish kroner.
    client, token = _log_in(api.app, "raadgiver1")
    page = client.get(f"/sager/{cid}").get_data(as_text=True)
    assert 'id="oekonomi-titel"' in page and "34.171,43 kr." in page and "1.300,00 kr." in page
    sent = {"csrf_token": token, "kontrakt_id": measure["kontrakt_id"], "betalingsdato": "2026-05-29",
            "beloeb": "1.3OO,00"}
    refused = client.post(f"/sager/{cid}/betalinger", data=sent)
    assert refused.status_code == 422
    assert "«1.3OO,00» er ikke et beløb i kroner (skriv fx 1.234,50)." in refused.get_data(as_text=True)
    assert client.post(f"/sager/{cid}/betalinger", data={**sent, "beloeb": "650,50"}).status_code == 302
    assert "Betalingen på 650,50 kr. er registreret." in client.get(f"/sager/{cid}").get_data(as_text=True)
    assert api.get(f"/api/cases/{cid}/oekonomi").get_json()["betalt_oere"] == 130000 + 65050

    units = f"/api/cases/{cid}/kontrakter/{measure['kontrakt_id']}/enheder"  # the caseworker corrects the hours
    assert api.put(units, json={"antal_enheder": "0", "enheder_pr": "uge"}).status_code == 422
    corrected = api.put(units, json={"antal_enheder": "3", "enheder_pr": "uge"}).get_json()
    assert corrected["forventet_oere"] == round(184 * 195000 / 7)


def test_the_finance_systems_file_is_imported_whole_or_not_at_all_and_once(api):
    cid, figures = _running_case(api)
    kontrakt = figures["indsatser"][0]["kontrakt_id"]
    number = api.get(f"/api/cases/{cid}").get_json()["sagsnummer"]
    good = (f"F-1001;{number};{kontrakt};31-05-2026;2.600,00;Faktura maj",
            f"F-1002;{number};{kontrakt};30.06.2026;5.200,00;Faktura juni")
    refused = _import(api, *good, f"F-1003;{number};{kontrakt};31-07-2026;5.2OO,00;Faktura juli",
                      f"F-1004;{number};ukendt-kontrakt;31-07-2026;100,00;")
    assert refused.status_code == 422
    body = refused.get_json()
    assert body["detail"].startswith("Betalingerne er ikke indlæst: 2 fejl i filen. Intet er gemt")
    assert body["errors"] == [
        {"field": "linje 4, kolonne «Beløb»",
         "message": "«5.2OO,00» er ikke et beløb i kroner (skriv fx 1.234,50)."},
        {"field": "linje 5, kolonne «Kontrakt»",
         "message": f"Sag {number} har ingen indsats (individuel kontrakt) «ukendt-kontrakt»."}]
    assert api.get(f"/api/cases/{cid}/oekonomi").get_json()["betalinger"] == []  # the good lines neither

    first = _import(api, *good)
    assert first.status_code == 201, first.get_json()
    assert {k: first.get_json()[k] for k in ("linjer", "nye", "kendte")} == {"linjer": 2, "nye": 2, "kendte": 0}
    again = _import(api, *good, f"F-1005;{number};{kontrakt};31-07-2026;-100,00;Kreditnota")
    assert {k: again.get_json()[k] for k in ("linjer", "nye", "kendte")} == {"linjer": 3, "nye": 1, "kendte": 2}
    figures = api.get(f"/api/cases/{cid}/oekonomi").get_json()
    assert figures["betalt_oere"] == 260000 + 520000 - 10000
    assert sorted(p["ekstern_id"] for p in figures["betalinger"]) == ["F-1001", "F-1002", "F-1005"]

    changed = _import(api, f"F-1001;{number};{kontrakt};31-05-2026;2.700,00;Faktura maj")
    assert changed.status_code == 422
    assert changed.get_json()["errors"][0]["field"] == "linje 2, kolonne «Betalings-id»"
    assert "er indlæst før med andre oplysninger (2.600,00 kr. den 31-05-2026)" in \
        changed.get_json()["errors"][0]["message"]
    assert api.post("/api/oekonomi/betalinger/import", "teamleder1", data=_csv(*good),
                    content_type="multipart/form-data").status_code == 403

    client, token = _log_in(api.app, "admin1")  # the administrator's page says the same per line
    page = client.post("/oekonomi/betalinger", data={"csrf_token": token, **_csv(
        f"F-1006;{number};{kontrakt};32-07-2026;100,00;")}, content_type="multipart/form-data")
    assert page.status_code == 422
    assert "Linje 2, kolonne «Betalingsdato»: «32-07-2026» er ikke en dato" in page.get_data(as_text=True)


def test_the_yearly_review_sums_budget_expected_and_paid_per_team_and_measure(api):
    cid, figures = _running_case(api)
    kontrakt = figures["indsatser"][0]["kontrakt_id"]
    family = figures["indsatser"][0]["indsats"]["id"]
    teams = {t["navn"]: t["id"] for t in api.get("/api/admin/teams", "admin1").get_json()}
    nord, syd = teams["Team Nord"], teams["Team Syd"]
    for day, amount in (("2026-06-30", 500000), ("2026-12-31", 1000000), ("2027-01-02", 999)):
        assert api.post(f"/api/cases/{cid}/betalinger", json={
            "kontrakt_id": kontrakt, "betalingsdato": day, "beloeb_oere": amount}).status_code == 201
    budget = {"aar": 2026, "team_id": nord, "indsats_id": family, "beloeb_oere": 3000000}
    assert api.put("/api/oekonomi/budgetter", "teamleder1", json=budget).status_code == 200
    assert api.put("/api/oekonomi/budgetter", "teamleder1", json={**budget, "team_id": syd}).status_code == 403
    assert api.put("/api/oekonomi/budgetter", "raadgiver1", json=budget).status_code == 403
    assert api.put("/api/oekonomi/budgetter", "admin1", json={**budget, "team_id": syd,
                                                               "beloeb_oere": 100000}).status_code == 200

    review = api.get("/api/ledelsesinformation/oekonomi?aar=2026", "teamleder1").get_json()
    assert [(r["team"], r["indsats"]) for r in review["linjer"]] == [("Team Nord", "Familiebehandling")]
    [row] = review["linjer"]
    assert (row["budget_oere"], row["forventet_oere"], row["betalt_oere"]) == (3000000, WHOLE_CONTRACT, 1500000)
    assert (row["afvigelse_oere"], row["forventet_afvigelse_oere"]) == (-1500000, WHOLE_CONTRACT - 3000000)
    assert row["kontrakter"] == 1

    everyone = api.get("/api/ledelsesinformation/oekonomi?aar=2026", "afdelingsleder1").get_json()
    assert [(r["team"], r["budget_oere"], r["betalt_oere"]) for r in everyone["linjer"]] == [
        ("Team Nord", 3000000, 1500000), ("Team Syd", 100000, 0)]
    assert (everyone["i_alt"]["budget_oere"], everyone["i_alt"]["betalt_oere"]) == (3100000, 1500000)
    next_year = api.get("/api/ledelsesinformation/oekonomi?aar=2027", "teamleder1").get_json()["linjer"]
    assert [(r["budget_oere"], r["forventet_oere"], r["betalt_oere"]) for r in next_year] == [(None, 0, 999)]

    assert api.get("/api/ledelsesinformation/oekonomi?aar=2026", "raadgiver1").status_code == 403
    assert api.get(f"/api/ledelsesinformation/oekonomi?aar=2026&team_id={syd}", "teamleder1").status_code == 403

    client, token = _log_in(api.app, "teamleder1")  # the page under Ledelsesinformation, and its budget form
    page = client.get("/ledelsesinformation/oekonomi?aar=2026").get_data(as_text=True)
    assert "Familiebehandling" in page and "30.000,00 kr." in page and "15.000,00 kr." in page
    changed = client.post("/ledelsesinformation/oekonomi/budget", data={
        "csrf_token": token, "aar": "2026", "indsats_id": str(family), "beloeb": "12.000,00"})
    assert changed.status_code == 302
    page = client.get("/ledelsesinformation/oekonomi?aar=2026").get_data(as_text=True)
    assert "Budgettet for 2026 er sat til 12.000,00 kr." in page and "over budget" in page
    assert _log_in(api.app, "raadgiver1")[0].get("/ledelsesinformation/oekonomi").status_code == 403
