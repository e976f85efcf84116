"""Adding a file to a case, listing a case's files and reading one, under the case's access rules.

The order never loses a file: the bytes are written to the store under a new key first, then the row and the journal
entry are committed in the caller's transaction. A failed commit leaves a file no row names; a failed write leaves
no row. Every download is journalled before the first byte is sent.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import select

from service import clock
from service.access.models import User
from service.dokumenter import filtyper
from service.dokumenter.lager import BlobMissing, DocumentStore, StoreUnavailable
from service.dokumenter.models import Dokument
from service.errors import DomainError, FieldError, NotFound, TooLarge, Unavailable, ValidationFailed
from service.journal import service as journal
from service.uow import UnitOfWork

log = logging.getLogger(__name__)

FIELD = "fil"
STORE_DOWN = "Dokumentlageret kan ikke nås lige nu. Prøv igen om lidt."


class Damaged(DomainError):
    status = 500
    title = "Intern fejl"


def too_large(max_bytes: int) -> TooLarge:
    return TooLarge(f"Filen er for stor. Et dokument må højst fylde {megabytes(max_bytes)}.",
                    [FieldError(FIELD, f"Filen må højst fylde {megabytes(max_bytes)}.")])


def megabytes(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} kB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB").replace(".", ",")


def _size(data: BinaryIO) -> int:
    data.seek(0, os.SEEK_END)
    size = data.tell()
    data.seek(0)
    return size


def add(uow: UnitOfWork, store: DocumentStore, actor: User, case_id: str, *, data: BinaryIO | None,
        filename: str | None, max_bytes: int) -> Dokument:
    """Adds an uploaded file to a case the actor may work; its bytes decide its type. The caller commits."""
    from service.cases.service import visible_case  # cases → inbox → case_documents → letters: import at use
    case = visible_case(uow, actor, case_id)
    if data is None or not filename:
        raise ValidationFailed("Vælg en fil.", [FieldError(FIELD, "Vælg en fil at tilføje.")])
    size = _size(data)
    if size == 0:
        raise ValidationFailed("Filen er tom.", [FieldError(FIELD, "Filen er tom.")])
    if size > max_bytes:
        raise too_large(max_bytes)
    try:
        kind = filtyper.detect(data)
    except filtyper.NotAllowed as err:
        raise ValidationFailed(str(err), [FieldError(FIELD, str(err))]) from err
    document_id = str(uuid.uuid4())
    key = f"{document_id[:2]}/{document_id}"
    try:
        stored = store.put(key, data)  # before the row: a row never names a file that is not there
    except StoreUnavailable as err:
        log.warning("Dokumentlageret (%s) kunne ikke gemme dokument %s (%s)", store.name, document_id, err)
        raise Unavailable(STORE_DOWN) from err
    name = filtyper.clean_name(filename, kind)
    document = Dokument(id=document_id, case_id=case.id, filnavn=name, indholdstype=kind.content_type,
                        stoerrelse=stored.size, sha256=stored.sha256, lager=store.name, noegle=key,
                        created_at=clock.now(), created_by=actor.id)
    uow.session.add(document)
    journal.record(uow, case_id=case.id, actor_id=actor.id, action="dokument_tilfoejet",
                   title=f"Dokument tilføjet: {name}"[:300],
                   data={"dokument_id": document_id, "type": kind.content_type, "stoerrelse": stored.size,
                         "sha256": stored.sha256})
    return document


def of_case(uow: UnitOfWork, case_id: str) -> list[Dokument]:
    """The case's documents, newest first (the caller has checked access and journalled the read)."""
    return list(uow.session.scalars(select(Dokument).where(Dokument.case_id == case_id)
                                    .order_by(Dokument.created_at.desc(), Dokument.id)))


def for_case(uow: UnitOfWork, user: User, case_id: str) -> list[Dokument]:
    from service.cases.service import readable_case
    case = readable_case(uow, user, case_id)
    journal.record(uow, case_id=case.id, actor_id=user.id, action="laest", title="Sagens dokumenter er læst")
    return of_case(uow, case.id)


@dataclass(frozen=True)
class Download:
    document: Dokument
    chunks: Iterator[bytes]


def download(uow: UnitOfWork, store: DocumentStore, user: User, document_id: str) -> Download:
    """The document's bytes for one who may read its case; the download is journalled (the caller commits, then
    sends). The file is opened first, so a download that cannot happen is not journalled as one."""
    from service.cases.service import readable_case
    document = uow.session.get(Dokument, document_id)
    if document is None:
        raise NotFound("Dokumentet findes ikke.")
    try:
        readable_case(uow, user, document.case_id)
    except NotFound as err:
        raise NotFound("Dokumentet findes ikke.") from err  # the same answer as a missing one: no existence leak
    try:
        chunks = store.open(document.noegle, document.sha256)
    except StoreUnavailable as err:
        log.warning("Dokumentlageret (%s) kunne ikke læse dokument %s (%s)", store.name, document.id, err)
        raise Unavailable(STORE_DOWN) from err
    except BlobMissing as err:
        log.error("Dokument %s mangler eller er beskadiget i dokumentlageret (%s)", document.id, store.name)
        raise Damaged("Dokumentet kan ikke hentes: filen i dokumentlageret mangler eller er beskadiget. "
                      "Kontakt support.") from err
    journal.record(uow, case_id=document.case_id, actor_id=user.id, action="laest",
                   title=f"Dokumentet «{document.filnavn}» er hentet"[:300], data={"dokument_id": document.id})
    return Download(document, chunks)
