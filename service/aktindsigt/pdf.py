"""The aktindsigt bundle as a PDF (fpdf2's built-in Helvetica, Windows-1252 like the letters: service/letters/pdf.py).

Plain text, not HTML: the case's texts are written as given (a note may hold «<» or an ampersand). Lines are broken
here from the core font's own widths and each is placed with text(): fpdf2's multi_cell measures the line again for
every character (and copies its state for every measurement), which took 31 s for a large case – 1,000 journal events
with four long form fields each, 100 long notes, 10 letters, 218 pages. This way that case takes about 1 s, so the
bundle is made in the request (service/aktindsigt/service.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from fpdf import FPDF

from service.webapp.format import when as local

__all__ = ["Content", "local", "render"]


@dataclass(frozen=True)
class Content:
    title: str
    header: list[tuple[str, str]]
    events: list[tuple[str, str, str, str, list[tuple[str, str]]]]  # when, kind, title, who, details
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # heading, written by, text
    letters: list[tuple[str, str, str]] = field(default_factory=list)  # title, date, text
    documents: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # name, added, by, type, size


def _cp1252(text: str) -> str:
    return text.encode("cp1252", errors="replace").decode("cp1252")


def _lines(doc: FPDF, value: str, width: float) -> list[str]:
    """`value` broken into lines no wider than `width` in the current font (its own line breaks kept; a word wider
    than a line is split)."""
    widths, scale = doc.current_font.cw, doc.font_size / 1000  # a core font's widths, in 1/1000 of the size

    def measure(text: str) -> float:  # fpdf2's get_string_width copies its graphics state on every call
        return sum(widths.get(ch, 600) for ch in text) * scale

    space = measure(" ")
    lines: list[str] = []
    for paragraph in value.splitlines() or [""]:
        line: list[str] = []
        used = 0.0
        for word in paragraph.split():
            size = measure(word)
            while size > width:  # a long number or address: cut it where the line ends
                cut = len(word)
                while cut > 1 and measure(word[:cut]) > width:
                    cut = max(1, cut * 3 // 4)
                if line:
                    lines.append(" ".join(line))
                    line, used = [], 0.0
                lines.append(word[:cut])
                word = word[cut:]
                size = measure(word)
            if line and used + space + size > width:
                lines.append(" ".join(line))
                line, used = [], 0.0
            used += (space if line else 0) + size
            line.append(word)
        lines.append(" ".join(line))
    return lines


class _Doc(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("helvetica", size=8)
        self.cell(0, 10, f"Side {self.page_no()}/{{nb}}", align="C")


def render(content: Content, *, created: datetime) -> bytes:
    doc = _Doc(format="A4")
    doc.core_fonts_encoding = "windows-1252"
    doc.set_creation_date(created)
    doc.set_title(_cp1252(content.title))
    doc.set_author("Sagsflow")
    doc.set_margins(20, 20, 20)
    doc.set_auto_page_break(True, margin=20)
    doc.add_page()

    def text(value: str, *, size: float = 10, style: str = "", height: float = 5) -> None:
        doc.set_font("helvetica", style=style, size=size)
        for line in _lines(doc, _cp1252(value), doc.epw):
            if doc.y + height > doc.page_break_trigger:
                doc.add_page()
            # text() at the baseline, not cell(): a cell costs five times as much, and the lines are broken already
            doc.text(doc.l_margin, doc.y + height * 0.75, line)
            doc.set_y(doc.y + height)

    def heading(value: str) -> None:
        doc.ln(4)
        text(value, size=13, style="B", height=7)

    text(content.title, size=16, style="B", height=9)
    for label, value in content.header:
        text(f"{label}: {value}")
    text("CPR-numre på andre end den, der har fået aktindsigt, er skjult (xxxxxx-xxxx).", size=8)

    heading(f"Journal ({len(content.events)} hændelser)")
    for at, kind, title, who, details in content.events:
        text(f"{at}  ·  {kind}  ·  {who}", size=8, style="B", height=4)
        text(title)
        for label, value in details:
            text(f"{label}: {value}", size=9, height=4.5)
        doc.ln(1.5)

    heading(f"Notater ({len(content.notes)})")
    for title, written, body in content.notes or [("Ingen notater på sagen.", "", "")]:
        text(title, style="B")
        if written:
            text(written, size=8, height=4)
        if body:
            text(body)
        doc.ln(1.5)

    heading(f"Breve ({len(content.letters)})")
    for title, dato, body in content.letters or [("Ingen breve på sagen.", "", "")]:
        text(f"{title}{'  (' + dato + ')' if dato else ''}", style="B")
        if body:
            text(body, size=9, height=4.5)
        doc.ln(1.5)

    heading(f"Dokumenter ({len(content.documents)})")
    if not content.documents:
        text("Ingen dokumenter på sagen.")
    for name, added, by, kind, size in content.documents:
        text(f"{name}  ·  tilføjet {added} af {by}  ·  {kind}, {size}", size=9, height=4.5)
    return bytes(doc.output())
