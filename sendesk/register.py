"""What the register shows: filters over its rows and the counts in the status bar.

The app filters in memory on every keystroke, so these work on `PupilRow`s without the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sendesk import codes
from sendesk.pupil_row import PupilRow
from sendesk.text import search_terms
from sendesk.wording import plural

DUE_SOON_DAYS = 14


class ReviewFilter(StrEnum):
    ANY = "any"
    DUE_SOON = "due_soon"  # in the next two weeks, today included
    OVERDUE = "overdue"
    NONE_BOOKED = "none_booked"  # on the register with no review to come (`no_review_booked`)


@dataclass(frozen=True)
class RegisterFilter:
    text: str = ""
    status: str | None = None  # N, K or E
    need: str | None = None  # a census code, primary or secondary
    year_group: int | None = None
    review: ReviewFilter = ReviewFilter.ANY
    include_archived: bool = False

    def terms(self) -> list[str]:
        return search_terms(self.text)

    def visible(self, rows: Sequence[PupilRow], order: Iterable[int], today: dt.date) -> list[int]:
        """The indexes, in `order`, of the rows this filter shows.

        The register runs this on every keystroke, so each part of the filter is one plain
        comprehension over the rows rather than a call per row.
        """
        found = list(order)
        if not self.include_archived:
            found = [i for i in found if not rows[i].archived]
        if self.filters_fields:
            found = [i for i in found if self.matches_fields(rows[i], today)]
        for term in self.terms():
            found = [i for i in found if term in rows[i].search_text]
        return found

    def matches(self, row: PupilRow, today: dt.date) -> bool:
        return bool(self.visible([row], [0], today))

    @property
    def filters_fields(self) -> bool:
        """Whether anything but the text and the archive switch narrows the register."""
        return bool(self.status or self.need or self.year_group is not None) or (
            self.review is not ReviewFilter.ANY
        )

    def matches_fields(self, row: PupilRow, today: dt.date) -> bool:
        """The status, need, year and review filters (not the text, not the archive switch)."""
        if self.status and row.sen_status != self.status:
            return False
        if self.need and self.need not in (row.primary_need, row.secondary_need):
            return False
        if self.year_group is not None and row.year_group != self.year_group:
            return False
        if self.review is ReviewFilter.OVERDUE and not row.overdue:
            return False
        if self.review is ReviewFilter.NONE_BOOKED and not row.no_review_booked:
            return False
        return not (self.review is ReviewFilter.DUE_SOON and not is_due_soon(row, today))


def is_due_soon(row: PupilRow, today: dt.date) -> bool:
    if row.next_review is None:
        return False
    return today <= row.next_review <= today + dt.timedelta(days=DUE_SOON_DAYS)


@dataclass(frozen=True)
class RegisterCounts:
    pupils: int
    sen_support: int
    ehc_plans: int
    overdue: int
    none_booked: int = 0  # on the register with no review to come

    def sentence(self, pupils: bool = True) -> str:
        """'20,000 pupils · 2,600 on SEN support · …'; without `pupils` when the caller has
        already said how many are shown."""
        parts = [
            *([plural(self.pupils, "pupil")] if pupils else []),
            f"{self.sen_support:,} on SEN support",
            plural(self.ehc_plans, "with an EHC plan", "with EHC plans"),
            plural(self.overdue, "review overdue", "reviews overdue"),
        ]
        if self.none_booked:
            parts.append(f"{self.none_booked:,} with no review booked")
        return " · ".join(parts)


def counts(rows: Iterable[PupilRow]) -> RegisterCounts:
    """Counts of the pupils on roll (archived pupils are not counted)."""
    pupils = support = ehc = overdue = none_booked = 0
    for row in rows:
        if row.archived:
            continue
        pupils += 1
        support += row.sen_status == codes.SenStatus.SEN_SUPPORT
        ehc += row.sen_status == codes.SenStatus.EHC_PLAN
        overdue += row.overdue
        none_booked += row.no_review_booked
    return RegisterCounts(pupils, support, ehc, overdue, none_booked)


def describe_shown(shown: list[PupilRow], everyone: list[PupilRow], narrowed: bool) -> str:
    """The status bar's counts: of the list as filtered, and how much of the register it is."""
    if not narrowed:
        sentence = counts(shown).sentence()
        archived = sum(row.archived for row in everyone)
        return sentence if not archived else f"{sentence} · {archived:,} archived not counted"
    on_roll = sum(not row.archived for row in everyone)
    listed = len(shown)
    # Short enough for a laptop's status bar at 150%: the number shown is said once.
    return f"Showing {listed:,} of {on_roll:,} on roll: {counts(shown).sentence(pupils=False)}"
