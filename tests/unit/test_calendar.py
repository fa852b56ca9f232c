"""The calendar's rules: school years, three reviews a year, overdue days, warnings, ICS."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from icalendar import Calendar

from sendesk import calendar
from sendesk.calendar import CalendarEntry
from sendesk.errors import BadInput


@dataclass(frozen=True)
class T:
    starts_on: dt.date
    ends_on: dt.date


# Oakfield's 2026/27 half terms, as the demo school has them.
TERMS = [
    T(dt.date(2026, 9, 3), dt.date(2026, 10, 23)),
    T(dt.date(2026, 11, 2), dt.date(2026, 12, 18)),
    T(dt.date(2027, 1, 5), dt.date(2027, 2, 12)),
    T(dt.date(2027, 2, 22), dt.date(2027, 3, 26)),
    T(dt.date(2027, 4, 12), dt.date(2027, 5, 21)),
    T(dt.date(2027, 6, 1), dt.date(2027, 7, 21)),
]


@pytest.mark.parametrize(
    ("day", "first", "last"),
    [
        (dt.date(2026, 9, 1), dt.date(2026, 9, 1), dt.date(2027, 8, 31)),
        (dt.date(2026, 8, 31), dt.date(2025, 9, 1), dt.date(2026, 8, 31)),
        (dt.date(2027, 1, 1), dt.date(2026, 9, 1), dt.date(2027, 8, 31)),
        (dt.date(2028, 2, 29), dt.date(2027, 9, 1), dt.date(2028, 8, 31)),
    ],
)
def test_school_year_boundaries(day: dt.date, first: dt.date, last: dt.date) -> None:
    assert calendar.school_year(day) == (first, last)


def test_school_year_label_and_week() -> None:
    assert calendar.school_year_label(dt.date(2027, 3, 1)) == "2026/27"
    assert calendar.week_of(dt.date(2026, 11, 25)) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert calendar.week_of(dt.date(2026, 11, 23))[0] == dt.date(2026, 11, 23)


def test_term_deadlines_from_settings_and_without() -> None:
    on = dt.date(2026, 10, 1)
    assert calendar.term_deadlines(on, TERMS) == (
        dt.date(2026, 12, 18),
        dt.date(2027, 3, 26),
        dt.date(2027, 7, 21),
    )
    assert calendar.term_deadlines(on) == (
        dt.date(2026, 12, 31),
        dt.date(2027, 3, 31),
        dt.date(2027, 7, 31),
    )
    # Terms of another school year are ignored.
    assert calendar.term_deadlines(dt.date(2027, 10, 1), TERMS)[0] == dt.date(2027, 12, 31)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (dt.date(2026, 9, 1), 0),
        (dt.date(2026, 12, 18), 0),  # the autumn term's last day: not yet behind
        (dt.date(2026, 12, 19), 1),
        (dt.date(2027, 3, 27), 2),
        (dt.date(2027, 7, 21), 2),
        (dt.date(2027, 7, 22), 3),
        (dt.date(2027, 8, 31), 3),
    ],
)
def test_reviews_expected_by_the_end_of_each_term(on: dt.date, expected: int) -> None:
    assert calendar.reviews_expected_by(on, TERMS) == expected


def test_a_pupil_new_to_sen_support_is_not_behind_for_terms_before_they_joined() -> None:
    on = dt.date(2027, 4, 1)
    assert calendar.reviews_expected_by(on, TERMS, since=dt.date(2026, 12, 1)) == 1
    assert calendar.reviews_expected_by(on, TERMS, since=dt.date(2027, 3, 10)) == 0
    assert calendar.reviews_expected_by(on, TERMS, since=dt.date(2020, 1, 1)) == 2


def _review(
    day: dt.date, status: str = "held", kind: str = "sen_review"
) -> tuple[str, str, dt.datetime]:
    return kind, status, dt.datetime.combine(day, dt.time(15, 30))


def test_the_three_a_year_count() -> None:
    meetings = [
        _review(dt.date(2026, 8, 20)),  # last school year
        _review(dt.date(2026, 10, 1)),
        _review(dt.date(2026, 10, 8), status="cancelled"),
        _review(dt.date(2026, 11, 1), kind="multi_agency"),  # not a review with parents
        _review(dt.date(2027, 2, 1), kind="ehc_annual_review"),
        _review(dt.date(2027, 5, 1), status="planned"),
    ]
    on = dt.date(2027, 4, 1)
    tally = calendar.tally(7, meetings, on, TERMS)
    assert (tally.held, tally.expected_by_now, tally.required) == (2, 2, 3)
    assert not tally.behind
    assert tally.sentence() == "2 of 3 reviews held this school year"

    late = calendar.tally(7, meetings[:2], on, TERMS)
    assert late.behind and late.held == 1
    assert "behind: 2 expected by now" in late.sentence()

    end_of_year = calendar.tally(7, [*meetings, _review(dt.date(2027, 6, 10))], dt.date(2027, 8, 1))
    assert end_of_year.held == 3 and not end_of_year.behind


def test_overdue_from_the_day_after() -> None:
    at = dt.datetime(2026, 11, 23, 15, 30)
    assert not calendar.is_overdue("sen_review", "planned", at, dt.date(2026, 11, 22))
    assert not calendar.is_overdue("sen_review", "planned", at, dt.date(2026, 11, 23))
    assert calendar.is_overdue("sen_review", "planned", at, dt.date(2026, 11, 24))
    assert calendar.is_overdue("ehc_annual_review", "planned", at, dt.date(2026, 11, 24))
    assert not calendar.is_overdue("sen_review", "held", at, dt.date(2026, 11, 24))
    assert not calendar.is_overdue("sen_review", "moved", at, dt.date(2026, 11, 24))
    assert not calendar.is_overdue("multi_agency", "planned", at, dt.date(2026, 11, 24))
    assert calendar.review_date_overdue(dt.date(2026, 11, 23), dt.date(2026, 11, 24))
    assert not calendar.review_date_overdue(dt.date(2026, 11, 23), dt.date(2026, 11, 23))


def test_weekend_bank_holiday_and_term_warnings() -> None:
    assert calendar.day_warnings(dt.date(2026, 11, 24), TERMS) == []
    saturday = calendar.day_warnings(dt.date(2026, 11, 28), TERMS)
    assert saturday == ["Saturday 28/11/2026 is a weekend."]
    boxing = calendar.day_warnings(dt.date(2026, 12, 28), TERMS)  # Boxing Day (observed)
    assert "Monday 28/12/2026 is a bank holiday (Boxing Day (observed))." in boxing
    assert any("outside the term dates" in w for w in boxing)
    may_day = calendar.day_warnings(dt.date(2027, 5, 3), TERMS)
    assert may_day == ["Monday 03/05/2027 is a bank holiday (May Day)."]
    half_term = calendar.day_warnings(dt.date(2026, 10, 27), TERMS)
    assert half_term == ["Tuesday 27/10/2026 is outside the term dates in Settings."]
    # Without term dates for that school year, term time is not judged.
    assert calendar.day_warnings(dt.date(2026, 10, 27)) == []
    assert calendar.day_warnings(dt.date(2027, 10, 26), TERMS) == []
    assert calendar.bank_holiday(dt.date(2027, 3, 26)) == "Good Friday"


ENTRIES = [
    CalendarEntry(
        1, "sen_review", dt.datetime(2026, 11, 23, 15, 30), 30, "Room 4", "planned", "Zoë", "Brontë"
    ),
    CalendarEntry(
        2, "ehc_annual_review", dt.datetime(2027, 6, 9, 9, 0), 60, None, "held", "Łukasz", "Wójcik"
    ),
    CalendarEntry(
        3, "sen_review", dt.datetime(2026, 12, 1, 9, 0), 30, None, "cancelled", "Amy", "Cole"
    ),
    CalendarEntry(
        4, "sen_review", dt.datetime(2026, 12, 2, 9, 0), 30, None, "moved", "Amy", "Cole"
    ),
]


def _events(data: bytes) -> list:  # type: ignore[type-arg]
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_ics_events_and_times_parse_back() -> None:
    now = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
    data = calendar.to_ics(ENTRIES, "initials_kind", "file-1", now)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    parsed = Calendar.from_ical(data)
    [tz] = parsed.walk("VTIMEZONE")
    assert str(tz["tzid"]) == "Europe/London"
    events = _events(data)
    assert len(events) == 2  # cancelled and moved meetings are left out
    first, second = events
    start = first.decoded("dtstart")
    assert start == dt.datetime(2026, 11, 23, 15, 30, tzinfo=calendar.LONDON)
    assert start.utcoffset() == dt.timedelta(0)  # GMT in November
    assert first.decoded("dtend") - start == dt.timedelta(minutes=30)
    assert first["dtstart"].params["TZID"] == "Europe/London"
    summer = second.decoded("dtstart")
    assert summer.utcoffset() == dt.timedelta(hours=1)  # BST in June
    assert summer.astimezone(dt.UTC).hour == 8
    assert second.decoded("dtend") - summer == dt.timedelta(hours=1)
    assert str(first["location"]) == "Room 4"
    assert str(first["uid"]) == "meeting-1.file-1@sendesk"
    assert first.decoded("dtstamp") == now


@pytest.mark.parametrize(
    ("detail", "titles", "absent"),
    [
        (
            "initials_kind",
            ["Z.B. — SEN support review", "Ł.W. — EHC plan annual review"],
            ["Zoë", "Brontë", "Łukasz", "Wójcik"],
        ),
        (
            "kind_only",
            ["SEN support review", "EHC plan annual review"],
            ["Zoë", "Brontë", "Łukasz", "Wójcik", "Z.B."],
        ),
        (
            "full_name_kind",
            ["Zoë Brontë — SEN support review", "Łukasz Wójcik — EHC plan annual review"],
            [],
        ),
    ],
)
def test_ics_holds_no_more_than_the_setting_allows(
    detail: str, titles: list[str], absent: list[str]
) -> None:
    data = calendar.to_ics(ENTRIES, detail, "file-1")
    assert [str(e["summary"]) for e in _events(data)] == titles
    text = data.decode("utf-8")
    for word in absent:
        assert word not in text
    assert "Amy" not in text and "Cole" not in text


def test_ics_refuses_an_unknown_detail() -> None:
    with pytest.raises(ValueError, match="unknown calendar detail"):
        calendar.to_ics(ENTRIES, "everything", "file-1")


def test_times_as_typed() -> None:
    assert calendar.parse_time(" 15:30 ") == dt.time(15, 30)
    assert calendar.parse_time("9.05") == dt.time(9, 5)
    assert calendar.parse_time("0915") == dt.time(9, 15)
    for bad in ("", "25:00", "noon", "15:30:00", "9"):
        with pytest.raises(BadInput, match="HH:MM"):
            calendar.parse_time(bad)
