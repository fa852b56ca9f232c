"""Dates as people type them: DD/MM/YYYY as schools write them, or ISO YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt

from sendesk.errors import BadInput

FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y")
EXAMPLE = "DD/MM/YYYY, for example 01/09/2026"
# The years a school's records can be about: a year 1 or 9999 is a slip of the keyboard, and
# the calendar's arithmetic (a school year, a week after) would fail on it.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


class OutOfRange(BadInput):
    """A real date, but in a year no school record is about."""


def parse(text: str) -> dt.date:
    """A real calendar date within the years a school's records are about, or `BadInput` that
    says how to write one."""
    cleaned = text.strip()
    for pattern in FORMATS:
        try:
            day = dt.datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
        if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
            raise OutOfRange(
                f"{cleaned!r} is not a date SENDesk can use: give one between "
                f"{EARLIEST_YEAR} and {LATEST_YEAR}."
            )
        return day
    raise BadInput(f"{cleaned!r} is not a real date; write it as {EXAMPLE}.")


def parse_optional(text: str) -> dt.date | None:
    return parse(text) if text.strip() else None


def monday_of(day: dt.date) -> dt.date:
    """The Monday of the week `day` falls in: the one place a week is said to start."""
    return day - dt.timedelta(days=day.weekday())


def is_past(due: dt.date | None, today: dt.date) -> bool:
    """Whether something due on `due` is overdue on `today`: from the day after, never on it.

    Every "overdue" in SENDesk (meetings, plan review dates, the register) asks this.
    """
    return due is not None and due < today


def show(day: dt.date | None) -> str:
    """How SENDesk writes a date for people: 01/09/2026."""
    return day.strftime("%d/%m/%Y") if day else ""
