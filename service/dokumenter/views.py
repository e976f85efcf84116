"""HTTP adapters for a case's documents: upload, list and download (case access rules; reads journalled)."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from service import web
from service.dokumenter import filtyper
from service.dokumenter import service as dokumenter
from service.dokumenter.lager import DocumentStore
from service.dokumenter.models import Dokument
from service.schemas import ProblemSchema
from service.web import current_user, uow

blp = Blueprint("dokumenter", __name__, url_prefix="/api",
                description="Dokumenter på sagen: PDF, billeder og Office-dokumenter")


def store() -> DocumentStore:
    return current_app.extensions["sagsflow"]["document_store"]


class DokumentSchema(Schema):
    id = fields.String()
    case_id = fields.String()
    filnavn = fields.String()
    indholdstype = fields.String(metadata={"description": "Filens type, læst af dens indhold (ikke af navnet)"})
    type = fields.Function(lambda d: filtyper.LABELS.get(d.indholdstype, d.indholdstype))
    stoerrelse = fields.Integer(metadata={"description": "Bytes"})
    sha256 = fields.String()
    created_at = fields.DateTime(data_key="tilfoejet")
    created_by = fields.Integer(data_key="tilfoejet_af")
    url = fields.Function(lambda d: f"/api/dokumenter/{d.id}")


class DokumentUploadSchema(Schema):
    fil = fields.Raw(required=True, metadata={"type": "string", "format": "binary", "description": (
        "PDF, PNG, JPEG, GIF, TIFF, Word, Excel eller PowerPoint (.docx/.xlsx/.pptx eller de ældre .doc/.xls/.ppt, "
        "uden makroer). Typen læses af filens indhold, ikke af navnet.")})


_PROBLEM = {"schema": ProblemSchema, "content_type": "application/problem+json"}


@blp.route("/cases/<string:case_id>/dokumenter")
class CaseDocuments(MethodView):
    @blp.response(200, DokumentSchema(many=True))
    def get(self, case_id: str) -> list:
        """Sagens dokumenter, nyeste først. Læsningen journaliseres."""
        unit = uow()
        found = dokumenter.for_case(unit, current_user(), case_id)
        unit.commit()
        return found

    @blp.arguments(DokumentUploadSchema, location="files")
    @blp.response(201, DokumentSchema)
    @blp.alt_response(413, description="Filen er større end grænsen (SAGSFLOW_DOKUMENT_MAKS_MB, standard 25 MB)",
                      **_PROBLEM)
    @blp.alt_response(503, description="Dokumentlageret kan ikke nås lige nu; prøv igen om Retry-After sekunder",
                      headers={"Retry-After": {"schema": {"type": "integer"}}}, **_PROBLEM)
    def post(self, files: dict, case_id: str) -> Dokument:
        """Tilføj et dokument til sagen (rådgiver eller teamleder i sagens team). Typen afgøres af filens indhold;
        en anden type giver 422, en for stor fil 413. Tilføjelsen journaliseres."""
        upload = files["fil"]
        unit = uow()
        settings = current_app.extensions["sagsflow"]["settings"]
        document = dokumenter.add(unit, store(), current_user(), case_id, data=upload.stream,
                                  filename=upload.filename, max_bytes=settings.document_max_bytes)
        unit.commit()
        return document  # all set in this request: dumping it reads nothing after the commit


_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa", '"': "", "\\": ""})


def attachment(name: str) -> str:
    """Content-Disposition for a download: the name as given (RFC 6266 filename*), with an ASCII fallback."""
    simple = unicodedata.normalize("NFKD", name.translate(_DANISH)).encode("ascii", "ignore").decode("ascii")
    return f"attachment; filename=\"{simple or 'dokument'}\"; filename*=UTF-8''{quote(name, safe='')}"


_BINARY = {"schema": {"type": "string", "format": "binary"}}


@blp.route("/dokumenter/<string:dokument_id>")
class Document(MethodView):
    @blp.doc(responses={"200": {"description": "Filen som vedhæftning (Content-Disposition: attachment)",
                                "content": {kind.content_type: _BINARY for kind in filtyper.ALL}}})
    @blp.alt_response(503, description="Dokumentlageret kan ikke nås lige nu", **_PROBLEM)
    def get(self, dokument_id: str) -> Response:
        """Hent et dokument (kun for den, der må læse sagen). Hver hentning journaliseres."""
        unit = uow()
        found = dokumenter.download(unit, store(), current_user(), dokument_id)
        document = found.document
        unit.commit()
        response = Response(found.chunks, mimetype=document.indholdstype, direct_passthrough=True)
        response.headers["Content-Length"] = str(document.stoerrelse)
        response.headers["Content-Disposition"] = attachment(document.filnavn)
        return response


web.takes_documents("dokumenter.CaseDocuments")
