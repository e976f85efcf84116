"""The task page shows what the decision needs beside the form: the underretning being assessed (text, who sent
it, how) with the child's other underretninger, and for a decision the BFU's conclusions and the plan's goals."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from tests.support import complete, open_task, receive, tasks, walk_to_decision


def _page(app: Flask, path: str, username: str = "raadgiver1") -> str:
    client: FlaskClient = app.test_client()
    assert client.post("/log-ind", data={"username": username, "password": "demo"}).status_code == 302
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _section(page: str, heading_id: str) -> str:
    found = re.search(rf'<section class="kontekst" aria-labelledby="{heading_id}">(.*?)</section>', page, re.S)
    assert found, f"ingen sektion {heading_id}"
    return found.group(1)


def test_the_24_hour_assessment_shows_its_underretning_and_the_childs_others(api, app, frozen_clock):
    first = receive(api, beskrivelse="Skolen: barnet kommer ofte for sent og er sulten.")
    frozen_clock.set(frozen_clock.now() + timedelta(hours=2))
    second = receive(api, beskrivelse="Naboen hørte råb og gråd om natten.", underretter_type="borger",
                     kanal="telefon", overgreb=True)
    assert second["case_id"] == first["case_id"]
    task = open_task(api, first["case_id"], "vurdering_24t")
    shown = _section(_page(app, f"/opgaver/{task['id']}"), "underretning-titel")
    assessed, others = shown.split("Barnets andre underretninger")
    assert "Skolen: barnet kommer ofte for sent og er sulten." in assessed  # the one the task was made for
    assert "Fagperson (skole, dagtilbud, sundhed, politi …)" in assessed and "Digital Post" in assessed
    assert "Naboen hørte råb og gråd om natten." in others and "mistanke om overgreb" in others

    later = max((t for t in tasks(api) if t["case_id"] == first["case_id"] and t["id"] != task["id"]
                 and "vurdering" in t["bpmn_id"]), key=lambda t: t["oprettet"])
    shown = _section(_page(app, f"/opgaver/{later['id']}"), "underretning-titel")
    assessed, others = shown.split("Barnets andre underretninger")
    assert "Naboen hørte råb og gråd om natten." in assessed and "Telefon" in assessed
    assert "Mistanke om overgreb" in assessed
    assert "Skolen: barnet kommer ofte for sent og er sulten." in others


def test_a_decision_shows_the_bfu_conclusions_and_the_plans_goals(api, app):
    case_id = receive(api)["case_id"]
    walk_to_decision(api, case_id)
    task = open_task(api, case_id, "afgoerelse", user="teamleder1")
    shown = _section(_page(app, f"/opgaver/{task['id']}", "teamleder1"), "grundlag-titel")
    assert "Behov for støtte i hjemmet." in shown  # the BFU's conclusion
    assert "At barnet kommer stabilt i skole og trives." in shown  # the plan's purpose
    assert "Barnet møder i skole hver dag" in shown and "Fravær under 5 % pr. måned" in shown  # its goals
    assert "Mormor er en ressource." not in shown  # the findings stay in the BFU: only what the decision needs


def test_a_task_without_such_needs_shows_no_context(api, app):
    case_id = receive(api)["case_id"]
    walk_to_decision(api, case_id)
    complete(api, case_id, "afgoerelse", user="teamleder1")
    task = open_task(api, case_id, "ivaerksaettelse")
    assert 'class="kontekst"' not in _page(app, f"/opgaver/{task['id']}")
