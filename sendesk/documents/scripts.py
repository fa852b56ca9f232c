"""Every script a family's name can be written in, printed with its own letters.

DejaVu Sans prints Latin, Greek, Cyrillic, Hebrew and most Arabic letters. A character it lacks is
printed in the first bundled fallback font that has it (Noto Sans Arabic for Urdu's letters and a
matching Arabic design, Noto Sans for the Indic scripts, Thai and Ethiopic, Droid Sans Fallback for
Chinese, Japanese and Korean). Arabic and the Indic scripts need their letters joined and
reordered: such paragraphs are shaped by HarfBuzz (ReportLab's `shaping`, through uharfbuzz).
Right-to-left words are put in visual order here, a line at a time, because ReportLab's own bidi
support needs a library that is not on PyPI. A character no font has (an emoji, mostly) is printed
as a visible marker in brackets, "[grinning face]", never as an empty box; so is any character
beyond U+FFFF, which ReportLab's text layer cannot name.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped, unused-ignore]

from sendesk.resources import resource_path

FONT = "SENDeskSans"
BOLD = "SENDeskSans-Bold"
MAIN_FILES = {FONT: "fonts/DejaVuSans.ttf", BOLD: "fonts/DejaVuSans-Bold.ttf"}


@dataclass(frozen=True)
class Fallback:
    regular: str  # the ReportLab font name
    file: str
    bold_file: str | None = None  # else the regular face is used in bold text too
    shaped: bool = False  # needs HarfBuzz to join or reorder its letters

    @property
    def bold(self) -> str:
        return f"{self.regular}-Bold" if self.bold_file else self.regular


FALLBACKS = (
    Fallback(
        "SENDeskArabic", "fonts/NotoSansArabic-Regular.ttf", "fonts/NotoSansArabic-Bold.ttf", True
    ),
    Fallback("SENDeskDevanagari", "fonts/NotoSansDevanagari-Regular.ttf", shaped=True),
    Fallback("SENDeskBengali", "fonts/NotoSansBengali-Regular.ttf", shaped=True),
    Fallback("SENDeskGurmukhi", "fonts/NotoSansGurmukhi-Regular.ttf", shaped=True),
    Fallback("SENDeskGujarati", "fonts/NotoSansGujarati-Regular.ttf", shaped=True),
    Fallback("SENDeskTamil", "fonts/NotoSansTamil-Regular.ttf", shaped=True),
    Fallback("SENDeskThai", "fonts/NotoSansThai-Regular.ttf", shaped=True),
    Fallback("SENDeskEthiopic", "fonts/NotoSansEthiopic-Regular.ttf"),
    Fallback("SENDeskCJK", "fonts/DroidSansFallback.ttf"),
)
CJK = "SENDeskCJK"
# Joiners and variation selectors only steer how an emoji looks: dropped with it.
_INVISIBLE = {"\u200d", "\ufe0e", "\ufe0f", "\u20e3"}
_RTL = {"R", "AL"}
_TRAILING = ".,;:!?)]"


def register() -> None:
    """Register the main font with ReportLab (once per process); each fallback is registered
    when a text first needs it (see `font_for`)."""
    _faces()
    _shape_once()


@functools.cache
def _shape_once() -> None:
    """ReportLab shapes a paragraph's words again each time it is wrapped (a table measures its
    cells, then lays them out), and HarfBuzz refuses text it has shaped before: a word already
    shaped is kept as it is."""
    from reportlab.pdfbase.ttfonts import (  # type: ignore[import-untyped, unused-ignore]
        ShapedStr,
        makeShapedFragWord,
    )
    from reportlab.platypus import paragraph  # type: ignore[import-untyped, unused-ignore]

    shape = paragraph.shapeFragWord

    def shape_once(word: Any, *args: Any, **kwargs: Any) -> Any:
        if any(isinstance(text, ShapedStr) for _, text in word[1:]):
            return word
        groups = _font_groups(word[1:])
        if len(groups) < 2:
            return shape(word, *args, **kwargs)
        # ReportLab shapes a whole word with its first font and then reads the glyphs of the
        # rest in their own fonts (printing other letters, or failing): a word that changes font,
        # "محمدa", is shaped a font at a time.
        width, pieces, changed = 0.0, [], False
        for group in groups:
            part = [_width(group), *group]
            shaped = shape(part, *args, **kwargs)
            changed = changed or shaped is not part
            width += shaped[0]
            pieces.extend(shaped[1:])
        return makeShapedFragWord(word)([width, *pieces]) if changed else word

    paragraph.shapeFragWord = shape_once


def _font_groups(frags: list[Any]) -> list[list[Any]]:
    """A word's (style, text) pieces in runs of one font; a link or image stays with its run."""
    groups: list[list[Any]] = []
    current = None
    for piece in frags:
        style = piece[0]
        name = None if hasattr(style, "cbDefn") else style.fontName
        if not groups or (name is not None and current is not None and name != current):
            groups.append([])
        if name is not None:
            current = name
        groups[-1].append(piece)
    return groups


