"""Small real files of each kind (made here, so the tests carry no binaries)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from fpdf import FPDF
from openpyxl import Workbook

_MADE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.wordprocessingml.document.main+xml"/></Types>')


def pdf(text: str = "Skolens bekymring") -> bytes:
    doc = FPDF()
    doc.set_creation_date(_MADE)  # the same text gives the same bytes, whenever the test runs
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.cell(text=text)
    return bytes(doc.output())


def png() -> bytes:
    return bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")  # header of a 1×1 image


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 32


def xlsx() -> bytes:
    book = Workbook()
    book.active["A1"] = "Fravær"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx(*, macros: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        types = _TYPES.replace("document.main+xml", "document.macroEnabled.main+xml") if macros else _TYPES
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 16)
    return out.getvalue()


def damaged_docx() -> bytes:
    """A compressed Word document whose [Content_Types].xml bytes were damaged on the way (zlib fails on them)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
    content = bytearray(out.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(content))).getinfo("[Content_Types].xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    content[start:start + 8] = b"\xff" * 8
    return bytes(content)


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("noter.txt", "hej")
    return out.getvalue()


def ole(stream_name: str) -> bytes:
    """An OLE compound file's signature with a directory entry naming one stream (what the check reads)."""
    entry = stream_name.encode("utf-16-le").ljust(64, b"\x00")
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + entry + b"\x00" * 448
