"""The English school year: 1 September to 31 August, and the year group a date of birth fits."""

from __future__ import annotations

import datetime as dt

# A pupil in Reception is 4 on the 31 August before the school year starts.
RECEPTION_AGE = 4


def school_year_start(on: dt.date) -> dt.date:
    """1 September of the school year that `on` falls in."""
    year = on.year if on.month >= 9 else on.year - 1
    return dt.date(year, 9, 1)


def year_label(start: int) -> str:
    """'2026/27' for the school year that starts in September 2026."""
    return f"{start}/{(start + 1) % 100:02d}"


def school_year_label(on: dt.date) -> str:
    """'2026/27' for any day from 1 September 2026 to 31 August 2027."""
    return year_label(school_year_start(on).year)


def school_year_end(on: dt.date) -> dt.date:
    return dt.date(school_year_start(on).year + 1, 8, 31)


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Whole years of age on a date (a 29 February birthday counts from 1 March)."""
    had_birthday = (on.month, on.day) >= (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - (0 if had_birthday else 1)


def expected_year_group(date_of_birth: dt.date, on: dt.date) -> int:
    """The National Curriculum year a child of this age is in during the school year of `on`."""
    cutoff = school_year_start(on) - dt.timedelta(days=1)  # 31 August
    return age_on(date_of_birth, cutoff) - RECEPTION_AGE
