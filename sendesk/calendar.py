"""The review calendar's rules: school years, three reviews a year, date warnings, iCalendar.

Nothing here touches the database: `sendesk.services.meetings` reads the records and calls these.
Meeting times are naive Europe/London wall-clock times (DESIGN.md, "Data conventions").
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from sendesk import codes, dates
from sendesk.errors import BadInput
from sendesk.school_year import school_year_end, school_year_start
from sendesk.school_year import school_year_label as school_year_label  # asked of calendar too

if TYPE_CHECKING:  # holidays and icalendar cost about 0.1 s to import: only when they are used
    from icalendar import Timezone

LONDON_TZID = "Europe/London"
LONDON = ZoneInfo(LONDON_TZID)

# Code of Practice 6.65: parents are met at least three times each school year.
REVIEWS_PER_YEAR = 3
# A pupil who joins SEN support less than this before a term's end is not expected to have
# had that term's review yet.
SETTLING_IN = dt.timedelta(weeks=4)

CALENDAR_DETAILS: dict[str, str] = {
    "initials_kind": "Initials and meeting kind",
    "kind_only": "Meeting kind only",
    "full_name_kind": "Full name and meeting kind",
}
PRODID = "-//SENDesk//Review calendar//EN"


class TermLike(Protocol):
    @property
    def starts_on(self) -> dt.date: ...

    @property
    def ends_on(self) -> dt.date: ...


# --- school years and the three reviews ---------------------------------------------------------


def school_year(on: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day (1 September, 31 August) of the school year `on` falls in."""
    return school_year_start(on), school_year_end(on)


def parse_time(text: str) -> dt.time:
    """A wall-clock time typed as 15:30, 1530 or 9.15; `BadInput` when it is not one."""
    cleaned = text.strip().replace(".", ":")
    if cleaned.isdigit() and len(cleaned) in (3, 4):
        cleaned = f"{cleaned[:-2]}:{cleaned[-2:]}"
    try:
        hours, minutes = (int(part) for part in cleaned.split(":"))
        return dt.time(hours, minutes)
    except ValueError:
        raise BadInput(f"{text.strip()!r} is not a time; write it as HH:MM, e.g. 15:30.") from None


