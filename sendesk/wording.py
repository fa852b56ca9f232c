"""How numbers and codes read in sentences people see: "1 session", "2 sessions"; "the SEN
support review" (never "sen support review"); no doubled full stops."""

from __future__ import annotations

import re

# Plurals that are not the noun with an "s" on the end.
_IRREGULAR = {
    "child": "children",
    "person": "people",
    "was": "were",
    "is": "are",
    "has": "have",
    "entry": "entries",
    "copy": "copies",
    "reply": "replies",
    "category": "categories",
    "class": "classes",
}


def plural_of(noun: str) -> str:
    """The plural of the last word of `noun` ("review meeting" -> "review meetings")."""
    head, _, last = noun.rpartition(" ")
    many = _IRREGULAR.get(last) or (last[:-1] + "ies" if _consonant_y(last) else last + "s")
    return f"{head} {many}" if head else many


def _consonant_y(word: str) -> bool:
    return len(word) > 1 and word.endswith("y") and word[-2] not in "aeiou"


def plural(count: int, noun: str, many: str | None = None) -> str:
    """ "1 session", "0 sessions", "2 sessions"; `many` when the plural is not regular."""
    return f"{count:,} {noun if count == 1 else many or plural_of(noun)}"


def in_sentence(label: str) -> str:
    """A label ("Initial concern meeting", "SEN support review") as it reads mid-sentence:
    the first letter lower case, unless the first word is an abbreviation (SEN, EHC, CAMHS)."""
    first = label.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return label
    return label[:1].lower() + label[1:]


_DOUBLED = re.compile(r"([.!?,;:])\s*\1+")
_STOP_AFTER_MARK = re.compile(r"([!?])\.")


def tidy(text: str) -> str:
    """No doubled punctuation ("Done.." or "Check: ." becomes "Done." or "Check:"), none
    after a question or exclamation mark, and an ellipsis (…) left alone."""
    text = _DOUBLED.sub(r"\1", text)
    text = _STOP_AFTER_MARK.sub(r"\1", text)
    return re.sub(r"([:;,])\s*\.", r"\1", text)
