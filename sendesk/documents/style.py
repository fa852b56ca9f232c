"""What every printed SENDesk document shares: the font, the styles, the page and the safe pieces.

- The bundled Unicode fonts (`resources/fonts/`, see `scripts`) are embedded, so Zoë, Łukasz,
  Nguyễn, عائشة, اردو and 王小明 print as typed in any reader.
- `DocumentOptions` gives large print (every text 16 pt or more), a dyslexia-friendly page (cream
  paper, a clear sans-serif, nothing under 12 pt, 1.5 line spacing, lines of about 70 characters at
  most) and a parents' copy (plain words, abbreviations explained, no staff-only notes).
- No word is split mid-word: table columns are as wide as their longest unbreakable word (see
  `fit`), a word wider than its column is hyphenated at a British English hyphenation point, and
  dates and UPNs never break. A heading, a table's header row or a question is never left at the
  foot of a page without what follows it.
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

from reportlab.lib import colors  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.fonts import ps2tt, tt2ps  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.pagesizes import A4, landscape  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.units import mm  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib.utils import ImageReader  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped, unused-ignore]
from reportlab.platypus import (  # type: ignore[import-untyped, unused-ignore]
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.paragraph import (  # type: ignore[import-untyped, unused-ignore]
    cleanBlockQuotedText,
    textTransformFrags,
)
from reportlab.platypus.paraparser import ParaFrag  # type: ignore[import-untyped, unused-ignore]
from reportlab.rl_config import _FUZZ  # type: ignore[import-untyped, unused-ignore]

from sendesk.documents import fit, glossary, scripts
from sendesk.documents.scripts import BOLD, FONT

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
    """Register the bundled Unicode fonts with ReportLab (once per process)."""
    scripts.register()


@dataclass(frozen=True)
class DocumentOptions:
    """How a document is printed; the same for every kind of document."""

    large_print: bool = False
    dyslexia_friendly: bool = False
    for_parents: bool = False  # plain words, abbreviations explained, no staff-only notes

    def describe(self) -> str:
        """For the audit log: 'large print, dyslexia-friendly', or '' for the standard layout."""
        parts = (
            ["large print"] * self.large_print
            + ["dyslexia-friendly"] * self.dyslexia_friendly
            + ["parents' copy"] * self.for_parents
        )
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
    least: float  # the smallest size any text on the page may have (footer, letterhead)
    options: DocumentOptions
    frame: tuple[float, float]  # the text frame's width and height (portrait)
    wide_frame: tuple[float, float]  # the same in landscape

    def frame_width(self, wide: bool = False) -> float:
        return (self.wide_frame if wide else self.frame)[0]


LARGE = 16.0  # large print: nothing smaller
DYSLEXIA = 12.0  # dyslexia-friendly: nothing smaller (BDA style guide)
LINE_CHARACTERS = 65  # dyslexia-friendly: the measure, so no line has more than about 70
_SAMPLE = "The quick brown fox jumps over the lazy dog; she reads forty words a minute now."


@functools.cache
def styles(options: DocumentOptions) -> Styles:
    register_fonts()
    if options.large_print:
        size, least = LARGE, LARGE
    elif options.dyslexia_friendly:
        size, least = DYSLEXIA, DYSLEXIA
    else:
        size, least = 10.5, 8.5
    spacing = 1.5 if options.dyslexia_friendly else 1.3
    gap = size * (0.9 if options.dyslexia_friendly else 0.5)
    cell_size = max(size - 1, least)

    def style(name: str, font: str, points: float, **extra: Any) -> ParagraphStyle:
        values: dict[str, Any] = {
            "textColor": INK,
            # A word is never cut: only a word wider than its table column is hyphenated, at a
            # British English hyphenation point (see `fit` and `_rows`).
            "hyphenationLang": "",
            "splitLongWords": 0,
            "uriWasteReduce": 0,
            "embeddedHyphenation": 0,
        } | extra
        return ParagraphStyle(
            name, fontName=font, fontSize=points, leading=points * spacing, **values
        )

    frame = _frame(page_size(False), size, options)
    wide_frame = _frame(page_size(True), size, options)
    made = Styles(
        body=style("body", FONT, size, spaceAfter=gap),
        small=style(
            "small",
            FONT,
            max(size - 2, 9, least),
            textColor=colors.HexColor("#444444"),
            spaceAfter=gap,
        ),
        title=style("title", BOLD, size * 1.6, spaceAfter=gap),
        heading=style("heading", BOLD, size * 1.3, spaceBefore=gap * 1.5, spaceAfter=gap * 0.7),
        subheading=style("subheading", BOLD, size * 1.1, spaceBefore=gap, spaceAfter=gap * 0.5),
        label=style("label", BOLD, size, spaceAfter=gap * 0.3),
        cell=style("cell", FONT, cell_size),
        cell_head=style("cell_head", BOLD, cell_size),
        page_colour=CREAM if options.dyslexia_friendly else None,
        body_size=size,
        least=least,
        options=options,
        frame=frame,
        wide_frame=wide_frame,
    )
    if options.for_parents:  # every paragraph notes the abbreviations it uses, for the glossary
        for st in (made.body, made.small, made.title, made.heading, made.subheading, made.label,
                   made.cell, made.cell_head):  # fmt: skip
            st.glossary = True
    return made


GLOSSARY_ROWS = 5  # a parents' copy keeps room above the footer for this many rows of terms


def glossary_size(options: DocumentOptions) -> float:
    """The text size of a parents' copy's glossary box."""
    return max(9.0, _least(options))


def _least(options: DocumentOptions) -> float:
    return LARGE if options.large_print else (DYSLEXIA if options.dyslexia_friendly else 8.5)


def glossary_height(options: DocumentOptions) -> float:
    """The room a parents' copy keeps at the foot of every page for its glossary box."""
    if not options.for_parents:
        return 0.0
    return (GLOSSARY_ROWS + 1) * glossary_size(options) * 1.3 + 10