def week_of(on: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week `on` falls in."""
    monday = dates.monday_of(on)
    return monday, monday + dt.timedelta(days=6)


def week_called(day: dt.date, today: dt.date) -> str:
    """How the week of `day` is named: "this week", "next week", "the week of 07/12/2026"."""
    monday, this = dates.monday_of(day), dates.monday_of(today)
    if monday == this:
        return "this week"
    if monday == this + dt.timedelta(days=7):
        return "next week"
    return f"the week of {dates.show(monday)}"


def term_deadlines(on: dt.date, terms: Iterable[TermLike] = ()) -> tuple[dt.date, dt.date, dt.date]:
    """The day by which each of the year's three reviews is due: the end of each term.

    The autumn, spring and summer terms end with the last term in the settings that ends in
    September-December, January-April and May-August of the school year; without term dates,
    31 December, 31 March and 31 July.
    """
    start, end = school_year(on)
    y = start.year
    defaults = (dt.date(y, 12, 31), dt.date(y + 1, 3, 31), dt.date(y + 1, 7, 31))
    ends = [t.ends_on for t in terms if start <= t.ends_on <= end]
    groups = (
        [d for d in ends if d.year == y],
        [d for d in ends if d.year == y + 1 and d.month <= 4],
        [d for d in ends if d.year == y + 1 and d.month >= 5],
    )
    a, b, c = (max(g) if g else fallback for g, fallback in zip(groups, defaults, strict=True))
    return a, b, c


def reviews_expected_by(
    on: dt.date, terms: Iterable[TermLike] = (), since: dt.date | None = None
) -> int:
    """How many reviews a pupil should have had this school year by the end of `on`.

    One for each term that has ended; a term that ended within four weeks of the pupil joining
    SEN support (`since`) does not count.
    """
    count = 0
    for deadline in term_deadlines(on, terms):
        if deadline >= on:
            continue
        if since is not None and deadline < since + SETTLING_IN:
            continue
        count += 1
    return count


@dataclass(frozen=True)
class ReviewTally:
    """One pupil's parent reviews this school year against the three the Code expects."""

    pupil_id: int
    held: int
    expected_by_now: int
    required: int = REVIEWS_PER_YEAR

    @property
    def behind(self) -> bool:
        return self.held < self.expected_by_now

    def sentence(self) -> str:
        text = f"{self.held} of {self.required} reviews held this school year"
        if self.behind:
            text += f" (behind: {self.expected_by_now} expected by now)"
        return text


def is_review(kind: str) -> bool:
    return kind in codes.REVIEW_MEETING_KINDS


def count_held_reviews(meetings: Iterable[tuple[str, str, dt.datetime]], on: dt.date) -> int:
    """Review meetings (kind, status, starts_at) held in the school year of `on`, up to `on`."""
    start, _ = school_year(on)
    return sum(
        1
        for kind, status, starts_at in meetings
        if is_review(kind) and status == "held" and start <= starts_at.date() <= on
    )


def tally(
    pupil_id: int,
    meetings: Iterable[tuple[str, str, dt.datetime]],
    on: dt.date,
    terms: Iterable[TermLike] = (),
    since: dt.date | None = None,
) -> ReviewTally:
    return ReviewTally(
        pupil_id, count_held_reviews(meetings, on), reviews_expected_by(on, terms, since)
    )


def opens_review_wizard(kind: str) -> bool:
    """Marking a meeting of this kind held goes on to record the review of the pupil's plan.

    Only a SEN support review closes a cycle; an EHC annual review belongs to the local
    authority's process and a parents' evening reviews no plan.
    """
    return kind == "sen_review"


def is_overdue(kind: str, status: str, starts_at: dt.datetime, today: dt.date) -> bool:
    """A review not held is overdue from the day after its date."""
    return is_review(kind) and status == "planned" and dates.is_past(starts_at.date(), today)


def review_date_overdue(review_date: dt.date | None, today: dt.date) -> bool:
    return dates.is_past(review_date, today)


# --- warnings about a day ------------------------------------------------------------------------


@functools.cache
def _bank_holidays(year: int) -> dict[dt.date, str]:
    import holidays

    found = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return {day: str(name) for day, name in found.items()}


def bank_holiday(day: dt.date) -> str | None:
    """The name of the bank holiday in England on `day`, or None."""
    return _bank_holidays(day.year).get(day)


def in_term(day: dt.date, terms: Iterable[TermLike]) -> bool:
    return any(t.starts_on <= day <= t.ends_on for t in terms)


def day_warnings(day: dt.date, terms: Sequence[TermLike] = ()) -> list[str]:
    """Why a meeting on `day` may be a mistake: weekend, bank holiday, outside term time.

    Term time is only checked when the settings hold term dates for that school year.
    """
    warnings: list[str] = []
    shown = day.strftime("%A %d/%m/%Y")
    if day.weekday() >= 5:
        warnings.append(f"{shown} is a weekend.")
    if name := bank_holiday(day):
        warnings.append(f"{shown} is a bank holiday ({name}).")
    start, end = school_year(day)
    this_year = [t for t in terms if t.ends_on >= start and t.starts_on <= end]
    if this_year and not in_term(day, this_year):
        warnings.append(f"{shown} is outside the term dates in Settings.")
    return warnings


# --- iCalendar -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEntry:
    """What an iCalendar event may be made from; invited, attendees and notes are left out."""

    meeting_id: int
    kind: str
    starts_at: dt.datetime
    duration_minutes: int
    place: str | None
    status: str
    forename: str
    surname: str


def initials(forename: str, surname: str) -> str:
    letters = [w[0].upper() for w in (forename.strip(), surname.strip()) if w]
    return "".join(f"{c}." for c in letters)


def event_title(entry: CalendarEntry, detail: str) -> str:
    """The event's title with no more about the pupil than `detail` allows."""
    kind = codes.MEETING_KINDS[entry.kind]
    if detail == "kind_only":
        return kind
    if detail == "full_name_kind":
        return f"{entry.forename} {entry.surname} — {kind}"
    if detail == "initials_kind":
        who = initials(entry.forename, entry.surname)
        return f"{who} — {kind}" if who else kind
    raise ValueError(f"unknown calendar detail {detail!r}")


def london_vtimezone(first: dt.date, last: dt.date) -> Timezone:
    """Europe/London's transitions from the time zone database for the days exported.

    icalendar writes the VTIMEZONE from `zoneinfo`, so it is never typed by hand and stays right
    whenever the rules change.
    """
    from icalendar import Timezone

    return Timezone.from_tzinfo(LONDON, first_date=first, last_date=last + dt.timedelta(days=1))


def to_ics(
    entries: Iterable[CalendarEntry],
    detail: str,
    file_id: str,
    now: dt.datetime | None = None,
    name: str = "SENDesk reviews",
) -> bytes:
    """An iCalendar file with one event per planned or held meeting.

    Cancelled and moved meetings are left out: a calendar shows what will happen or did.
    Times carry TZID=Europe/London with its VTIMEZONE; DTSTAMP is UTC.
    """
    from icalendar import Calendar, Event

    if detail not in CALENDAR_DETAILS:
        raise ValueError(f"unknown calendar detail {detail!r}")
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", LONDON_TZID)
    shown = [e for e in entries if e.status in ("planned", "held")]
    days = [e.starts_at.date() for e in shown] or [stamp.date()]
    cal.add_component(london_vtimezone(min(days), max(days)))
    for entry in shown:
        start = entry.starts_at.replace(tzinfo=LONDON)
        event = Event()
        event.add("uid", f"meeting-{entry.meeting_id}.{file_id}@sendesk")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=entry.duration_minutes))
        event.add("summary", event_title(entry, detail))
        if entry.place:
            event.add("location", entry.place)
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        event.add("class", "PRIVATE")
        event.add("categories", ["SEN"])
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
