"""Every KPI has one written definition, shown in Danish on a page and over the API."""

from __future__ import annotations

import pytest

from service.deadlines import catalogue

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
FIELDS = ("taeller", "naevner", "periode", "haendelser", "maal_tekst")


@SQLITE_ONLY
def test_every_kpi_the_page_counts_has_a_definition_on_the_api_and_the_page(api, app):
    report = api.get("/api/ledelsesinformation/frister?fra=2026-01-01&til=2026-03-31", "teamleder1").get_json()
    quality = api.get("/api/ledelsesinformation/kvalitet?fra=2026-01-01&til=2026-03-31", "teamleder1").get_json()
    response = api.get("/api/ledelsesinformation/definitioner", "raadgiver1")
    assert response.status_code == 200
    found = {d["id"]: d for d in response.get_json()}
    counted = {r["frist"] for r in report["frister"]} | {q["id"] for q in quality} | {"sagsstamme_pr_raadgiver"}
    assert set(found) == counted
    for definition in found.values():
        assert all(len(definition[f]) > 5 for f in FIELDS), definition
    bfu = found["bfu"]
    assert bfu["maal"] == 90 and bfu["maal_tekst"] == "Mindst 90 % overholdt" and "4 måneder" in bfu["haendelser"]
    assert "på fristens sekund er overholdt" in bfu["taeller"]
    assert found["barnets_plan_foer_afgoerelse"]["maal"] == catalogue.current().quality_targets[
        "barnets_plan_foer_afgoerelse"]

    client = app.test_client()
    assert client.post("/log-ind", data={"username": "teamleder1", "password": "demo"}).status_code == 302
    html = client.get("/ledelsesinformation/definitioner").get_data(as_text=True)
    assert "Definitioner af nøgletal" in html and "Tæller" in html and "Nævner" in html
    assert all(f'id="{kpi}"' in html for kpi in found)
    assert 'href="/ledelsesinformation/definitioner"' in client.get("/ledelsesinformation").get_data(as_text=True)