def _frame(page: tuple[float, float], size: float, options: DocumentOptions) -> tuple[float, float]:
    width = page[0] - 2 * MARGIN
    height = page[1] - HEADER_SPACE - FOOTER_SPACE - MARGIN - glossary_height(options)
    if options.dyslexia_friendly:
        per_char = pdfmetrics.stringWidth(_SAMPLE, FONT, size) / len(_SAMPLE)
        width = min(width, per_char * LINE_CHARACTERS)
    return width, height


# --- text ----------------------------------------------------------------------------------------


def clean(text: object) -> str:
    """Plain text as typed, made safe to print: NFC, no control characters, no markup."""
    value = "" if text is None else str(text)
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value.replace("\t", "    "))


def markup(text: object, bold: bool = False) -> str:
    """`text` escaped for a ReportLab paragraph, with its line breaks, each script in its font."""
    return scripts.markup(clean(text), bold)


SHARED_UP_TO = 80  # characters: a label, a heading, a header, a date, a status, a name


def para(text: object, style: ParagraphStyle, width: float | None = None) -> Paragraph:
    """A paragraph of plain text; given the `width` it is set in (a table cell), any word wider
    than that is hyphenated at a British English hyphenation point."""
    plain = clean(text)
    if len(plain) <= SHARED_UP_TO:
        shared = _shared(plain, style, width)
        made: Paragraph = object.__new__(type(shared))  # a shallow copy, as `copy.copy` makes
        made.__dict__.update(shared.__dict__)
        return made
    return _made(plain, style, width)


@functools.lru_cache(maxsize=4096)
def _shared(plain: str, style: ParagraphStyle, width: float | None) -> Paragraph:
    """A short paragraph made once and copied for each use: a print run's labels, headings and
    column headers (and the statuses, dates and names that recur) are made once, not once a plan,
    and the copies share their laid out lines (see `Text`). Each use gets its own copy, as a
    paragraph carries where it is being drawn and how it is kept with what follows."""
    return _made(plain, style, width)


def _made(plain: str, style: ParagraphStyle, width: float | None) -> Paragraph:
    if width is not None:
        words = fit.too_wide(plain, style.fontName, style.fontSize, width)
        if words:
            style = _variant(style, (("hyphenationLang", fit.hyphenator_for(words)),))
    return _paragraph(plain, scripts.markup(plain, style.fontName == BOLD), style)


