"""Text rules: folding for search (case and accents ignored, so "zoe" finds Zoë), and the
one rule for characters that may not be stored or printed (controls, direction overrides)."""

from __future__ import annotations

import unicodedata

# Letters that carry no combining mark to strip.
_EXTRA = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ı": "i",
        "æ": "ae",
    }
)


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # Marks and the joiners (which show as nothing) ignored: "zoe" finds Zoë.
    bare = "".join(
        c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )
    return bare.translate(_EXTRA)


def search_key(*parts: str | None) -> str:
    """The folded words of a record, space separated, for substring search."""
    return " ".join(fold(p) for p in parts if p)


def search_terms(query: str) -> list[str]:
    return [fold(t) for t in query.split() if t]


# --- hostile characters ------------------------------------------------------------------------
# Control characters drive a terminal (ESC[2J clears it) and bidirectional overrides and isolates
# make text display in an order other than it is stored, so one name can pass for another.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f"  # Arabic letter mark, left-to-right and right-to-left marks
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, pop, overrides
    "\u2066\u2067\u2068\u2069"  # isolates
)
_FREE_TEXT_KEEPS = frozenset("\n\t")
# Characters that show as nothing, so that "Zero\u200bWidth" looks like "ZeroWidth" but is never
# found by it (from the fault trial): format characters, but for the two joiners some scripts
# spell with (Persian, the Indic scripts), and the fillers and the grapheme joiner, which are
# letters or marks that draw nothing.
_JOINERS = frozenset("\u200c\u200d")
_INVISIBLE = frozenset("\u034f\u115f\u1160\u3164\uffa0\u180e")


def is_unsafe(char: str, free_text: bool = False) -> bool:
    """Whether a character may not be stored: the one rule for every way text comes in.

    Names (one line) may hold no control character at all, nor one that shows as nothing; free
    text keeps its line breaks and tabs. Neither may hold a bidirectional override, embedding,
    isolate or mark.
    """
    if free_text and char in _FREE_TEXT_KEEPS:
        return False
    kind = unicodedata.category(char)
    if not free_text and (char in _INVISIBLE or (kind == "Cf" and char not in _JOINERS)):
        return True
    return char in _BIDI_CONTROLS or kind in ("Cc", "Zl", "Zp")


def _code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def name_problem(text: str | None, label: str) -> str | None:
    """Why a name (or other one-line field) is refused, or None: names are never altered."""
    found = sorted({c for c in text or "" if is_unsafe(c)})
    if not found:
        return None
    return (
        f"{label} holds a hidden control, invisible or text-direction character "
        f"({', '.join(_code_point(c) for c in found)}), which can make it display as something "
        "else; type it again without it."
    )


def clean_free_text(text: str) -> str:
    """Free text with its unsafe characters removed; Windows and old Mac line ends become \\n."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if not is_unsafe(c, free_text=True))


def for_terminal(text: str) -> str:
    """Text safe to print or show: an unsafe character appears as its code point, never raw.

    For the command line's output, and for the app where it shows text it has not checked yet
    (the cells of a file being imported)."""
    return "".join(f"<{_code_point(c)}>" if is_unsafe(c) else c for c in text)


def in_column(text: str, width: int) -> str:
    """`text` in a terminal column `width` characters wide, ending in '…' where it was cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


SCHOOL_NAME_LONGEST = 200  # the column's size


def school_name_problem(name: str) -> str | None:
    """Why a school's name is refused, or None (from the fault trial: a name holding a terminal's
    escape codes, or 3,000 characters long, was taken)."""
    if not name.strip():
        return "Give the school's name."
    if len(name.strip()) > SCHOOL_NAME_LONGEST:
        return f"Keep the school's name to {SCHOOL_NAME_LONGEST} characters."
    return name_problem(name, "The school's name")
