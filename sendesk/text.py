"""Text folding for search: case and accents ignored, so "zoe" finds Zoë and "lukasz" Łukasz."""

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
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_EXTRA)


def search_key(*parts: str | None) -> str:
    """The folded words of a record, space separated, for substring search."""
    return " ".join(fold(p) for p in parts if p)


def search_terms(query: str) -> list[str]:
    return [fold(t) for t in query.split() if t]