def _paragraph(plain: str, fragment: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph with what its text needs: shaping, CJK line breaks, right-to-left lines."""
    changes: dict[str, Any] = {}
    if scripts.needs_shaping(plain):
        changes["shaping"] = 1
    if scripts.has_cjk(plain) and not plain.isascii():
        cjk = sum(1 for c in plain if scripts.font_for(c) == scripts.CJK)
        if cjk * 2 >= len(plain.replace(" ", "")):
            changes["wordWrap"] = "CJK"  # Chinese and Japanese break between any two characters
    if fit.has_overlong_word(plain, style.fontName, style.fontSize):
        changes["splitLongWords"] = 1  # a "word" wider than the page: only then cut anywhere
    if changes:
        style = _variant(style, tuple(sorted(changes.items())))
    if scripts.rtl_base(plain) and "\n" not in plain.strip():
        return RightToLeft(plain, style)
    if getattr(style, "glossary", False) and (terms := glossary.terms_in(plain)):
        return Glossed(fragment, style, terms)
    return Text(fragment, style)


class Text(Paragraph):  # type: ignore[misc]
    """A paragraph that keeps its lines for each width it is set at.

    ReportLab breaks a paragraph's lines each time it is wrapped, and it is wrapped two or three
    times at one width (a kept heading is measured, then placed; a table measures its cells, then
    lays them out, then draws them): breaking lines is most of a document's layout. The lines
    depend only on the width, the style and the fragments, so the same three give the same lines;
    copies of one paragraph (see `para`) share them.
    """

    _lines: dict[float, tuple[Any, Any, Any, Any, Any, tuple[float, float]]]

    def __init__(
        self,
        text: str | None,
        style: ParagraphStyle,
        bulletText: Any = None,  # noqa: N803 - ReportLab passes it by this name
        **kwargs: Any,
    ) -> None:
        frags = kwargs.pop("frags", None)
        cleaned = None
        if frags is None and text is not None and not kwargs:
            cleaned, frags = plain_frags(text, style)
        super().__init__(text, style, bulletText, frags, **kwargs)
        if cleaned is not None:
            self.text = cleaned  # what ReportLab's own parse keeps
        self._lines = {}

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        laid = self._lines.get(availWidth)
        if (
            laid is not None
            and laid[0] is self.style
            and laid[1] is self.frags
            and laid[2] is self.bulletText
        ):
            # What ReportLab's wrap sets, as it set it (`split` may have dropped the lines).
            self.blPara, self._wrapWidths = laid[3], laid[4]
            self.width = availWidth
            self.height = laid[5][1]
            return laid[5]
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        if availWidth >= _FUZZ:  # else ReportLab laid out nothing
            self._lines[availWidth] = (
                self.style, self.frags, self.bulletText, self.blPara, self._wrapWidths, size
            )  # fmt: skip
        return size


def plain_frags(fragment: str, style: ParagraphStyle) -> tuple[str | None, list[Any] | None]:
    """The text and the one fragment ReportLab's parser makes of `fragment` when it holds no markup
    (no tag, no entity: most of what a document prints), made directly; (None, None) otherwise.

    The parser (an HTML parser, run for every paragraph) is the costly part of making one; for
    text with nothing to parse it yields one fragment in the style's font, and so does this.
    """
    if "<" in fragment or "&" in fragment:
        return None, None
    if "\xa0" in fragment or "\u200b" in fragment:
        text = cleanBlockQuotedText(fragment)
    else:  # what that gives for text without the two spaces it treats apart, done at C speed
        text = " ".join(fragment.split())
    if not text:
        return None, None
    name, bold, italic = ps2tt(style.fontName)
    # The attributes the parser's <para> fragment has (see ParaParser._initial_frag, handle_data).
    frag = ParaFrag(
        rise=0, greek=0, link=[], us_lines=[], __tag__="para", bold=bold, italic=italic,
        fontName=tt2ps(name, bold, italic), fontSize=style.fontSize,
        textColor=style.textColor, text=text,
    )  # fmt: skip
    frags = [frag]
    textTransformFrags(frags, style)
    return text, frags


class Glossed(Text):
    """A paragraph of a parents' copy that uses abbreviations: drawing it puts them in its page's
    glossary box."""

    def __init__(
        self,
        fragment: str | None,
        style: ParagraphStyle,
        terms: frozenset[str] = frozenset(),
        **kwargs: Any,
    ) -> None:
        # ReportLab's split makes each piece as `Glossed(None, style, bulletText=…, frags=…)`.
        super().__init__(fragment, style, **kwargs)
        self.terms = terms

    def draw(self) -> None:
        self.canv._sendesk_terms.update(self.terms)
        super().draw()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts = super().split(availWidth, availHeight)
        for piece in parts:  # a paragraph split over pages: both pages explain its terms
            if isinstance(piece, Paragraph):
                if not isinstance(piece, Glossed):
                    piece.__class__ = Glossed
                piece.terms = self.terms
        return list(parts)


@functools.cache
def _variant(style: ParagraphStyle, changes: tuple[tuple[str, Any], ...]) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-{len(changes)}", parent=style, **dict(changes))


class RightToLeft(Paragraph):  # type: ignore[misc]
    """A paragraph that starts right to left: broken into lines here, each line set from the right.

    Lines are chosen on the text in reading order, then each line's words are put in the order
    they are drawn, so the first words read are on the first line.
    """

    def __init__(self, plain: str | None, style: ParagraphStyle, **kwargs: Any) -> None:
        self._laid_for = -1.0
        if plain is None:
            # A piece ReportLab split off at a page's foot (`Paragraph.split` passes its laid
            # out lines as `frags`): its lines are already broken and ordered.
            self._plain = ""
            super().__init__(None, style, **kwargs)
            return
        self._plain = plain
        right = _variant(style, (("alignment", 2),))
        super().__init__(scripts.markup(plain, style.fontName == BOLD), right, **kwargs)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if availWidth != self._laid_for and self._plain:
            self._laid_for = availWidth
            lines = fit.break_lines(
                self._plain, self.style.fontName, self.style.fontSize, availWidth
            )
            bold = self.style.fontName == BOLD
            Paragraph.__init__(self, scripts.markup("\n".join(lines), bold), self.style)
        return super().wrap(availWidth, availHeight)  # type: ignore[no-any-return]


def rich(fragment: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of SENDesk's own markup; every user value in it must come through `markup`."""
    return Text(fragment, style)


def keep_with_next(flowable: Flowable) -> Flowable:
    """Mark `flowable` (a heading, a label, a question) to go on the page of what follows it."""
    flowable.keep_with_next_piece = True
    return flowable


def room_for(lines: float, s: Styles) -> CondPageBreak:
    """Start a new page unless `lines` lines of body text still fit."""
    return CondPageBreak(lines * s.body.leading)


def heading(text: str, s: Styles) -> list[Flowable]:
    return [keep_with_next(para(text, s.heading))]


def subheading(text: str, s: Styles) -> list[Flowable]:
    """A bold label over a table or list, kept off the foot of a page."""
    return [keep_with_next(para(text, s.label))]


def labelled(label: str, value: object, s: Styles, empty: str = "Not recorded") -> list[Flowable]:
    """A bold label over its (possibly long) text; "Not recorded" when nothing was written."""
    text = clean(value).strip()
    shown = para(text, s.body) if text else para(empty, s.small)
    return [keep_with_next(para(label, s.label)), shown]


def question(prompt: str, s: Styles, lines: int = 3) -> list[Flowable]:
    """A question and its ruled lines, never parted by a page break."""
    return [keep_with_next(para(prompt, s.label)), writing_space(s, lines)]


def writing_space(s: Styles, lines: int = 4, wide: bool = False) -> Table:
    """Ruled lines for a parent or pupil to write on."""
    height = s.body_size * 2.2
    table = Table([[""] for _ in range(lines)], colWidths=[s.frame_width(wide)], rowHeights=height)
    table.setStyle(
        TableStyle([("FONT", (0, 0), (-1, -1), FONT), ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE)])
    )
    return table


