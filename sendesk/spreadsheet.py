"""A cell of a CSV that SENDesk writes, as a spreadsheet will take it: never as a formula."""

from __future__ import annotations

import re

# What a spreadsheet reads as the start of a formula (a tab or a return can hide one).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A plain signed number ("+4.5", "-3", "-10%") is read as that number, so it is left as it is.
_SIGNED_NUMBER = re.compile(r"[+-]\d+(?:\.\d+)?%?")


def safe_cell(text: str) -> str:
    """`text` with a leading apostrophe where a spreadsheet would run it as a formula
    (SENDesk's importers take the apostrophe off again)."""
    if text.startswith(_FORMULA_START) and not _SIGNED_NUMBER.fullmatch(text):
        return "'" + text
    return text


def unquoted(cell: str) -> str:
    """A cell read back, without the apostrophe `safe_cell` put before a formula's first
    character (also where an earlier SENDesk put one before a signed number)."""
    text = cell.strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text
