"""Attendance per term, as a school's MIS reports it: sessions possible and sessions attended.

A session is a morning or an afternoon. The percentage is worked out here, once, never stored:
attended over possible, to one decimal place. The DfE counts a pupil who misses 10% or more of
their possible sessions as persistently absent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sendesk.school_year import school_year_start
from sendesk.school_year import year_label as year_label  # the one label of a school year

# The three terms of the school year, in order.
TERMS: dict[str, str] = {"autumn": "Autumn", "spring": "Spring", "summer": "Summer"}
# The DfE's persistent absence: 10% or more of the possible sessions missed, so a pupil who
# attends exactly 90% is persistently absent (from the document review: 108 of 120 was not flagged).
PERSISTENT_ABSENCE_MISSED = 10  # percent of possible sessions
MOST_SESSIONS = 400  # more than any term holds (two a day): a typing slip, not a term's figures


@dataclass(frozen=True)
class TermFigures:
    """One term's figures as the MIS reports them."""

    school_year: int  # the year it starts in: 2025 for 2025/26
    term: str  # a key of TERMS
    sessions_possible: int
    sessions_attended: int

    def values(self) -> dict[str, Any]:
        """The figures a user edits, by the names of their columns."""
        return {
            "sessions_possible": self.sessions_possible,
            "sessions_attended": self.sessions_attended,
        }


def percent(attended: int, possible: int) -> float | None:
    """Sessions attended as a percentage of those possible, to one decimal place."""
    if possible <= 0:
        return None
    return round(100 * attended / possible, 1)


def persistently_absent(attended: int, possible: int) -> bool:
    """Missed at least `PERSISTENT_ABSENCE_MISSED`% of the possible sessions, worked out in
    whole sessions (not from the rounded percentage, which would put 89.96% at 90.0%)."""
    return possible > 0 and (possible - attended) * 100 >= PERSISTENT_ABSENCE_MISSED * possible


PERSISTENT_ABSENCE_WORDS = (
    f"Missing {PERSISTENT_ABSENCE_MISSED}% or more of the possible sessions (attending "
    f"{100 - PERSISTENT_ABSENCE_MISSED}% or less) is persistent absence."
)


def percent_words(attended: int, possible: int) -> str:
    shown = percent(attended, possible)
    return "" if shown is None else f"{shown:.1f}%"


def year_of(day: dt.date) -> int:
    """The school year a day falls in, by the calendar year it starts in."""
    return school_year_start(day).year


def term_order(school_year: int, term: str) -> tuple[int, int]:
    """A key that sorts terms in time order."""
    return school_year, list(TERMS).index(term) if term in TERMS else len(TERMS)