def signature_grid(
    who: Sequence[str], s: Styles, wide: bool = False, bare: bool = False
) -> Flowable:
    """Rows to sign in: who (SENDesk's own short labels), name, signature, date.

    Kept whole on one page; `bare` gives the table alone, for a caller that keeps it together with
    its heading and what comes before (ReportLab fails on a KeepTogether inside a KeepTogether).
    """
    width = s.frame_width(wide)
    header = ("Signed by", "Name", "Signature", "Date")
    first = max(fit.natural_width(w, s.cell.fontName, s.cell.fontSize) for w in [*who, header[0]])
    first = min(first + 2 * fit.PADDING, width * 0.34)
    rest = (width - first) / 3
    rows: list[list[object]] = [
        [para(h, s.cell_head) for h in header],
        *([para(w, s.cell), "", "", ""] for w in who),
    ]
    grid = Table(
        rows,
        colWidths=[first, rest * 1.1, rest * 1.1, rest * 0.8],
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
    return grid if bare else KeepTogether([grid])  # never a header row without its rows


# --- tables that never overflow and never split a word -------------------------------------------


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    s: Styles,
    wide: bool = False,
    roomy: Sequence[int] = (),
    optional: Sequence[int] = (),
) -> list[Flowable]:
    """A grid of plain-text cells, each column as wide as its content asks (see `fit.columns`).

    `roomy` columns get at least a quarter of the width (room to write by hand on a blank form).
    `optional` columns are left out when no row has anything in them (from the document review:
    an empty "Where and when" column took its share of the width and wrapped its heading over
    three lines).
    Rows that would take more than `ROW_SHARE` of a page are printed as labelled paragraphs
    between table segments, so any text a user typed flows across pages; so is the whole table
    when its words cannot fit side by side (large print, many columns).
    """
    if optional:
        header, rows, roomy = _without_empty(header, rows, roomy, optional)
    return _rows(header, rows, s, wide, show_header=True, roomy=roomy)


