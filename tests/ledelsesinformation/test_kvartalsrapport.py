"""The quarterly report to the Børne- og Ungeudvalg and the export of the page's tables: the PDF, the JSON, the
CSV and the XLSX hold the same numbers, counted from a hand-built scenario."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from service.access.models import User
from service.cases.models import Case
from service.indsatsvifte import demo as indsatsvifte_demo
from service.indsatsvifte import kontrakter
from tests.ledelsesinformation.test_opdeling import build_scenario

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _contract(uow, case_id: str, indsats: str, leverandoer: str, start: str, months: int) -> None:  # noqa: ANN001
    actor = uow.session.scalar(select(User).where(User.username == "raadgiver1"))
    kontrakter.create_at_ivaerksaettelse(uow, actor=actor, case=uow.session.get(Case, case_id), task_id="t", data={
        "indsats_kode": indsats, "leverandoer_kode": leverandoer, "startdato": start, "maal": ["Trivsel i skolen"],
        "omfang": "2 timer", "hyppighed": "ugentlig", "forventet_varighed_maaneder": months,
        "opfoelgning_aftalt": "Efter 3 måneder"})


class _Tables(HTMLParser):
    """The page's tables by caption: header and body rows as the text in their cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.caption: str | None = None
        self.cell: list[str] | None = None
        self.in_caption = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "caption":
            self.in_caption, self.caption = True, ""
        elif tag == "tr" and self.caption is not None:
            self.tables.setdefault(self.caption, []).append([])
        elif tag in ("td", "th") and self.caption is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self.in_caption = False
        elif tag in ("td", "th") and self.cell is not None and self.caption is not None:
            self.tables[self.caption][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table":
            self.caption = None

    def handle_data(self, data: str) -> None:
        if self.in_caption:
            self.caption = (self.caption or "") + data.strip()
        elif self.cell is not None:
            self.cell.append(data)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def _pct(value: float) -> str:
    return f"{value:.1f} %".replace(".", ",")


def test_the_pdf_holds_the_numbers_of_the_json_for_the_quarter(api, app, frozen_clock, uow):
    cases = build_scenario(api, app, frozen_clock)  # Q1: 24-hour assessments 2 met, 2 missed in Nord, 1 met in Syd
    indsatsvifte_demo.seed_catalogue(uow)
    _contract(uow, cases["tidlig"], "familiebehandling", "familiehuset", "2026-03-10", 6)
    _contract(uow, cases["sekund"], "familiebehandling", "familiehuset", "2026-03-20", 6)
    _contract(uow, cases["syd"], "foraeldrekursus", "familiehuset", "2026-02-01", 3)
    _contract(uow, cases["taget"], "aflastning", "familieplejen", "2026-04-02", 6)  # Q2: not in Q1's report
    uow.commit()

    numbers = api.get("/api/ledelsesinformation/kvartal?kvartal=2026-1", "teamleder1").get_json()
    assert (numbers["fra"], numbers["til"], numbers["team_navn"]) == ("2026-01-01", "2026-03-31", "Team Nord")
    vurdering = next(r for r in numbers["noegletal"] if r["id"] == "vurdering_24t")["i_alt"]
    assert (vurdering["opfyldt"], vurdering["ikke_opfyldt"], vurdering["andel"], vurdering["maal_naaet"]) == (
        2, 2, 50.0, False)
    # Four cases of Team Nord opened in March (April's is the next quarter), none closed; Syd's is not hers.
    assert [(s["aabnet"], s["afsluttet"], s["aabne_ved_udgang"]) for s in numbers["sager"]] == [(4, 0, 4)]
    assert numbers["indsatser"] == [{"indsats": "Familiebehandling", "startet": 2, "i_gang": 2, "aftalt_pris": [
        {"antal": 2, "pris": "650.00", "prisenhed": "time"}]}]
    assert "betalinger" in numbers["oekonomi_note"] and numbers["ikke_registreret"]

    response = api.get("/api/ledelsesinformation/kvartalsrapport?kvartal=2026-1", "teamleder1")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    assert "Kvartalsrapport til Børne- og Ungeudvalget, 1. kvartal 2026" in text and "Team Nord" in text
    # Every KPI's row in the PDF's table carries the JSON's counts, share, target and the verdict in words.
    for row in numbers["noegletal"]:
        cell = row["i_alt"]
        share = _pct(cell["andel"]) if cell["andel"] is not None else "–"
        target = f"{row['maal']} %" if row["maal"] is not None else "–"
        words = ("Intet mål" if row["maal"] is None else "Ingen afgjort i kvartalet" if cell["andel"] is None
                 else "Målet er nået" if cell["maal_naaet"] else "Målet er ikke nået")
        expected = f"{cell['opfyldt']} {cell['ikke_opfyldt']} {cell['afventer']} {share} {target} {words}"
        assert re.search(re.escape(expected), text), (row["navn"], expected)
    assert "24-timers vurdering af underretning 2 2 0 50,0 % 100 % Målet er ikke nået" in text
    assert "50,0 % (mål 100 %) – under mål" in text  # the chart's bar, in words
    flow = numbers["sager"][0]
    assert f"{flow['sagstype']} {flow['aabnet']} {flow['afsluttet']} {flow['aabne_ved_udgang']}" in text
    assert "Familiebehandling 2 2 2 × 650,00 kr. pr. time" in text
    assert "Sagsflow registrerer endnu ikke indsatsernes faktiske ophør" in text
    assert "Skriftlig undersøgelsesplan" in text  # what is not recorded yet is named, not estimated
    assert "Forældrehandleplan tilbudt" not in text and "Personrettet tilsyn" not in text  # deadlines now

    # The head of department sees both teams, each team's share beside the other.
    everyone = api.get("/api/ledelsesinformation/kvartal?kvartal=2026-1", "afdelingsleder1").get_json()
    assert [k["navn"] for k in everyone["kolonner"]] == ["Team Nord", "Team Syd"]
    assert next(r for r in everyone["noegletal"] if r["id"] == "vurdering_24t")["i_alt"]["opfyldt"] == 3
    pdf = _pdf_text(api.get("/api/ledelsesinformation/kvartalsrapport?kvartal=2026-1", "afdelingsleder1").data)
    assert "Alle teams" in pdf and "Nøgletal pr. team" in pdf and "Forældrekursus (tidligt forebyggende) 1 1" in pdf


@SQLITE_ONLY
def test_a_bad_quarter_is_a_danish_422_per_field_and_access_follows_the_team(api):
    for bad, word in (("2026-5", "ÅÅÅÅ-K"), ("26-1", "ÅÅÅÅ-K"), ("2027-1", "ikke begyndt")):
        response = api.get(f"/api/ledelsesinformation/kvartalsrapport?kvartal={bad}", "teamleder1")
        assert response.status_code == 422 and response.mimetype == "application/problem+json", bad
        assert word in str(response.get_json()) and "kvartal" in str(response.get_json()), response.get_json()
    assert api.get("/api/ledelsesinformation/kvartalsrapport?kvartal=2026-1&team_id=2",
                   "teamleder1").status_code == 403
    assert api.get("/api/ledelsesinformation/kvartal?kvartal=2026-1", "raadgiver1").status_code == 403
    response = api.get("/api/ledelsesinformation/eksport?tabel=alt&format=pdf", "teamleder1")
    assert response.status_code == 422 and {"tabel", "format"} <= set(str(response.get_json()).split("'"))


@SQLITE_ONLY
def test_csv_and_xlsx_hold_the_pages_tables(api, app, frozen_clock):
    from openpyxl import load_workbook

    build_scenario(api, app, frozen_clock)
    period = "fra=2026-03-01&til=2026-04-30"
    split = api.get(f"/api/ledelsesinformation/opdeling?{period}&efter=raadgiver", "teamleder1").get_json()
    response = api.get(f"/api/ledelsesinformation/eksport?tabel=opdeling&format=csv&{period}&efter=raadgiver",
                       "teamleder1")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Nøgletal", "Mål (%)", "Rådgiver", "Opfyldt", "Ikke opfyldt", "Afventer", "Andel opfyldt (%)",
                       "Mål nået"]
    names = {c["noegle"]: c["navn"] for c in split["kolonner"]}
    expected = []
    for row in split["noegletal"]:
        for column, cell in [("I alt", row["i_alt"])] + [(names[c["noegle"]], c) for c in row["celler"]]:
            expected.append([row["navn"], "" if row["maal"] is None else str(row["maal"]), column,
                             str(cell["opfyldt"]), str(cell["ikke_opfyldt"]), str(cell["afventer"]),
                             "" if cell["andel"] is None else f"{cell['andel']:.1f}".replace(".", ","),
                             {None: "", True: "ja", False: "nej"}[cell["maal_naaet"]]])
    assert rows[1:] == expected
    assert ["24-timers vurdering af underretning", "100", "Rasmus Rådgiver", "1", "1", "0", "50,0", "nej"] in rows

    # The page's own table has the same headings the export names, and the link to it.
    client = app.test_client()
    assert client.post("/log-ind", data={"username": "teamleder1", "password": "demo"}).status_code == 302
    html = client.get(f"/ledelsesinformation?{period}&efter=raadgiver").get_data(as_text=True)
    assert "/api/ledelsesinformation/eksport?tabel=opdeling&amp;format=xlsx" in html
    assert 'name="kvartal"' in html and "/api/ledelsesinformation/kvartalsrapport" in html
    chosen = client.get("/api/ledelsesinformation/kvartalsrapport?kvartal=2026-1")  # the chooser's GET, signed in
    assert chosen.status_code == 200 and chosen.data.startswith(b"%PDF")
    parser = _Tables()
    parser.feed(html)
    sagstal = list(csv.reader(io.StringIO(api.get(f"/api/ledelsesinformation/eksport?tabel=sagstal&{period}",
                                                  "teamleder1").data.decode("utf-8-sig")), delimiter=";"))
    assert parser.tables["Sagstal pr. sagstype"] == sagstal == [
        ["Sagstype", "Åbnet", "Afsluttet", "Åbne ved periodens udgang"], ["Børnesag – sagsbehandling", "5", "0", "5"]]

    frister = api.get(f"/api/ledelsesinformation/frister?{period}", "teamleder1").get_json()["frister"]
    book = load_workbook(io.BytesIO(api.get(
        f"/api/ledelsesinformation/eksport?tabel=frister&format=xlsx&{period}", "teamleder1").data))
    sheet = book.active
    assert sheet.title == "Fristoverholdelse"
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Frist", "Hjemmel", "Overholdt", "Overskredet", "Afventer", "Andel overholdt (%)", "Mål (%)",
                         "Mål nået"]
    assert [v[:5] for v in values[1:]] == [[f["navn"], f["hjemmel"] or None, f["overholdt"], f["overskredet"],
                                           f["afventer"]] for f in frister]
    assert [v[5] for v in values[1:]] == [f["andel"] for f in frister]
    # The ledelsestilsyn's table lists cases: fetching it is a read of each, journalled on the case.
    drawn = api.post("/api/ledelsestilsyn", "teamleder1", json={"maaned": "2026-04"}).get_json()
    rows = list(csv.reader(io.StringIO(api.get("/api/ledelsesinformation/eksport?tabel=tilsyn&maaned=2026-04",
                                               "teamleder1").data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Rådgiver", "Sagsnummer"] and sorted(r[1] for r in rows[1:]) == sorted(
        d["sagsnummer"] for d in drawn) and len(drawn) >= 1
    journal = api.get(f"/api/cases/{drawn[0]['case_id']}", "teamleder1").get_json()["journal"]
    assert any(e["tekst"] == "Sagen er hentet i ledelsestilsynets udtræk for april 2026" for e in journal)
    for tabel in ("kvalitet", "udvikling", "sagstal", "indsatser"):
        answer = api.get(f"/api/ledelsesinformation/eksport?tabel={tabel}&format=xlsx&{period}", "teamleder1")
        assert answer.status_code == 200 and load_workbook(io.BytesIO(answer.data)).active.max_row >= 1, tabel
