"""Column widths from the content, so no word is ever split mid-word.

A column is at least as wide as its widest unbreakable piece: a date, a UPN, a number or a name
whole; a long word as the wider half of its best British English hyphenation point (pyphen's
en_GB patterns, the same ReportLab uses to hyphenate the paragraph). What is left of the width is
shared out by how much text each column holds. When even the narrowest columns do not fit side
by side, `columns` says so and the table is printed as blocks of paragraphs instead.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

import pyphen  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped, unused-ignore]

from sendesk.documents import scripts

PADDING = 4.0  # a cell's left and right padding (points)
SLACK = 1.5  # measured widths are of the main font; a fallback font's may differ a little
ROOMY_SHARE = 0.25
HYPHENATE_FROM = 5  # ReportLab hyphenates words of at least this many letters
# ReportLab hyphenates only words made of letters; anything with a digit, slash or @ stays whole.
_LETTERS = re.compile(r"^[^\W\d_]+$")
_OVERLONG = 420.0  # a "word" wider than this (points) is no word: it may be cut anywhere


@functools.cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB")


_PREFIX = re.compile("^['\"([{\xbf\u2018\u201a\u201c\u201e]+")
_SUFFIX = re.compile("[]'\")}?!.,;:\u2019\u201b\u201d\u201f]+$")


def split_points(word: str) -> list[tuple[str, str]]:
    """Where `word` may be hyphenated: (head, tail) pairs, longest head first, with any
    punctuation around the word kept on its side (as ReportLab does)."""
    prefix = m.group(0) if (m := _PREFIX.match(word)) else ""
    suffix = m.group(0) if (m := _SUFFIX.search(word[len(prefix) :])) else ""
    core = word[len(prefix) : len(word) - len(suffix)]
    if len(core) < HYPHENATE_FROM or not _LETTERS.match(core):
        return []
    return [(prefix + h, t + suffix) for h, t in _hyphenator().iterate(core)]


@functools.cache
def hyphenator_for(words: frozenset[str]) -> Callable[[str], list[tuple[str, str]]]:
    """A ReportLab hyphenator that breaks only `words` (those wider than their column), so no
    other word is ever hyphenated."""

    def hyphenate(word: str) -> list[tuple[str, str]]:
        return list(_hyphenator().iterate(word)) if word in words else []

    return hyphenate


def too_wide(text: str, font: str, size: float, width: float) -> frozenset[str]:
    """The words of `text` (without the punctuation around them) wider than `width`."""
    found = set()
    for word in text.split():
        if _width(word, font, size) > width:
            prefix = m.group(0) if (m := _PREFIX.match(word)) else ""
            suffix = m.group(0) if (m := _SUFFIX.search(word[len(prefix) :])) else ""
            found.add(word[len(prefix) : len(word) - len(suffix)])
    return frozenset(found)


def _width(text: str, font: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, font, size))


@functools.cache
def word_width(word: str, font: str, size: float, hyphenate: bool = True) -> float:
    """The narrowest a column may be for `word`: whole, or the wider part of its best split."""
    whole = _width(word, font, size)
    if not word.isascii() and any(scripts.font_for(c) == scripts.CJK for c in word):
        return max(_width(c, font, size) for c in word)  # CJK breaks between any two characters
    best = whole
    for head, tail in split_points(word) if hyphenate else ():
        best = min(best, max(_width(head + "-", font, size), _width(tail, font, size)))
    return best + SLACK


def least_width(text: str, font: str, size: float, hyphenate: bool = True) -> float:
    return max((word_width(w, font, size, hyphenate) for w in text.split()), default=0.0)


def natural_width(text: str, font: str, size: float) -> float:
    """The width of `text` set on lines of its own, unwrapped."""
    return max((_width(line, font, size) for line in text.split("\n")), default=0.0) + SLACK


def has_overlong_word(text: str, font: str, size: float) -> bool:
    """Whether `text` (as printed, markers and all) has a "word" too wide for any page."""
    shortest = _OVERLONG / (size * 1.4)  # no character is wider than this share of the size
    printed = scripts.printable(text)
    return any(_width(w, font, size) > _OVERLONG for w in printed.split() if len(w) > shortest)


def columns(
    header: Sequence[Sequence[str]],
    rows: Sequence[Sequence[str]],
    font: str,
    bold: str,
    size: float,
    width: float,
    first_bold: bool = False,
    roomy: Sequence[int] = (),
) -> list[float] | None:
    """Each column's width (they add up to `width`), or None when the words cannot fit.

    Whole words are kept whole when they can all stand side by side; only when they cannot is a
    long word allowed to be hyphenated.
    """
    for hyphenate in (False, True):
        found = _columns(header, rows, font, bold, size, width, first_bold, roomy, hyphenate)
        if found is not None:
            return found
    return None


def _columns(
    header: Sequence[Sequence[str]],
    rows: Sequence[Sequence[str]],
    font: str,
    bold: str,
    size: float,
    width: float,
    first_bold: bool,
    roomy: Sequence[int],
    hyphenate: bool,
) -> list[float] | None:
    count = len(header[0]) if header else (len(rows[0]) if rows else 0)
    if count == 0:
        return []
    least = [0.0] * count
    natural = [0.0] * count
    for line in header:
        for i, text in enumerate(line):
            least[i] = max(least[i], least_width(text, bold, size, hyphenate))
            natural[i] = max(natural[i], least_width(text, bold, size, False))
    for row in rows:
        for i, text in enumerate(row):
            face = bold if first_bold and i == 0 else font
            least[i] = max(least[i], least_width(text, face, size, hyphenate))
            natural[i] = max(natural[i], natural_width(text, face, size))
    for i in roomy:
        natural[i] = max(natural[i], width * ROOMY_SHARE)
    least = [w + 2 * PADDING for w in least]
    natural = [max(n + 2 * PADDING, m) for n, m in zip(natural, least, strict=True)]
    if sum(least) > width:
        return None
    if sum(natural) <= width:
        extra = width - sum(natural)
        return [n + extra * n / sum(natural) for n in natural]
    spare = width - sum(least)
    wants = [n - m for n, m in zip(natural, least, strict=True)]
    return [m + spare * w / sum(wants) for m, w in zip(least, wants, strict=True)]


def break_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` broken into lines no wider than `width`, in reading order (for right-to-left)."""
    lines: list[str] = []
    room = width - SLACK * 4
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and _printed_width(candidate, font, size) > room:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def _printed_width(text: str, font: str, size: float) -> float:
    total = 0.0
    for char in text:
        face = scripts.font_for(char) or font
        total += _width(char, font if face == scripts.FONT else face, size)
    return total
