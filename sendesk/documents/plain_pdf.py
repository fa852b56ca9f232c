"""A plain, readable PDF of headings, paragraphs and two-column tables (handover sheet, SAR).

Text is escaped before ReportLab sees it, so anything typed into a record prints as typed. The
bundled DejaVu Sans draws any script; without it the core Helvetica is used.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib import colors  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.units import mm  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped, unused-ignore]
from reportlab.platypus import (  # type: ignore[import-untyped, unused-ignore]
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from sendesk.resources import resource_path


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)


def _fonts() -> tuple[str, str]:
    regular, bold = (
        resource_path("fonts/DejaVuSans.ttf"),
        resource_path("fonts/DejaVuSans-Bold.ttf"),
    )
    if not (regular.is_file() and bold.is_file()):
        return "Helvetica", "Helvetica-Bold"
    if "SENDeskSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("SENDeskSans", str(regular)))
        pdfmetrics.registerFont(TTFont("SENDeskSans-Bold", str(bold)))
    return "SENDeskSans", "SENDeskSans-Bold"


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def render(title: str, sections: Sequence[Section], subject: str = "") -> bytes:
    """The PDF's bytes. Page streams are left uncompressed, so tests can read the text."""
    font, bold = _fonts()
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=13, spaceAfter=4)
    cell = ParagraphStyle("cell", parent=body, spaceAfter=0)
    head = ParagraphStyle("head", fontName=bold, fontSize=13, leading=16, spaceBefore=8)
    top = ParagraphStyle("title", fontName=bold, fontSize=18, leading=22, spaceAfter=8)
    story: list[object] = [Paragraph(_text(title), top)]
    for section in sections:
        story.append(Paragraph(_text(section.heading), head))
        story.extend(Paragraph(_text(p), body) for p in section.paragraphs)
        if section.rows:
            table = Table(
                [[Paragraph(_text(k), cell), Paragraph(_text(v), cell)] for k, v in section.rows],
                colWidths=[50 * mm, 120 * mm],
            )
            table.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
                    ]
                )
            )
            story.append(table)
        story.append(Spacer(1, 4 * mm))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=title,
        subject=subject,
        author="SENDesk",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        pageCompression=0,
        invariant=1,
    )
    doc.build(story)
    return out.getvalue()