def _without_empty(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    roomy: Sequence[int],
    optional: Sequence[int],
) -> tuple[list[str], list[list[object]], list[int]]:
    """The table without those `optional` columns that are blank in every row."""
    empty = {i for i in optional if i < len(header) and all(not clean(r[i]).strip() for r in rows)}
    kept = [i for i in range(len(header)) if i not in empty]
    return (
        [header[i] for i in kept],
        [[row[i] for i in kept] for row in rows],
        [kept.index(i) for i in roomy if i in kept],
    )


def facts(rows: Sequence[tuple[str, object]], s: Styles) -> list[Flowable]:
    """Label-and-value pairs as a two-column grid with no header row."""
    return _rows(("", ""), rows, s, False, show_header=False, roomy=())


def _rows(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    s: Styles,
    wide: bool,
    show_header: bool,
    roomy: Sequence[int],
) -> list[Flowable]:
    frame_width, frame_height = s.wide_frame if wide else s.frame
    texts = [[clean(v) for v in row] for row in rows]
    col_widths = fit.columns(
        [list(header)] if show_header else [],
        texts,
        s.cell.fontName,
        s.cell_head.fontName,
        s.cell.fontSize,
        frame_width,
        first_bold=not show_header,
        roomy=roomy,
    )
    if col_widths is None:  # the words cannot stand side by side: one block per row
        return _stacked(header, texts, s, show_header)
    inner = [w - 2 * fit.PADDING for w in col_widths]
    head = (
        [para(h, s.cell_head, w) for h, w in zip(header, inner, strict=True)] if show_header else []
    )
    head_height = _tallest(head, col_widths, frame_height) if head else 0.0
    out: list[Flowable] = []
    pending: list[list[Paragraph]] = []
    first_height = [0.0]

    def flush() -> None:
        if pending:
            grid = _grid([head, *pending] if head else pending, col_widths, bool(head))
            grid.first_rows_height = head_height + first_height[0] + 14 * bool(head) + 7
            out.append(grid)
            out.append(Spacer(1, s.body_size * 0.6))
            pending.clear()

    for row in texts:
        cells = [
            para(v, s.cell_head if not head and i == 0 else s.cell, inner[i])
            for i, v in enumerate(row)
        ]
        tallest = _tallest(cells, col_widths, frame_height)
        if tallest + 8 <= frame_height * ROW_SHARE:
            if not pending:
                first_height[0] = tallest
            pending.append(cells)
            continue
        flush()
        out.extend(_stacked(header, [row], s, show_header))
    flush()
    return out


