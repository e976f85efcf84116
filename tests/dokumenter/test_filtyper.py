"""The file's kind is read from its bytes: the name and the declared type count for nothing."""

from __future__ import annotations

import io

import pytest

from service.dokumenter import filtyper
from tests.dokumenter import files


@pytest.mark.parametrize(("content", "kind"), [
    (files.pdf(), filtyper.PDF), (files.png(), filtyper.PNG), (files.jpeg(), filtyper.JPEG),
    (b"GIF89a" + b"\x00" * 20, filtyper.GIF), (b"II*\x00" + b"\x00" * 20, filtyper.TIFF),
    (b"MM\x00*" + b"\x00" * 20, filtyper.TIFF), (files.docx(), filtyper.DOCX), (files.xlsx(), filtyper.XLSX),
    (files.ole("WordDocument"), filtyper.DOC), (files.ole("Workbook"), filtyper.XLS),
    (files.ole("PowerPoint Document"), filtyper.PPT),
])
def test_each_allowed_kind_is_known_by_its_bytes(content: bytes, kind: filtyper.Filtype) -> None:
    stream = io.BytesIO(content)
    assert filtyper.detect(stream) == kind
    assert stream.tell() == 0  # left at the start for the store


@pytest.mark.parametrize("content", [
    b"Hej, jeg er en tekstfil, der hedder .pdf", b"MZ\x90\x00 et program", b"<html><script>alert(1)</script>",
    files.plain_zip(), files.ole("__substg1.0_0037001F"), b"PK\x03\x04 ikke en rigtig zip", b"",
    files.damaged_docx(), files.docx()[:200],
])
def test_other_files_are_refused_in_danish(content: bytes) -> None:
    with pytest.raises(filtyper.NotAllowed, match="Filtypen kan ikke tilføjes"):
        filtyper.detect(io.BytesIO(content))


def test_office_files_with_macros_are_refused() -> None:
    with pytest.raises(filtyper.NotAllowed, match="makroer"):
        filtyper.detect(io.BytesIO(files.docx(macros=True)))
    with pytest.raises(filtyper.NotAllowed, match="makroer"):
        filtyper.detect(io.BytesIO(files.ole("WordDocument") + "_VBA_PROJECT".encode("utf-16-le")))


@pytest.mark.parametrize(("given", "kind", "shown"), [
    ("Skoleudtalelse.pdf", filtyper.PDF, "Skoleudtalelse.pdf"),
    ("C:\\Users\\rr\\Børnesamtale æøå.docx", filtyper.DOCX, "Børnesamtale æøå.docx"),
    ("../../etc/passwd", filtyper.PDF, "passwd.pdf"),
    ("foto.JPEG", filtyper.JPEG, "foto.JPEG"),
    ("rapport.txt", filtyper.PDF, "rapport.txt.pdf"),  # the name says what the file is
    ("a\x00b\n.pdf", filtyper.PDF, "a b.pdf"),
    ("", filtyper.PNG, "dokument.png"),
    ("x" * 500 + ".pdf", filtyper.PDF, "x" * 196 + ".pdf"),
])
def test_names_are_cleaned_and_end_in_what_the_file_is(given: str, kind: filtyper.Filtype, shown: str) -> None:
    assert filtyper.clean_name(given, kind) == shown
