"""The demo school's terms and school days, so that nothing it makes up happens at a weekend, in a
holiday or on a bank holiday (from the document review: reviews on Good Friday and on bank
holidays, sessions on Christmas Day, cycles starting on a Saturday).

Made-up data only: the terms follow a typical English pattern, with the Easter holiday around
Easter itself, worked out here rather than read from `holidays` (a tenth of a second to import,
which the demo build cannot spare; `sendesk.calendar` warns about real bank holidays).
"""

from __future__ import annotations

import datetime as dt
import functools

# (name, first day, last day) of each term of the school year starting in September of `year`.
Terms = tuple[tuple[str, dt.date, dt.date], ...]


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    j = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * j) // 451
    month = (h + j - 7 * m + 114) // 31
    day = (h + j - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


@functools.cache
def terms(year: int) -> Terms:
    """The demo school's six terms of the school year beginning in `year`, the Easter holiday
    running from Good Friday to the Monday a week after Easter Monday."""
    easter = easter_sunday(year + 1)
    return (
        ("Autumn 1", dt.date(year, 9, 3), dt.date(year, 10, 23)),
        ("Autumn 2", dt.date(year, 11, 2), dt.date(year, 12, 18)),
        ("Spring 1", dt.date(year + 1, 1, 5), dt.date(year + 1, 2, 12)),
        ("Spring 2", dt.date(year + 1, 2, 22), easter - dt.timedelta(days=3)),
        ("Summer 1", easter + dt.timedelta(days=9), dt.date(year + 1, 5, 21)),
        ("Summer 2", dt.date(year + 1, 6, 1), dt.date(year + 1, 7, 21)),
    )


def _early_may_bank_holiday(year: int) -> dt.date:
    first = dt.date(year, 5, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7)


@functools.cache
def _school_days(year: int) -> frozenset[dt.date]:
    """Every school day of the school year beginning in `year`."""
    holiday = _early_may_bank_holiday(year + 1)
    days = set()
    for _name, first, last in terms(year):
        day = first
        while day <= last:
            if day.weekday() < 5 and day != holiday:
                days.add(day)
            day += dt.timedelta(days=1)
    return frozenset(days)


def is_school_day(day: dt.date) -> bool:
    return day in _school_days(day.year if day.month >= 9 else day.year - 1)


def school_day_on_or_after(day: dt.date) -> dt.date:
    """`day`, or the first school day after it."""
    while not is_school_day(day):
        day += dt.timedelta(days=1)
    return day