def _tallest(cells: Sequence[Paragraph], widths: Sequence[float], frame_height: float) -> float:
    return max(
        (
            c.wrap(w - 2 * fit.PADDING, frame_height * 10)[1]
            for c, w in zip(cells, widths, strict=True)
        ),
        default=0.0,
    )


def _stacked(
    header: Sequence[str], rows: Sequence[Sequence[str]], s: Styles, show_header: bool
) -> list[Flowable]:
    out: list[Flowable] = []
    for row in rows:
        if show_header:
            for label, value in zip(header, row, strict=True):
                out.extend(labelled(label or "Number", value, s, empty="—"))
        else:
            out.extend(labelled(str(row[0]), row[1], s, empty="—"))
        out.append(Spacer(1, s.body_size * 0.6))
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
                ("LEFTPADDING", (0, 0), (-1, -1), fit.PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), fit.PADDING),
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


@dataclass(frozen=True)
class Part:
    """One document of a print run: its story, the title at the top of its pages, and whether
    "DRAFT" is printed across every page."""

    story: list[Flowable]
    title: str
    draft: bool = False
    # Whom it is about, at the top of every page beside the title: a page come loose from a
    # print run still says which child it is about (from the document review).
    about: str = ""


class _StartPart(Flowable):  # type: ignore[misc]
    """Marks where a document of a print run begins; its pages are numbered from 1."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0.0, 0.0

    def draw(self) -> None:
        self.canv._sendesk_part = self.index


def frame_size(wide: bool = False) -> tuple[float, float]:
    """The width and height of the standard text frame."""
    width, height = page_size(wide)
    return width - 2 * MARGIN, height - HEADER_SPACE - FOOTER_SPACE - MARGIN


def too_tall_for_a_page(story: Sequence[Flowable], options: DocumentOptions) -> bool:
    """Whether `story` certainly needs more than one page: its pieces' heights alone overflow
    the frame (gaps only add to them). Far cheaper than laying out the pages to find out."""
    frame_w, frame_h = styles(options).frame
    total = 0.0
    for flowable in story:
        total += flowable.wrap(frame_w, frame_h)[1]
        if total > frame_h:
            return True
    return False


def render(
    story: list[Flowable],
    letterhead: Letterhead,
    options: DocumentOptions,
    title: str,
    wide: bool = False,
    draft: bool = False,
    about: str = "",
) -> bytes:
    """Lay out `story` on A4 pages with the letterhead and footer; the PDF's bytes. `about` (the
    pupil's name) is printed beside the title at the top of every page."""
    return render_many([Part(story, title, draft, about)], letterhead, options, title, wide)


def render_many(
    parts: Sequence[Part],
    letterhead: Letterhead,
    options: DocumentOptions,
    title: str,
    wide: bool = False,
) -> bytes:
    """Several documents laid out once, in one PDF: each starts on a new page, carries its own
    title and is numbered "Page n of N" on its own, so no pages are merged afterwards."""
    s = styles(options)
    size = page_size(wide)
    frame_w, frame_h = s.wide_frame if wide else s.frame
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
    bottom = FOOTER_SPACE + glossary_height(options)  # a parents' copy's glossary box below
    frame = Frame(
        MARGIN, bottom, frame_w, frame_h, leftPadding=0, rightPadding=0, topPadding=0,
        bottomPadding=0, id="text",
    )  # fmt: skip

    def on_page(canvas: Canvas, _doc: object) -> None:
        if s.page_colour is not None:
            canvas.saveState()
            canvas.setFillColor(s.page_colour)
            canvas.rect(0, 0, size[0], size[1], stroke=0, fill=1)
            canvas.restoreState()

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    flowables: list[Flowable] = []
    for index, part in enumerate(parts):
        if index:
            flowables.append(PageBreak())
        flowables.append(_StartPart(index))
        flowables.extend(_kept(part.story, frame_w, frame_h))
    heads = [(p.title, p.draft, p.about) for p in parts]
    doc.build(
        flowables, canvasmaker=_numbered_canvas(letterhead, heads, s, _logo(letterhead.logo_png))
    )
    return buffer.getvalue()


# --- keeping things together ---------------------------------------------------------------------


KEEP_SLACK = 8.0


