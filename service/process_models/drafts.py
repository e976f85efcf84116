"""The process owners' drafts: an unfinished change to a model, one per person and file, kept on the server so
neither a closed tab, an expired session nor another PC loses it. Deploying it is a separate, checked step."""

from __future__ import annotations

from lxml import etree
from sqlalchemy import select

from service import clock
from service.access import service as access
from service.access.models import User
from service.engine import bundle
from service.errors import FieldError, NotFound, ValidationFailed
from service.process_models.models import ModelDraft
from service.uow import UnitOfWork

MAX_XML_CHARS = 5_000_000  # a large model is ~300 kB; this stops a mistake, not a model


def _check_filename(filename: str) -> None:
    if not filename.endswith((".bpmn", ".dmn")) or "/" in filename or "\\" in filename or len(filename) > 200:
        raise ValidationFailed("Kladden kan ikke gemmes.",
                               [FieldError("filnavn", "Filen skal ende på .bpmn eller .dmn.")])


def _own(uow: UnitOfWork, user: User, filename: str) -> ModelDraft | None:
    return uow.session.scalar(select(ModelDraft).where(ModelDraft.user_id == user.id, ModelDraft.filename == filename))


def find(uow: UnitOfWork, user: User, filename: str) -> ModelDraft | None:
    access.require_model_owner(user)
    return _own(uow, user, filename)


def get(uow: UnitOfWork, user: User, filename: str) -> ModelDraft:
    draft = find(uow, user, filename)
    if draft is None:
        raise NotFound("Der er ingen kladde til filen.")
    return draft


def save(uow: UnitOfWork, user: User, filename: str, *, xml: str, base: str) -> ModelDraft:
    access.require_model_owner(user)
    _check_filename(filename)
    if len(xml) > MAX_XML_CHARS:
        raise ValidationFailed("Kladden kan ikke gemmes.", [FieldError("xml", "Modellen er for stor (over 5 MB).")])
    try:
        bundle.root_element(xml.encode())
    except etree.XMLSyntaxError as err:
        raise ValidationFailed("Kladden kan ikke gemmes.", [FieldError("xml", f"Ikke gyldig XML: {err}")]) from err
    draft = _own(uow, user, filename)
    if draft is None:
        draft = ModelDraft(user_id=user.id, filename=filename)
        uow.session.add(draft)
    draft.xml, draft.base, draft.saved_at = xml, base[:100], clock.now()
    return draft


def discard(uow: UnitOfWork, user: User, filename: str) -> None:
    access.require_model_owner(user)
    draft = _own(uow, user, filename)
    if draft is not None:
        uow.session.delete(draft)
