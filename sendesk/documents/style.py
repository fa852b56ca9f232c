"""What every printed SENDesk document shares: the font, the styles, the page and the safe pieces.

- The bundled Unicode font (DejaVu Sans, `resources/fonts/`) is embedded, so Zoë, Łukasz, Nguyễn,
  Siobhán and Dáithí print as typed in any reader.
- `DocumentOptions` gives large print (16 pt body) and a dyslexia-friendly page (cream paper, a
  clear sans-serif, 1.5 line spacing, more space between paragraphs).
- Every page carries the school's logo and name at the top, and "Confidential", the printed date
  and "Page n of N" at the foot.
- Free text is escaped (never trusted as markup), cleaned of control characters, and laid out so
  that whatever a user typed flows across pages: a table row that would not fit comfortably on a
  page is printed as a block of paragraphs instead, so ReportLab never raises a layout error.

Other documents (the calendar's week schedule, for one) can use `register_fonts`, `FONT`, `BOLD`
and `clean` to print names with their own letters.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.pagesizes import A4, landscape  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.units import mm  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.utils import ImageReader  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped, unused-ignore]
from reportlab.platypus import (  # type: ignore[import-untyped, unused-ignore]
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from sendesk.resources import resource_path

FONT = "SENDeskSans"
BOLD = "SENDeskSans-Bold"
FONT_FILES = {FONT: "fonts/DejaVuSans.ttf", BOLD: "fonts/DejaVuSans-Bold.ttf"}

CREAM = colors.HexColor("#FBF5E4")  # a soft cream page for dyslexia-friendly printing
RULE = colors.HexColor("#9AA3AD")
SHADE = colors.HexColor("#E8ECF0")
INK = colors.HexColor("#1A1A1A")

MARGIN = 16 * mm
HEADER_SPACE = 22 * mm  # the letterhead band above the text frame
FOOTER_SPACE = 16 * mm
LOGO_HEIGHT = 14 * mm
LOGO_MAX_WIDTH = 40 * mm
# A table row taller than this share of the frame is printed as paragraphs instead.
ROW_SHARE = 0.4

# C0/C1 control characters other than tab and newline, and characters that are not characters.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def register_fonts() -> None:
    """Register the bundled Unicode font with ReportLab (once per process)."""
    _register()


@functools.cache
def _register() -> None:
    for name, path in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource_path(path))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


@dataclass(frozen=True)
class DocumentOptions:
    """How a document is printed; the same for every kind of document."""

    large_print: bool = False
    dyslexia_friendly: bool = False

    def describe(self) -> str:
        """For the audit log: 'large print, dyslexia-friendly', or '' for the standard layout."""
        parts = ["large print"] * self.large_print + ["dyslexia-friendly"] * self.dyslexia_friendly
        return ", ".join(parts)


@dataclass(frozen=True)
class Letterhead:
    """The school's name and logo for the top of every page, and the date printed."""

    school_name: str
    printed_on: dt.date
    logo_png: bytes | None = None


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    page_colour: Any  # a ReportLab colour, or None for white paper
    body_size: float


@functools.cache
def styles(options: DocumentOptions) -> Styles:
    register_fonts()
    size = 16.0 if options.large_print else (12.0 if options.dyslexia_friendly else 10.5)
    spacing = 1.5 if options.dyslexia_friendly else 1.3
    gap = size * (0.9 if options.dyslexia_friendly else 0.5)
    cell_size = size if options.large_print else size - 1

    def style(name: str, font: str, points: float, **extra: Any) -> ParagraphStyle:
        values: dict[str, Any] = {"textColor": INK, "splitLongWords": 1} | extra
        return ParagraphStyle(
            name, fontName=font, fontSize=points, leading=points * spacing, **values
        )

    return Styles(
        body=style("body", FONT, size, spaceAfter=gap),
        small=style(
            "small", FONT, max(size - 2, 9), textColor=colors.HexColor("#444444"), spaceAfter=gap
        ),
        title=style("title", BOLD, size * 1.6, spaceAfter=gap),
        heading=style("heading", BOLD, size * 1.3, spaceBefore=gap * 1.5, spaceAfter=gap * 0.7),
        subheading=style("subheading", BOLD, size * 1.1, spaceBefore=gap, spaceAfter=gap * 0.5),
        label=style("label", BOLD, size, spaceAfter=gap * 0.3),
        cell=style("cell", FONT, cell_size),
        cell_head=style("cell_head", BOLD, cell_size),
        page_colour=CREAM if options.dyslexia_friendly else None,
        body_size=size,
    )


# --- text ----------------------------------------------------------------------------------------