def _kept(story: list[Flowable], width: float, height: float) -> list[Flowable]:
    """`story` with a conditional page break before each heading, label or question, so that it
    goes to the next page unless the first piece of what follows fits beneath it."""
    out: list[Flowable] = []
    for i, flowable in enumerate(story):
        if getattr(flowable, "keep_with_next_piece", False):
            need = _height(flowable, width, height) + _first_piece(story, i + 1, width, height)
            # A little to spare: a table will not split into a space it only just fills.
            out.append(CondPageBreak(min(need + KEEP_SLACK, height * 0.9)))
        out.append(flowable)
    return out


def _height(flowable: Flowable, width: float, height: float) -> float:
    if isinstance(flowable, KeepTogether):  # it wraps only on a canvas: measure what it holds
        return sum(_height(f, width, height) for f in flowable._content)
    _, h = flowable.wrap(width, height)
    return float(h + flowable.getSpaceBefore() + flowable.getSpaceAfter())


def _first_piece(story: list[Flowable], start: int, width: float, height: float) -> float:
    """The height of what must follow a heading onto its page: the next paragraph's first lines,
    a table's header and first row, or the whole of a small table (a question's writing lines)."""
    total = 0.0
    for flowable in story[start:]:
        if isinstance(flowable, (Spacer, CondPageBreak)):
            total += flowable.height if isinstance(flowable, Spacer) else 0.0
            continue
        if getattr(flowable, "keep_with_next_piece", False):
            return (
                total
                + _height(flowable, width, height)
                + _first_piece(story, story.index(flowable) + 1, width, height)
            )
        if isinstance(flowable, KeepTogether):  # it moves whole: the heading goes with it
            return total + min(_height(flowable, width, height), height * 0.8)
        if isinstance(flowable, Table):
            first = getattr(flowable, "first_rows_height", None)
            whole = first if first is not None else _height(flowable, width, height)
            return total + min(whole, height * 0.8)
        if isinstance(flowable, Paragraph):
            whole = _height(flowable, width, height)
            return total + min(whole, float(flowable.style.leading) * 3)
        return total + min(_height(flowable, width, height), height / 3)
    return total


# --- the letterhead and footer -------------------------------------------------------------------


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
    """`text` cut after a whole word with an ellipsis to fit `width` on one line."""
    words = scripts.printable(clean(text)).split()
    text = " ".join(words)
    if pdfmetrics.stringWidth(text, font, points) <= width:
        return text
    while len(words) > 1 and pdfmetrics.stringWidth(" ".join(words) + " …", font, points) > width:
        words.pop()
    return " ".join(words) + " …"


@functools.cache
def _title_style(size: float) -> ParagraphStyle:
    return ParagraphStyle(
        f"letterhead-{size}", fontName=FONT, fontSize=size, leading=size * 1.2, alignment=2
    )  # 2: right-aligned


def _draw_title(canvas: Canvas, text: str, size: float, room: float, baseline: float) -> None:
    """The page's title, set right-aligned on `baseline` as a paragraph is, so a pupil's name in
    any script is shaped and in its own font (drawn as a plain string, an Arabic name was
    printed with its letters unjoined and in reverse)."""
    title = para(text, _title_style(size))
    _, height = title.wrap(room, size * 4)
    title.drawOn(canvas, canvas._pagesize[0] - MARGIN - room, baseline - height + size)


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
    top = height - MARGIN
    x = MARGIN
    if logo is not None:
        logo_w, logo_h = logo.getSize()
        scale = min(LOGO_HEIGHT / logo_h, LOGO_MAX_WIDTH / logo_w)
        drawn_w, drawn_h = logo_w * scale, logo_h * scale
        canvas.drawImage(logo, x, top - drawn_h, drawn_w, drawn_h, mask="auto")
        x += drawn_w + 4 * mm
    name_size = max(min(14.0, s.body_size + 2), s.least)
    title_size = max(min(12.0, s.body_size), s.least)
    room = width - MARGIN - x
    title_text = " ".join(scripts.printable(clean(title)).split())
    title_w = pdfmetrics.stringWidth(title_text, FONT, title_size)
    school = " ".join(scripts.printable(clean(letterhead.school_name)).split())
    name_w = pdfmetrics.stringWidth(school, BOLD, name_size)
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, name_size)
    if name_w + title_w + 6 * mm <= room:  # the name and the title side by side
        baseline = top - LOGO_HEIGHT / 2 - name_size / 3
        canvas.drawString(x, baseline, school)
        _draw_title(canvas, title_text, title_size, width - MARGIN - x - name_w, baseline)
    else:  # the title on a line of its own under the name (large print)
        baseline = top - name_size * 0.8
        canvas.drawString(x, baseline, _fit(school, BOLD, name_size, room))
        below = baseline - title_size * 1.25
        _draw_title(canvas, _fit(title_text, FONT, title_size, room), title_size, room, below)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    rule_y = top - LOGO_HEIGHT - 2.5 * mm
    canvas.line(MARGIN, rule_y, width - MARGIN, rule_y)
    canvas.restoreState()


