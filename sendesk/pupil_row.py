"""One line of the register, as the services list it and the register's rules filter it.

A value type of its own, below both: the register's filters (`sendesk.register`) work on rows
without importing the services that read them.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sendesk import codes, dates, names


class PupilRow(NamedTuple):
    """One line of the register: no history, cheap to list by the thousand (a tuple)."""

    id: int
    uuid: str
    upn: str | None
    surname: str
    forename: str
    preferred_forename: str | None
    preferred_surname: str | None
    date_of_birth: dt.date | None
    year_group: int | None
    class_name: str | None
    sen_status: str
    primary_need: str | None
    secondary_need: str | None
    next_review: dt.date | None
    overdue: bool
    archived: bool
    search_text: str

    @property
    def display_name(self) -> str:
        """The name the pupil is known by (`sendesk.names`)."""
        return names.known_as(
            self.forename, self.surname, self.preferred_forename, self.preferred_surname
        )

    @property
    def listed_as(self) -> str:
        """'Surname, Forename' as the pupil is known, for the register."""
        return names.listed_as(
            self.forename, self.surname, self.preferred_forename, self.preferred_surname
        )

    @property
    def no_review_booked(self) -> bool:
        """On SEN support or with an EHC plan, on roll, and no review to come: neither a review
        meeting planned nor an open cycle's review date (from the document review: the register
        left such a pupil's next review blank, as if nothing were missing)."""
        return (
            self.sen_status in codes.ON_SEN_REGISTER
            and not self.archived
            and self.next_review is None
        )

    @property
    def review_words(self) -> str:
        """The next review as the register prints it: '14/12/2026', '14/12/2026 (overdue)',
        'None booked'."""
        if self.no_review_booked:
            return NO_REVIEW_BOOKED
        shown = dates.show(self.next_review)
        return f"{shown} (overdue)" if self.overdue else shown


NO_REVIEW_BOOKED = "None booked"
