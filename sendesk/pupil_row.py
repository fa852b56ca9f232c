"""One line of the register, as the services list it and the register's rules filter it.

A value type of its own, below both: the register's filters (`sendesk.register`) work on rows
without importing the services that read them.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sendesk import names


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