def _draw_draft(canvas: Canvas, size: tuple[float, float]) -> None:
    """ "DRAFT" across the page, light enough to read the text through."""
    canvas.saveState()
    canvas.setFillColor(colors.HexColor("#B00020"))
    canvas.setFillAlpha(0.13)
    canvas.setFont(BOLD, 110)
    canvas.translate(size[0] / 2, size[1] / 2)
    canvas.rotate(40)
    canvas.drawCentredString(0, -40, "DRAFT")
    canvas.restoreState()


def _draw_glossary(canvas: Canvas, size: tuple[float, float], terms: set[str], s: Styles) -> None:
    """The box that explains each abbreviation used on the page (a parents' copy)."""
    points = glossary_size(s.options)
    leading = points * 1.3
    entries = glossary.lines(terms)
    box_w = size[0] - 2 * MARGIN
    columns = 1 if len(entries) <= GLOSSARY_ROWS or s.options.large_print else 2
    per_column = GLOSSARY_ROWS * columns
    if len(entries) > per_column:
        entries = [*entries[: per_column - 1], "… and more: ask the school"]
    bottom = FOOTER_SPACE + 2
    height = glossary_height(s.options) - 6
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setFillColor(SHADE)
    canvas.roundRect(MARGIN, bottom, box_w, height, 4, stroke=1, fill=1)
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, points)
    top = bottom + height - leading
    canvas.drawString(MARGIN + 6, top, clean("Words on this page"))
    canvas.setFont(FONT, points)
    column_w = (box_w - 12) / columns
    for i, entry in enumerate(entries):
        column, row = divmod(i, GLOSSARY_ROWS)
        text = _fit(entry, FONT, points, column_w - 6)
        canvas.drawString(MARGIN + 6 + column * column_w, top - leading * (row + 1), text)
    canvas.restoreState()


def _numbered_canvas(
    letterhead: Letterhead,
    heads: Sequence[tuple[str, bool, str]],
    s: Styles,
    logo: ImageReader | None,
) -> type[Canvas]:
    """A canvas that writes each page's letterhead and "Page n of N" once it knows N (pages are
    kept until `save`); N counts the pages of the page's own document in a print run."""
    foot_size = max(min(11.0, s.body_size - 2), s.least)
    printed_on = letterhead.printed_on

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self._sendesk_part = 0
            self._sendesk_terms: set[str] = set()

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._sendesk_terms = set()
            self._startPage()

        def save(self) -> None:
            totals: dict[int, int] = {}
            for state in self._pages:
                totals[state["_sendesk_part"]] = totals.get(state["_sendesk_part"], 0) + 1
            seen: dict[int, int] = {}
            for state in self._pages:
                part = state["_sendesk_part"]
                seen[part] = seen.get(part, 0) + 1
                self.__dict__.update(state)
                title, draft, about = heads[part]
                if draft:
                    _draw_draft(self, self._pagesize)
                # The name first: on a narrow header the end is what is cut short.
                shown = " · ".join(x for x in (about, title, "DRAFT" if draft else "") if x)
                _draw_letterhead(self, self._pagesize, letterhead, shown, logo, s)
                if state["_sendesk_terms"]:
                    _draw_glossary(self, self._pagesize, state["_sendesk_terms"], s)
                self._footer(seen[part], totals[part])
                super().showPage()
            super().save()

        def _footer(self, number: int, total: int) -> None:
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
            self.drawRightString(width - MARGIN, y, f"Page {number} of {total}")
            self.restoreState()

    return NumberedCanvas
