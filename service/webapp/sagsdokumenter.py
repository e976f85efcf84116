"""The case page's documents: the upload form's handler (the list is part of the case page, the download the API's)."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, g, redirect, request

from service import web
from service.dokumenter import service as dokumenter
from service.errors import TooLarge, ValidationFailed
from service.web import uow
from service.webapp import signin
from service.webapp.views import _case_page, blp


@blp.post("/sager/<case_id>/dokumenter")
@signin.page
def document_upload(case_id: str) -> Any:
    upload = request.files.get("fil")
    unit = uow()
    extensions = current_app.extensions["sagsflow"]
    try:
        document = dokumenter.add(unit, extensions["document_store"], g.user, case_id,
                                  data=upload.stream if upload else None, filename=upload.filename if upload else None,
                                  max_bytes=extensions["settings"].document_max_bytes)
        name = document.filnavn
        unit.commit()
    except (ValidationFailed, TooLarge) as failed:
        unit.rollback()
        return _case_page(case_id, document_errors=failed.errors), failed.status
    flash(f"Dokumentet «{name}» er tilføjet sagen.", "ok")
    return redirect(f"/sager/{case_id}#dokumenter-titel")


web.takes_documents("webapp.document_upload")
