"""Validér and deploy parse every table cell as FEEL and name the decision, rule and column of a bad one."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from service.config import ROOT
from service.engine import decision_checks, spiff
from service.process_models.service import included_files, model_sources

KOMPETENCEPLAN = (ROOT / "workflows" / "kompetenceplan.dmn").read_bytes()
RULE_2_TYPE = b'<inputEntry id="kompetenceplan_regel_2_in_1">\n          <text>"anbringelse"</text>'


def _cell(text: bytes) -> bytes:
    edited = KOMPETENCEPLAN.replace(RULE_2_TYPE, RULE_2_TYPE.replace(b'"anbringelse"', text))
    assert edited != KOMPETENCEPLAN
    return edited


def _validate(api, name: str, content: bytes):  # noqa: ANN001, ANN202
    return api.post("/api/process-versions/validering", "procesejer1", content_type="multipart/form-data",
                    data={"file": (io.BytesIO(content), name)})


@pytest.mark.parametrize(("cell", "says"), [
    (b"[1..", "udtrykket slutter for tidligt"),
    (b"True", "«True» er Python; i FEEL skrives det true"),
    (b"&quot;a&quot; == x", "FEEL sammenligner med = (ikke ==)"),
    (b"", "cellen er tom; skriv - for «alle værdier»"),
])
def test_a_bad_cell_is_refused_with_its_table_rule_and_column(api, cell, says):
    response = _validate(api, "kompetenceplan.dmn", _cell(cell))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    [error] = response.get_json()["errors"]
    assert error["field"] == "kompetenceplan.dmn#kompetenceplan/regel 2/Foranstaltningstype"
    assert error["element"] == "kompetenceplan_regel_2_in_1"  # the cell's id in dmn-js, to point at it
    assert error["message"].startswith("Regel 2, kolonnen «Foranstaltningstype»: ")
    assert says in error["message"]


def test_the_issue_list_cell_validates(api):
    response = _validate(api, "kompetenceplan.dmn", _cell(b'"anbringelse","stoette"'))
    assert response.status_code == 200, response.get_json()


def test_a_bad_cell_in_a_table_a_process_calls_names_the_table_when_the_process_is_parsed():
    sources = model_sources(ROOT / "workflows", {"kompetenceplan.dmn": _cell(b"[1..")})
    visitation = sources["visitation.bpmn"]
    with pytest.raises(spiff.ModelInvalid) as refused:
        spiff.parse_model(visitation, "visitation.bpmn", included_files("visitation.bpmn", visitation, sources))
    assert refused.value.fields == ["kompetenceplan.dmn#kompetenceplan/regel 2/Foranstaltningstype"]
    assert refused.value.elements == ["kompetenceplan_regel_2_in_1"]
    assert refused.value.problems[0].startswith("kompetenceplan.dmn: Regel 2, kolonnen «Foranstaltningstype»")


def _table(body: str, attributes: str = 'hitPolicy="FIRST"', root_attributes: str = "") -> bytes:
    return f"""<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d"
        namespace="https://sagsflow.dk/test" {root_attributes}>
      <decision id="beslut" name="Beslut"><decisionTable id="t" {attributes}>
        <input id="i" label="Alder"><inputExpression id="ie" typeRef="number"><text>alder</text></inputExpression>
        </input>
        {body}
      </decisionTable></decision></definitions>""".encode()


ONE_OUTPUT = '<output id="o" name="svar" typeRef="string"/>'
RULE = ('<rule id="r1"><inputEntry id="r1i"><text>&gt;= 18</text></inputEntry>'
        '<outputEntry id="r1o"><text>"voksen"</text></outputEntry></rule>')


@pytest.mark.parametrize(("xml", "where", "element", "says"), [
    (_table(ONE_OUTPUT + RULE, 'hitPolicy="SOMETIMES"'), "beslut", "t", "Hit policy «SOMETIMES» findes ikke"),
    (_table(ONE_OUTPUT + RULE, 'hitPolicy="FIRST" aggregation="SUM"'), "beslut", "t", "kun med hit policy COLLECT"),
    (_table('<output id="o1" name="a"/><output id="o2" name="b"/>', 'hitPolicy="COLLECT" aggregation="MAX"'),
     "beslut", "t", "præcis én outputkolonne"),
    (_table('<output id="o1" name="a"/><output id="o2"/>'), "beslut", "t", "hver have sit eget navn"),
    (_table(ONE_OUTPUT + RULE, 'hitPolicy="PRIORITY"'), "beslut", "t", "angiv dem"),
    (_table(ONE_OUTPUT + RULE, root_attributes='expressionLanguage="python"'), "", "d",
     "Udtrykssproget «python» understøttes ikke"),
    (_table(ONE_OUTPUT + RULE.replace("<inputEntry ", '<inputEntry expressionLanguage="juel" ')),
     "beslut/regel 1/Alder", "r1i", "«juel» understøttes ikke"),
    (_table(ONE_OUTPUT + RULE.replace('"voksen"', "if alder then")), "beslut/regel 1/svar", "r1o",
     "udtrykket slutter for tidligt"),
    (_table(ONE_OUTPUT + RULE.replace('<outputEntry id="r1o"><text>"voksen"</text></outputEntry>', "")),
     "beslut/regel 1", "r1", "Regel 1 har 1 betingelser og 0 resultater"),
    (_table(ONE_OUTPUT + RULE).replace(b"<text>alder</text>", b"<text>alder[0]</text>"), "beslut/Alder", "i",
     "Inputkolonnen «Alder»: Ikke gyldig FEEL"),
    (b"""<definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/" id="d" name="d" namespace="x">
      <decision id="tekst" name="Tekst"><literalExpression><text>1</text></literalExpression></decision>
      </definitions>""", "tekst", "tekst", "er ikke en beslutningstabel"),
])
def test_table_problems_name_their_place(xml, where, element, says):
    [problem] = decision_checks.problems(etree.fromstring(xml))
    assert (problem.where, problem.element) == (where, element)
    assert says in problem.message


def test_the_shipped_tables_are_feel_without_problems():
    for name in ("kompetenceplan.dmn", "triage.dmn"):
        assert decision_checks.problems(etree.fromstring((ROOT / "workflows" / name).read_bytes())) == []
