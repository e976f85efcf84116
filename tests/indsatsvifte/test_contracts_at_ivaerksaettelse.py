"""The individual contract is made when iværksættelse is completed, checked against the indsatsvifte."""

from __future__ import annotations

import pytest

from service.demo_payloads import form
from tests.support import complete, open_bpmn_ids, open_task, receive, walk_to_decision, walk_to_running_measure


def _to_ivaerksaettelse(api) -> str:  # noqa: ANN001
    cid = receive(api)["case_id"]
    walk_to_decision(api, cid)
    complete(api, cid, "afgoerelse", user="teamleder1")
    assert "ivaerksaettelse" in open_bpmn_ids(api, cid)
    return cid


def test_completing_ivaerksaettelse_makes_the_individual_contract(api):
    cid = receive(api)["case_id"]
    walk_to_running_measure(api, cid)
    contracts = api.get(f"/api/cases/{cid}/kontrakter").get_json()
    assert len(contracts) == 1
    contract = contracts[0]
    assert contract["indsats"]["kode"] == "familiebehandling" and contract["leverandoer"]["navn"] == "Familiehuset"
    assert contract["maal"] == form("ivaerksaettelse")["maal"]
    assert (contract["omfang"], contract["hyppighed"], contract["startdato"]) == ("2 timer", "Ugentligt", "2026-05-15")
    assert contract["forventet_varighed_maaneder"] == 6
    assert contract["opfoelgning"] == "Første opfølgning efter 3 måneder"
    assert (contract["pris"], contract["prisenhed"]) == ("650.00", "time")  # the standard contract's price
    journal = api.get(f"/api/cases/{cid}").get_json()["journal"]
    made = [e for e in journal if e["handling"] == "kontrakt_oprettet"]
    assert made and made[0]["tekst"] == "Individuel kontrakt: Familiebehandling hos Familiehuset"
    assert made[0]["data"]["kontrakt_id"] == contract["id"]
    assert "opfoelgning" in open_bpmn_ids(api, cid)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"indsats_kode": "findes_ikke"}, "indsats_kode", "Indsatsen «findes_ikke» findes ikke i indsatsviften."),
    ({"leverandoer_kode": "ukendt"}, "leverandoer_kode", "Leverandøren «ukendt» findes ikke."),
    ({"leverandoer_kode": "ungekontakten"}, "leverandoer_kode",
     "«Ungekontakten» har ingen standardkontrakt om «Familiebehandling»."),
    ({"startdato": "2028-02-01"}, "startdato",
     "Standardkontrakten med «Familiehuset» gælder ikke på startdatoen (01-01-2026–31-12-2027)."),
])
def test_a_choice_outside_the_catalogue_is_422_and_nothing_is_written(api, changes, field, message):
    cid = _to_ivaerksaettelse(api)
    before = open_bpmn_ids(api, cid)
    task = open_task(api, cid, "ivaerksaettelse")
    response = api.post(f"/api/tasks/{task['id']}/complete", json={"data": form("ivaerksaettelse", **changes)})
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{"field": field, "message": message}]
    assert api.get(f"/api/cases/{cid}/kontrakter").get_json() == []
    journal = api.get(f"/api/cases/{cid}").get_json()["journal"]
    assert not [e for e in journal if e["task_id"] == task["id"] and e["handling"] != "laest"]
    assert open_bpmn_ids(api, cid) == before  # the engine did not move


def test_a_deactivated_measure_cannot_be_started(api):
    cid = _to_ivaerksaettelse(api)
    family = next(m for m in api.get("/api/indsatsvifte").get_json() if m["kode"] == "familiebehandling")
    api.call("PATCH", f"/api/indsatsvifte/{family['id']}", "procesejer1", json={"aktiv": False})
    task = open_task(api, cid, "ivaerksaettelse")
    response = api.post(f"/api/tasks/{task['id']}/complete", json={"data": form("ivaerksaettelse")})
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"field": "indsats_kode", "message": "Indsatsen «Familiebehandling» tilbydes ikke længere."}]


def test_goals_need_a_domain_from_the_plan(api):
    cid = _to_ivaerksaettelse(api)
    task = open_task(api, cid, "ivaerksaettelse")
    response = api.post(f"/api/tasks/{task['id']}/complete", json={"data": form(
        "ivaerksaettelse", maal=[{"domaene": "oekonomi", "maal": "Bedre økonomi"}])})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "maal.0.domaene"


def test_contracts_follow_the_case_access_rules(api):
    cid = receive(api)["case_id"]
    walk_to_running_measure(api, cid)
    assert api.get(f"/api/cases/{cid}/kontrakter", "raadgiver_syd").status_code == 404
    assert api.get(f"/api/cases/{cid}/kontrakter", "procesejer1").status_code == 404
    journal = api.get(f"/api/cases/{cid}", "teamleder1").get_json()["journal"]
    assert not [e for e in journal if e["tekst"] == "Sagens kontrakter er læst"]
    api.get(f"/api/cases/{cid}/kontrakter", "raadgiver2")
    journal = api.get(f"/api/cases/{cid}", "teamleder1").get_json()["journal"]
    assert [e for e in journal if e["tekst"] == "Sagens kontrakter er læst"]


def test_a_case_on_a_version_from_before_the_indsatsvifte_completes_without_a_contract(api, uow, tmp_path):
    import json
    import shutil

    from service.config import ROOT
    from service.process_models import service as process_models
    forms_dir = tmp_path / "forms"
    shutil.copytree(ROOT / "forms", forms_dir)
    old_form = json.loads((forms_dir / "ivaerksaettelse.json").read_text(encoding="utf-8"))
    for new_field in ("indsats_kode", "leverandoer_kode", "maal"):  # the form as it was: a provider's name only
        del old_form["properties"][new_field]
    old_form["properties"]["leverandoer"] = {"type": "string", "title": "Leverandør", "minLength": 1}
    old_form["required"] = ["leverandoer", "startdato"]
    (forms_dir / "ivaerksaettelse.json").write_text(json.dumps(old_form), encoding="utf-8")
    bpmn = ROOT / "workflows" / "sagsbehandling.bpmn"
    deployed = process_models.deploy_file(uow, filename=bpmn.name, xml=bpmn.read_bytes(), forms_dir=forms_dir,
                                          sources=process_models.model_sources(bpmn.parent, None))
    uow.commit()
    assert deployed.created
    cid = _to_ivaerksaettelse(api)  # starts on the version just deployed
    old_payload = form("ivaerksaettelse", indsats_kode=None, leverandoer_kode=None, maal=None,
                       leverandoer="Familiehuset")
    complete(api, cid, "ivaerksaettelse", old_payload)
    assert api.get(f"/api/cases/{cid}/kontrakter").get_json() == []
    assert "opfoelgning" in open_bpmn_ids(api, cid)