def _width(frags: list[Any]) -> float:
    return float(
        sum(
            pdfmetrics.stringWidth(text, style.fontName, style.fontSize)
            for style, text in frags
            if not hasattr(style, "cbDefn")
        )
    )


@functools.cache
def _faces() -> dict[str, frozenset[int]]:
    """The main font's characters, by its name; the main faces registered (once)."""
    covered: dict[str, frozenset[int]] = {}
    for name, path in MAIN_FILES.items():
        font = TTFont(name, str(resource_path(path)))
        font.shapable = True
        pdfmetrics.registerFont(font)
        covered[name] = frozenset(font.face.charToGlyph)
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    return covered


@functools.cache
def _fallback_face(fb: Fallback) -> frozenset[int]:
    """A fallback's characters, the fallback registered the first time a text needs one: most
    documents print no letter DejaVu lacks, and reading the fallbacks (CJK's is 3.4 MB) is
    most of registering the fonts."""
    font = TTFont(fb.regular, str(resource_path(fb.file)))
    pdfmetrics.registerFont(font)
    if fb.bold_file:
        pdfmetrics.registerFont(TTFont(fb.bold, str(resource_path(fb.bold_file))))
    bold = fb.bold
    pdfmetrics.registerFontFamily(
        fb.regular, normal=fb.regular, bold=bold, italic=fb.regular, boldItalic=bold
    )
    return frozenset(font.face.charToGlyph)


def _covers(font: str, char: str) -> bool:
    if font in MAIN_FILES:
        return ord(char) in _faces()[font]
    return ord(char) in _fallback_face(next(fb for fb in FALLBACKS if fb.regular == font))


@functools.cache
def font_for(char: str) -> str | None:
    """The font that prints `char`: FONT, a fallback's name, or None when no font has it."""
    main = _faces()[FONT]
    code = ord(char)
    if code in main and not _prefer_fallback(char):
        return FONT
    for fb in FALLBACKS:
        if code in _fallback_face(fb):
            return fb.regular
    return FONT if code in main else None


def _prefer_fallback(char: str) -> bool:
    # DejaVu has most Arabic letters but not all of Urdu's: one Arabic font for a whole word keeps
    # its letters joined and alike.
    return "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" or char >= "\ufb50"


def marker(char: str) -> str:
    """What prints instead of a character no bundled font has: its name, in brackets."""
    name = unicodedata.name(char, "")
    return f"[{name.lower()}]" if name else "[?]"


def printable(text: str) -> str:
    """`text` with every character no font has replaced by its visible marker."""
    if text.isascii():
        return text  # the main font has every ASCII character
    return _NON_ASCII.sub(lambda found: _printable(found.group()), text)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@functools.cache
def _printable(char: str) -> str:
    if char in _INVISIBLE:
        return ""
    # ReportLab's text layer cannot name a character beyond U+FFFF (most emoji): a reader
    # would copy some other letter, so those print as their marker too.
    if ord(char) <= 0xFFFF and (unicodedata.category(char) in ("Mn", "Me") or font_for(char)):
        return char
    return marker(char)


def rtl_base(text: str) -> bool:
    """True when the first letter with a direction is right to left (an Arabic sentence)."""
    if text.isascii():
        return False
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _RTL:
            return True
        if kind == "L":
            return False
    return False


def _strong(word: str) -> str:
    for char in word:
        kind = unicodedata.bidirectional(char)
        if kind in _RTL:
            return "R"
        if kind == "L":
            return "L"
    return "N"


