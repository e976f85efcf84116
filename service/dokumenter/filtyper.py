"""Which kind of file an upload is, read from its bytes (magic numbers), never from its name or declared type.

Only what a case file needs is taken: PDF, photos and scans (PNG, JPEG, GIF, TIFF) and Office documents (the
zip-based formats of Word, Excel and PowerPoint, and their older OLE formats). Office files with macros are refused:
they would run code on the colleague who opens them.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True)
class Filtype:
    content_type: str
    label: str  # what the case page shows
    extension: str  # the usual one, put on a name that lacks it


PDF = Filtype("application/pdf", "PDF", "pdf")
PNG = Filtype("image/png", "PNG-billede", "png")
JPEG = Filtype("image/jpeg", "JPEG-billede", "jpg")
GIF = Filtype("image/gif", "GIF-billede", "gif")
TIFF = Filtype("image/tiff", "TIFF-billede", "tif")
DOCX = Filtype("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word-dokument", "docx")
XLSX = Filtype("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel-regneark", "xlsx")
PPTX = Filtype("application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint-præsentation",
               "pptx")
DOC = Filtype("application/msword", "Word-dokument (ældre format)", "doc")
XLS = Filtype("application/vnd.ms-excel", "Excel-regneark (ældre format)", "xls")
PPT = Filtype("application/vnd.ms-powerpoint", "PowerPoint-præsentation (ældre format)", "ppt")

ALL = (PDF, PNG, JPEG, GIF, TIFF, DOCX, XLSX, PPTX, DOC, XLS, PPT)
LABELS = {kind.content_type: kind.label for kind in ALL}
EXTENSIONS = {"jpg": ("jpg", "jpeg"), "tif": ("tif", "tiff")}

NOT_ALLOWED = ("Filtypen kan ikke tilføjes. Tilladt er PDF, billeder (PNG, JPEG, GIF, TIFF) og Office-dokumenter "
               "(Word, Excel, PowerPoint).")
MACROS = "Office-dokumenter med makroer kan ikke tilføjes. Gem dokumentet uden makroer (fx .docx i stedet for .docm)."

_SIMPLE = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG), (b"GIF87a", GIF), (b"GIF89a", GIF),
           (b"II*\x00", TIFF), (b"MM\x00*", TIFF))
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The OLE stream that makes each legacy format, as its directory entry spells it (UTF-16LE). The directory may lie
# anywhere in the file, so the file is searched; a Word file may embed a sheet, so Word is looked for first.
_OLE_STREAMS = ((DOC, "WordDocument"), (XLS, "Workbook"), (XLS, "Book\x00"), (PPT, "PowerPoint Document"))
_OOXML_PARTS = ((DOCX, "word/document.xml"), (XLSX, "xl/workbook.xml"), (PPTX, "ppt/presentation.xml"))
_CHUNK = 1 << 20


class NotAllowed(ValueError):
    """The upload is not a kind of file the case takes; the message says so in Danish."""


def detect(stream: BinaryIO) -> Filtype:
    """The file's kind from its bytes; the stream is left at its start. Raises NotAllowed."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    for magic, kind in _SIMPLE:
        if head.startswith(magic):
            return kind
    if head.startswith(_ZIP):
        return _ooxml(stream)
    if head.startswith(_OLE):
        return _ole(stream)
    raise NotAllowed(NOT_ALLOWED)


def _ooxml(stream: BinaryIO) -> Filtype:
    try:
        with zipfile.ZipFile(stream) as archive:  # reads only the directory at the end, never unpacks
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                raise NotAllowed(NOT_ALLOWED)  # a plain zip archive
            with archive.open("[Content_Types].xml") as types:
                declared = types.read(1 << 20)
    # A damaged archive fails in many ways: its directory (BadZipFile), cut short (EOFError, OSError), its
    # compressed bytes (zlib.error), an encrypted part (RuntimeError), an unknown compression (NotImplementedError).
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError) as err:
        raise NotAllowed(NOT_ALLOWED) from err
    finally:
        stream.seek(0)
    if b"macroenabled" in declared.lower() or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise NotAllowed(MACROS)
    for kind, part in _OOXML_PARTS:
        if part in names:
            return kind
    raise NotAllowed(NOT_ALLOWED)


def _ole(stream: BinaryIO) -> Filtype:
    wanted = [(kind, name.encode("utf-16-le")) for kind, name in _OLE_STREAMS]
    macros = "_VBA_PROJECT".encode("utf-16-le")
    overlap = max(len(w) for _k, w in wanted)
    found: set[Filtype] = set()
    tail = b""
    has_macros = False
    stream.seek(0)
    while chunk := stream.read(_CHUNK):
        window = tail + chunk
        found |= {kind for kind, name in wanted if name in window}
        has_macros = has_macros or macros in window
        tail = window[-overlap:]
    stream.seek(0)
    if has_macros:
        raise NotAllowed(MACROS)
    for kind in (DOC, XLS, PPT):
        if kind in found:
            return kind
    raise NotAllowed(NOT_ALLOWED)  # another OLE file (an Outlook message, an installer)


_UNSAFE_IN_NAMES = re.compile(r"[\x00-\x1f\x7f\"<>|:*?]")
NAME_MAX = 200


def clean_name(given: str | None, kind: Filtype) -> str:
    """The name shown and offered on download: the last part of what the browser sent (some send a whole path),
    without control characters, at most 200 characters, and ending in the extension of what the file is."""
    name = (given or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(_UNSAFE_IN_NAMES.sub(" ", unicodedata.normalize("NFC", name)).split()).strip(". ")
    stem, dot, suffix = name.rpartition(".")
    if not dot or suffix.lower() not in EXTENSIONS.get(kind.extension, (kind.extension,)):
        stem = name
        suffix = kind.extension
    stem = stem[:NAME_MAX - len(suffix) - 1].rstrip(". ") or "dokument"
    return f"{stem}.{suffix}"
