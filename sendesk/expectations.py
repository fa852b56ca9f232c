"""What a school expects of a pupil on one of its measures, by year group.

A school may record, for a measure, the value it expects at each year group (its own
age-related expectations: a reading age, words read in a minute, 100 on a standardised score).
A pupil's score is set beside the value expected for the year group they were in on the day it
was taken. Typed as "Y3: 95, Y4: 100" (or "All: 100" for every year group).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from sendesk.codes import YEAR_GROUPS
from sendesk.errors import ValidationFailed
from sendesk.school_year import expected_year_group, school_year_start

ALL = "All"
EXAMPLE = "Y3: 95, Y4: 100 (or All: 100)"
SHORT: dict[int, str] = {y: ("R" if y == 0 else f"Y{y}") for y in YEAR_GROUPS if y >= 0} | {
    y: YEAR_GROUPS[y] for y in YEAR_GROUPS if y < 0
}  # N1, N2, R, Y1 ... Y14
_ENTRY = re.compile(
    r"^\s*(?P<year>[A-Za-z]*\s*\d*)(?:\s*[:=]\s*|\s+)(?P<value>[-+]?\d+(?:\.\d+)?)\s*$"
)


@dataclass(frozen=True)
class MeasuredPoint:
    day: dt.date
    value: float
    expected: float | None  # for the pupil's year group that day; None if the school set none


@dataclass(frozen=True)
class MeasureHistory:
    """One measure's scores for a pupil, oldest first, each beside what was expected."""

    measure: str
    unit: str
    higher_is_better: bool
    points: tuple[MeasuredPoint, ...]

    @property
    def has_expected(self) -> bool:
        return any(p.expected is not None for p in self.points)


def _year(text: str) -> int | None:
    """The year group a label names: 'R', 'Reception', 'Y3', 'Year 3', '3', 'N1'."""
    word = " ".join(text.split()).lower()
    for year, label in YEAR_GROUPS.items():
        if word in {label.lower(), SHORT[year].lower(), str(year) if year > 0 else label}:
            return year
    return None


def parse(text: str) -> dict[int, float]:
    """The expected value by year group, from text like "Y3: 95, Y4: 100" or "All: 100"."""
    found: dict[int, float] = {}
    everyone: float | None = None
    for raw in re.split(r"[,;\n]", text):
        if not raw.strip():
            continue
        match = _ENTRY.match(raw)
        if match is None:
            raise ValidationFailed(
                {"expected": f"{raw.strip()!r} is not a year group and a number; write {EXAMPLE}."}
            )
        value = float(match["value"])
        if not math.isfinite(value):
            raise ValidationFailed({"expected": "An expected value is an ordinary number."})
        label = match["year"].strip()
        if label.lower() == ALL.lower():
            everyone = value
            continue
        year = _year(label)
        if year is None:
            raise ValidationFailed(
                {"expected": f"{label!r} is not a year group; use R, Y1 to Y14, N1 or N2."}
            )
        if year in found:
            raise ValidationFailed({"expected": f"{SHORT[year]} is given twice."})
        found[year] = value
    if everyone is not None:  # "All" fills every year group not given on its own
        found = {year: found.get(year, everyone) for year in YEAR_GROUPS}
    return dict(sorted(found.items()))


def words(expected: Mapping[int, float]) -> str:
    """How expected values are shown to be edited: the inverse of `parse`."""
    shown = dict(sorted(expected.items()))
    head: list[str] = []
    if set(shown) == set(YEAR_GROUPS):  # every year group: the usual value once, then the others
        usual = Counter(shown.values()).most_common(1)[0][0]
        head = [f"{ALL}: {usual:g}"]
        shown = {y: v for y, v in shown.items() if v != usual}
    return ", ".join([*head, *(f"{SHORT.get(y, y)}: {v:g}" for y, v in shown.items())])


def year_group_on(
    year_group: int | None, today: dt.date, on: dt.date, date_of_birth: dt.date | None = None
) -> int | None:
    """The year group a pupil in `year_group` today was in on an earlier (or later) day; with no
    year group recorded, the one their age fits (`school_year.expected_year_group`)."""
    if year_group is not None:
        return year_group - (school_year_start(today).year - school_year_start(on).year)
    return expected_year_group(date_of_birth, on) if date_of_birth is not None else None