def clean(text: object) -> str:
    """Plain text as typed, made safe to print: NFC, no control characters, no markup."""
    value = "" if text is None else str(text)
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value.replace("\t", "    "))


def markup(text: object) -> str:
    """`text` escaped for a ReportLab paragraph, keeping its line breaks."""
    return escape(clean(text)).replace("\n", "<br/>")


def para(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup(text), style)


def rich(fragment: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of SENDesk's own markup; every user value in it must come through `markup`."""
    return Paragraph(fragment, style)


def room_for(lines: float, s: Styles) -> CondPageBreak:
    """Start a new page unless `lines` lines of body text still fit (keeps a heading with text).

    Used instead of keep-with-next, which would push a heading and a very long text together
    onto a fresh page and leave the previous one half empty.
    """
    return CondPageBreak(lines * s.body.leading)


def heading(text: str, s: Styles) -> list[Flowable]:
    return [room_for(5, s), para(text, s.heading)]


def subheading(text: str, s: Styles) -> list[Flowable]:
    """A bold label over a table or list, kept off the foot of a page."""
    return [room_for(7, s), para(text, s.label)]


def labelled(label: str, value: object, s: Styles, empty: str = "Not recorded") -> list[Flowable]:
    """A bold label over its (possibly long) text; "Not recorded" when nothing was written."""
    text = clean(value).strip()
    shown = para(text, s.body) if text else para(empty, s.small)
    return [room_for(3, s), para(label, s.label), shown]


def writing_space(s: Styles, lines: int = 4) -> Table:
    """Ruled lines for a parent or pupil to write on."""
    height = s.body_size * 2.2
    table = Table([[""] for _ in range(lines)], colWidths=["100%"], rowHeights=height)
    table.setStyle(
        TableStyle([("FONT", (0, 0), (-1, -1), FONT), ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE)])
    )
    return table


def signature_grid(who: Sequence[str], s: Styles, wide: bool = False) -> Table:
    """Rows to sign in: who (SENDesk's own short labels), name, signature, date."""
    width = frame_size(wide)[0]
    rows: list[list[object]] = [
        [para(h, s.cell_head) for h in ("Signed by", "Name", "Signature", "Date")],
        *([para(w, s.cell), "", "", ""] for w in who),
    ]
    grid = Table(
        rows,
        colWidths=[width * share for share in (0.24, 0.3, 0.28, 0.18)],
        rowHeights=[None] + [s.body_size * 2.8] * len(who),
        hAlign="LEFT",
    )
    grid.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT),
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return grid


# --- tables that never overflow ------------------------------------------------------------------


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    s: Styles,
    wide: bool = False,
) -> list[Flowable]:
    """A grid of plain-text cells; `widths` are shares of the frame width (they add up to 1).

    Rows that would take more than `ROW_SHARE` of a page are printed as labelled paragraphs
    between table segments, so any text a user typed flows across pages.
    """
    return _rows(header, rows, widths, s, wide, show_header=True)


def facts(
    rows: Sequence[tuple[str, object]], s: Styles, label_share: float = 0.3
) -> list[Flowable]:
    """Label-and-value pairs as a two-column grid with no header row."""
    return _rows(("", ""), rows, (label_share, 1 - label_share), s, False, show_header=False)


def _rows(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    s: Styles,
    wide: bool,
    show_header: bool,
) -> list[Flowable]:
    frame_width, frame_height = frame_size(wide)
    col_widths = [w * frame_width for w in widths]
    head = [para(h, s.cell_head) for h in header] if show_header else []
    out: list[Flowable] = []
    pending: list[list[Paragraph]] = []

    def flush() -> None:
        if pending:
            out.append(_grid([head, *pending] if head else pending, col_widths, bool(head)))
            out.append(Spacer(1, s.body_size * 0.6))
            pending.clear()

    for row in rows:
        cells = [para(v, s.cell_head if not head and i == 0 else s.cell) for i, v in enumerate(row)]
        tallest = max(
            (c.wrap(w - 8, frame_height * 10)[1] for c, w in zip(cells, col_widths, strict=True)),
            default=0,
        )
        if tallest + 8 <= frame_height * ROW_SHARE:
            pending.append(cells)
            continue
        flush()
        if head:
            for label, value in zip(header, row, strict=True):
                out.extend(labelled(label, value, s, empty="—"))
        else:
            out.extend(labelled(str(row[0]), row[1], s, empty="—"))
        out.append(Spacer(1, s.body_size * 0.6))
    flush()
    return out


