"""The PDF of a letter, made from the same HTML (fpdf2, no external programs or font files).

fpdf2's built-in Helvetica covers Windows-1252, which holds æ, ø, å, §, « » and the dashes; any other
character is replaced, so a letter never fails over an emoji. The HTML copy keeps the exact text.
"""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from html.parser import HTMLParser

from fpdf import FPDF
from fpdf.fonts import TextStyle

from service import clock

# A letter, not a web page: black headings in the body text's family, modest sizes.
_STYLES = {"h1": TextStyle(font_family="helvetica", font_style="B", font_size_pt=15, color=0, t_margin=4, b_margin=0.6),
           "h2": TextStyle(font_family="helvetica", font_style="B", font_size_pt=12, color=0, t_margin=3, b_margin=0.4)}
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)


def _body(html: str) -> str:
    match = _BODY.search(html)
    return match.group(1) if match else html


def _cp1252(text: str) -> str:
    return text.encode("cp1252", errors="replace").decode("cp1252")


def render(html: str, *, title: str, created: datetime | None = None) -> bytes:
    """The PDF of a letter's HTML. `created` (the letter's own time) makes a PDF made later by the job the same
    document, byte for byte, as one made when the letter was."""
    doc = FPDF(format="A4")
    doc.core_fonts_encoding = "windows-1252"
    doc.set_creation_date(created or clock.now())
    doc.set_title(_cp1252(title))
    doc.set_author("Sagsflow")
    doc.set_margins(20, 20, 20)
    doc.add_page()
    doc.set_font("helvetica", size=11)
    doc.write_html(_cp1252(_body(html)), ul_bullet_char="\u2022", li_prefix_color=(0, 0, 0),
                   warn_on_tags_not_matching=False, tag_styles=_STYLES)
    return bytes(doc.output())


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(html: str) -> str:
    """The letter's text without tags, whitespace collapsed (for checking which parts a letter has)."""
    parser = _Text()
    parser.feed(_body(html))
    return " ".join(unescape(" ".join(parser.parts)).split())
