"""Letters made at partshøring and afgørelse: every required part, in HTML and PDF, listed in the journal.

The PDFs are made after the completion's commit (tests/letters/test_pdf_after_commit.py): these tests run that
job once before they read a PDF.
"""

from __future__ import annotations

import io

from pypdf import PdfReader

from service.demo_payloads import form
from tests.support import complete, make_letter_pdfs, receive, walk_to_decision

REQUIRED_IN_GRANT = [
    "Alma Jensen",                                       # the child
    "Afgørelse om Familiebehandling",                    # what was decided
    "BL § 32, stk. 1",                                   # lovgrundlag
    "Støtte familien til stabil skolegang.",             # formål
    "6 måneder",                                         # forventet varighed
    "Undersøgelsen viser behov for støtte i hjemmet.",   # begrundelse
    "Klagevejledning", "4 uger", "Ankestyrelsen",        # klagevejledning with the deadline and where it goes
    "2. marts 2026",                                     # the decision's date (today on the tests' clock)
]


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def _html_text(html: str) -> str:
    from service.letters.pdf import visible_text
    return visible_text(html)


def _to_decision(api) -> str:  # noqa: ANN001
    cid = receive(api)["case_id"]
    walk_to_decision(api, cid)
    return cid


def _letters(api, cid: str, user: str = "raadgiver1") -> list[dict]:  # noqa: ANN001
    """The letters after the investigation (the decision to investigate, before it, has its own tests)."""
    response = api.get(f"/api/cases/{cid}/breve", user)
    assert response.status_code == 200, response.get_json()
    return [letter for letter in response.get_json() if letter["type"] != "bfu_beslutning"]


def test_the_decision_letter_holds_every_required_part_in_html_and_pdf(api):
    cid = _to_decision(api)
    assert _letters(api, cid) == []
    complete(api, cid, "afgoerelse", user="teamleder1")
    [letter] = _letters(api, cid)
    assert letter["type"] == "afgoerelse" and letter["titel"] == "Afgørelse om Familiebehandling"
    assert len(letter["skabelon_hash"]) == 64

    html = api.get(letter["html_url"])
    assert html.status_code == 200 and html.mimetype == "text/html"
    sagsnummer = api.get(f"/api/cases/{cid}").get_json()["sagsnummer"]
    html_text = _html_text(html.get_data(as_text=True))
    for part in [*REQUIRED_IN_GRANT, sagsnummer]:
        assert part in html_text, part

    assert make_letter_pdfs(api) == 2  # with the decision to investigate's
    pdf = api.get(letter["pdf_url"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert api.get(f"{letter['html_url']}?format=pdf").data == pdf.data
    pdf_text = _pdf_text(pdf.data)
    for part in [*REQUIRED_IN_GRANT, sagsnummer]:
        assert part in pdf_text, part
    assert "010120" not in pdf_text and "010120" not in html_text  # no CPR in the letter


def test_partshoering_and_refusal_letters_are_listed_in_the_journal(api, frozen_clock):
    cid = receive(api)["case_id"]
    for step in ("vurdering_24t", "faglig_vurdering"):
        complete(api, cid, step)
    complete(api, cid, "bfu", form("bfu", indstilling="afslag"))
    complete(api, cid, "partshoering")  # the reply deadline is 14 days from today: 16 March
    complete(api, cid, "partshoering_svar")
    complete(api, cid, "indstilling", form("visitation_indstilling", udfald="afslag"))
    # Letters of one day are listed in the order they were made; on a frozen clock they would tie (and the
    # job storing their PDFs may move rows on disk), so the decision comes a minute after the hearing letter.
    frozen_clock.advance(minutes=1)
    refusal = form("afgoerelse", udfald="afslag", foranstaltning=None, formaal=None, forventet_varighed_maaneder=None,
                   begrundelse="Behovet kan dækkes af almene tilbud.")
    complete(api, cid, "afgoerelse", refusal, user="teamleder1")

    assert make_letter_pdfs(api) == 3  # with the decision to investigate's
    hearing, decision = _letters(api, cid)
    assert (hearing["type"], decision["type"]) == ("partshoering", "afgoerelse")
    hearing_text = _pdf_text(api.get(hearing["pdf_url"]).data)
    for part in ("Partshøring – Alma Jensen", "Til: Mor, Far", "16. marts 2026", "forvaltningslovens § 19",
                 "Behov for støtte i hjemmet."):  # the investigation's conclusion the decision will rest on
        assert part in hearing_text, part
    decision_text = _html_text(api.get(decision["html_url"]).get_data(as_text=True))
    assert decision["titel"] == "Afgørelse: afslag"
    for part in ("afslag", "Behovet kan dækkes af almene tilbud.", "BL § 32, stk. 1", "4 uger", "Ankestyrelsen"):
        assert part in decision_text, part
    assert "Forventet varighed" not in decision_text

    journal = api.get(f"/api/cases/{cid}").get_json()["journal"]
    made = [e for e in journal if e["handling"] == "brev_dannet" and e["data"]["type"] != "bfu_beslutning"]
    assert [e["data"]["brev_id"] for e in made] == [hearing["id"], decision["id"]]
    assert [e["tekst"] for e in made] == ["Brev dannet: Partshøring – Alma Jensen", "Brev dannet: Afgørelse: afslag"]


def test_letters_follow_the_case_access_rules_and_reads_are_journalled(api):
    cid = _to_decision(api)
    complete(api, cid, "afgoerelse", user="teamleder1")
    make_letter_pdfs(api)
    [letter] = _letters(api, cid)
    for user in ("raadgiver_syd", "procesejer1"):
        assert api.get(f"/api/cases/{cid}/breve", user).status_code == 404
        assert api.get(letter["html_url"], user).status_code == 404
        assert api.get(letter["pdf_url"], user).status_code == 404
    assert api.get("/api/breve/findes-ikke").status_code == 404
    assert api.get(letter["pdf_url"], "raadgiver2").status_code == 200
    journal = api.get(f"/api/cases/{cid}").get_json()["journal"]
    reads = [e for e in journal if e["handling"] == "laest" and e["bruger_id"] is not None]
    assert "Brevet «Afgørelse om Familiebehandling» er læst (PDF)" in [e["tekst"] for e in reads]
    assert "Sagens breve er læst" in [e["tekst"] for e in reads]


def test_form_text_is_escaped_in_the_letter(api):
    cid = _to_decision(api)
    complete(api, cid, "afgoerelse", form("afgoerelse", begrundelse="<script>alert(1)</script> & mere"),
             user="teamleder1")
    [letter] = _letters(api, cid)
    html = api.get(letter["html_url"]).get_data(as_text=True)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; mere" in html