def visual_line(line: str) -> str:
    """One printed line's words in the order they are drawn, left to right.

    HarfBuzz orders the letters inside each word; here runs of right-to-left words are reversed,
    and a line that starts right to left is laid out from the right.
    """
    words = line.split(" ")
    kinds = [_strong(w) for w in words]
    if "R" not in kinds:
        return line
    base = "R" if rtl_base(line) else "L"
    # Neutral words (numbers, dashes) between two words of one direction take that direction;
    # elsewhere they take the line's.
    resolved = list(kinds)
    for i, kind in enumerate(kinds):
        if kind == "N":
            before = next((k for k in reversed(kinds[:i]) if k != "N"), base)
            after = next((k for k in kinds[i + 1 :] if k != "N"), base)
            resolved[i] = before if before == after else base
    runs: list[list[str]] = []
    last = ""
    for word, kind in zip(words, resolved, strict=True):
        if kind != last:
            runs.append([])
            last = kind
        runs[-1].append(word)
    ordered = []
    for run in runs:
        if _strong(" ".join(run)) != "R":
            ordered.append(run)
            continue
        # HarfBuzz puts the letters of a shaped word (Arabic) in drawing order; a right-to-left
        # word no shaped font draws (Hebrew, in the main font) has them reversed here.
        flipped = [w if needs_shaping(w) else _drawn_right_to_left(w) for w in reversed(run)]
        if base == "L":
            # A comma or full stop after the run belongs to the left-to-right sentence around it.
            last = flipped[0]
            core = last.rstrip(_TRAILING)
            if core and core != last:
                flipped[0] = core
                flipped[-1] += last[len(core) :]
        ordered.append(flipped)
    if base == "R":
        ordered.reverse()
    return " ".join(w for run in ordered for w in run)


_MIRRORED = str.maketrans("()[]{}<>«»", ")(][}{><»«")


def _drawn_right_to_left(word: str) -> str:
    """A word's letters in the order they are drawn, left to right: each letter kept with the
    marks that follow it (Hebrew points), brackets turned to face the way they read."""
    clusters: list[str] = []
    for char in word:
        if clusters and unicodedata.combining(char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return "".join(reversed(clusters)).translate(_MIRRORED)


def needs_shaping(text: str) -> bool:
    if text.isascii():
        return False
    return any(
        font_for(c) in _SHAPED for c in text if not c.isascii() and unicodedata.category(c) != "Zs"
    )


def has_cjk(text: str) -> bool:
    if text.isascii():
        return False
    return any(font_for(c) == CJK for c in text if not c.isascii())


_SHAPED = frozenset(fb.regular for fb in FALLBACKS if fb.shaped)


def _runs(text: str) -> Iterator[tuple[str, str]]:
    """(font, text) pieces; spaces and combining marks stay with the letters before them."""
    current, piece = FONT, ""
    for char in text:
        if piece and (char == " " or unicodedata.category(char) in ("Mn", "Me")):
            piece += char
            continue
        if piece and current != FONT and not char.isalnum() and _covers(current, char):
            # Punctuation next to Arabic stays in its font: HarfBuzz shapes a word in one font,
            # and a full stop in another would print as some other letter.
            piece += char
            continue
        font = FONT if char.isascii() else (font_for(char) or FONT)
        if font != current and piece:
            yield current, piece
            piece = ""
        current = font
        piece += char
    if piece:
        yield current, piece


def markup(text: str, bold: bool = False) -> str:
    """Plain `text` as ReportLab paragraph markup: escaped, each script in its font, RTL ordered.

    `text` must already be clean (see `style.clean`); line breaks become <br/>.
    """
    if text.isascii():
        return escape(text).replace("\n", "<br/>")
    lines = printable(text).split("\n")
    out = []
    for line in lines:
        parts = []
        for font, piece in _runs(visual_line(line)):
            if font == FONT:
                parts.append(escape(piece))
            else:
                fb = next(f for f in FALLBACKS if f.regular == font)
                parts.append(
                    f'<font name="{fb.bold if bold else fb.regular}">{escape(piece)}</font>'
                )
        out.append("".join(parts))
    return "<br/>".join(out)