def _grid(rows: list[list[Paragraph]], widths: list[float], header: bool) -> Table:
    grid = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    shaded = (0, 0), (-1, 0) if header else (0, -1)
    grid.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT),  # else cells name Helvetica
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("BACKGROUND", *shaded, SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return grid


# --- the page ------------------------------------------------------------------------------------


def page_size(wide: bool = False) -> tuple[float, float]:
    width, height = landscape(A4) if wide else A4
    return float(width), float(height)


def frame_size(wide: bool = False) -> tuple[float, float]:
    """The width and height of the text frame on every page."""
    width, height = page_size(wide)
    return width - 2 * MARGIN, height - HEADER_SPACE - FOOTER_SPACE - MARGIN


def render(
    story: list[Flowable],
    letterhead: Letterhead,
    options: DocumentOptions,
    title: str,
    wide: bool = False,
) -> bytes:
    """Lay out `story` on A4 pages with the letterhead and footer; the PDF's bytes."""
    s = styles(options)
    size = page_size(wide)
    frame_w, frame_h = frame_size(wide)
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=size,
        title=title,
        author="SENDesk",
        creator="SENDesk",
        subject=f"{title} (confidential)",
        initialFontName=FONT,  # else an unembedded Helvetica is named in every page
    )
    frame = Frame(
        MARGIN, FOOTER_SPACE, frame_w, frame_h, leftPadding=0, rightPadding=0, topPadding=0,
        bottomPadding=0, id="text",
    )  # fmt: skip
    logo = _logo(letterhead.logo_png)

    def on_page(canvas: Canvas, _doc: object) -> None:
        _draw_letterhead(canvas, size, letterhead, title, logo, s)

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    doc.build(story, canvasmaker=_numbered_canvas(letterhead.printed_on, s))
    return buffer.getvalue()


def _logo(data: bytes | None) -> ImageReader | None:
    if not data:
        return None
    try:
        reader = ImageReader(io.BytesIO(data))
        width, height = reader.getSize()
    except Exception:  # a damaged logo must not stop a plan from printing
        return None
    return reader if width > 0 and height > 0 else None


def _fit(text: str, font: str, points: float, width: float) -> str:
    """`text` cut with an ellipsis to fit `width` on one line."""
    text = " ".join(clean(text).split())
    if pdfmetrics.stringWidth(text, font, points) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, points) > width:
        text = text[: max(0, len(text) - max(1, len(text) // 8))]
    return text + "…"


def _draw_letterhead(
    canvas: Canvas,
    size: tuple[float, float],
    letterhead: Letterhead,
    title: str,
    logo: ImageReader | None,
    s: Styles,
) -> None:
    width, height = size
    canvas.saveState()
    if s.page_colour is not None:
        canvas.setFillColor(s.page_colour)
        canvas.rect(0, 0, width, height, stroke=0, fill=1)
    top = height - MARGIN
    x = MARGIN
    if logo is not None:
        logo_w, logo_h = logo.getSize()
        scale = min(LOGO_HEIGHT / logo_h, LOGO_MAX_WIDTH / logo_w)
        drawn_w, drawn_h = logo_w * scale, logo_h * scale
        canvas.drawImage(logo, x, top - drawn_h, drawn_w, drawn_h, mask="auto")
        x += drawn_w + 4 * mm
    name_size = min(14.0, s.body_size + 2)
    title_size = min(12.0, s.body_size)
    title_text = _fit(title, FONT, title_size, (width - 2 * MARGIN) * 0.4)
    title_w = pdfmetrics.stringWidth(title_text, FONT, title_size)
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, name_size)
    room = width - MARGIN - x - title_w - 6 * mm
    baseline = top - LOGO_HEIGHT / 2 - name_size / 3
    canvas.drawString(x, baseline, _fit(letterhead.school_name, BOLD, name_size, room))
    canvas.setFont(FONT, title_size)
    canvas.drawRightString(width - MARGIN, baseline, title_text)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    rule_y = top - LOGO_HEIGHT - 2.5 * mm
    canvas.line(MARGIN, rule_y, width - MARGIN, rule_y)
    canvas.restoreState()


def _numbered_canvas(printed_on: dt.date, s: Styles) -> type[Canvas]:
    """A canvas that writes "Page n of N" once it knows N (pages are kept until `save`)."""
    foot_size = min(11.0, max(8.5, s.body_size - 2))

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width = self._pagesize[0]
            y = FOOTER_SPACE - 8 * mm
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.6)
            self.line(MARGIN, y + foot_size + 3, width - MARGIN, y + foot_size + 3)
            self.setFillColor(INK)
            self.setFont(BOLD, foot_size)
            self.drawString(MARGIN, y, "Confidential")
            self.setFont(FONT, foot_size)
            self.drawCentredString(width / 2, y, f"Printed {printed_on:%d/%m/%Y}")
            self.drawRightString(width - MARGIN, y, f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return NumberedCanvas
