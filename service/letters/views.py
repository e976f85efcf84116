"""HTTP adapters for a case's letters: list, HTML and PDF (case access rules; every read journalled).

A letter's PDF is made just after its task is completed (service/letters/pdf_jobs.py); until then its
PDF answers 409 with Retry-After, while its HTML can be read at once.
"""

from __future__ import annotations

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from service.letters import service as letters
from service.schemas import ProblemSchema
from service.web import current_user, handle_domain_error, uow

blp = Blueprint("breve", __name__, url_prefix="/api", description="Breve: partshøring og afgørelse (HTML og PDF)")


class BrevSchema(Schema):
    id = fields.String()
    kind = fields.String(data_key="type")
    title = fields.String(data_key="titel")
    dato = fields.Date()
    task_id = fields.String(allow_none=True)
    created_at = fields.DateTime(data_key="oprettet")
    created_by = fields.Integer(data_key="oprettet_af")
    template_hash = fields.String(data_key="skabelon_hash")
    html_url = fields.Function(lambda b: f"/api/breve/{b.id}")
    pdf_url = fields.Function(lambda b: f"/api/breve/{b.id}.pdf")
    modtager_navn = fields.String(allow_none=True, metadata={
        "description": "Den part, brevet er sendt til (ét brev pr. modtager); tom på en sag uden registrerede parter"})
    modtager_adresse = fields.String(allow_none=True)
    part_id = fields.String(allow_none=True, metadata={"description": "Partens id; tom for barnet og uden parter"})
    boernevenlig = fields.Boolean(metadata={"description": "Kommunens børnevenlige udgave (barn på 10–14 år)"})
    pdf_ready = fields.Boolean(data_key="pdf_klar", metadata={
        "description": "Om brevets PDF er dannet. Falsk et øjeblik efter, at opgaven er udført (PDF under "
                       "udarbejdelse): så svarer pdf_url 409 med Retry-After, mens html_url kan læses straks."})


@blp.route("/cases/<string:case_id>/breve")
class CaseLetters(MethodView):
    @blp.response(200, BrevSchema(many=True))
    def get(self, case_id: str) -> list:
        """Sagens breve. Læsningen journaliseres."""
        unit = uow()
        found = letters.for_case(unit, current_user(), case_id)
        unit.commit()
        return found


def _send(brev_id: str, as_pdf: bool) -> Response:
    unit = uow()
    try:
        brev = letters.get(unit, current_user(), brev_id, as_pdf=as_pdf)
    except letters.PdfUnderUdarbejdelse as pending:
        response = handle_domain_error(pending)
        response.headers["Retry-After"] = str(pending.retry_after)
        return response
    unit.commit()
    if not as_pdf:
        return Response(brev.html, mimetype="text/html")
    response = Response(brev.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{brev.kind}-{brev.id[:8]}.pdf"'
    return response


_UNDER_UDARBEJDELSE = {
    "schema": ProblemSchema, "content_type": "application/problem+json",
    "description": "Brevets PDF er under udarbejdelse (dannes lige efter, at opgaven er udført): prøv igen om "
                   "Retry-After sekunder. HTML-udgaven kan læses straks.",
    "headers": {"Retry-After": {"description": "Sekunder, før PDF'en ventes klar", "schema": {"type": "integer"}}}}


@blp.route("/breve/<string:brev_id>")
class Letter(MethodView):
    @blp.doc(responses={"200": {"description": "Brevet som HTML (text/html) eller PDF (?format=pdf)"}})
    @blp.alt_response(409, **_UNDER_UDARBEJDELSE)
    def get(self, brev_id: str) -> Response:
        """Et brev som HTML; ?format=pdf giver PDF. Læsningen journaliseres."""
        return _send(brev_id, request.args.get("format") == "pdf")


@blp.route("/breve/<string:brev_id>.pdf")
class LetterPdf(MethodView):
    @blp.doc(responses={"200": {"description": "Brevet som PDF"}})
    @blp.alt_response(409, **_UNDER_UDARBEJDELSE)
    def get(self, brev_id: str) -> Response:
        """Et brev som PDF. Læsningen journaliseres."""
        return _send(brev_id, True)
