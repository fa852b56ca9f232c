"""Rules that several places need are asked of one function, and the places agree with it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar

from sendesk import calendar, dates
from sendesk.calendar import CalendarEntry
from sendesk.services import documents, meetings, pupils
from sendesk.vault import Vault
from tests.conftest import DEMO_TODAY, a_day_in_a_week_with_reviews

# A fortnight that covers every weekday, a month's end and a year's end.
DAYS = [dt.date(2026, 12, 24) + dt.timedelta(days=n) for n in range(15)]


@pytest.mark.parametrize("day", DAYS)
def test_every_week_starts_on_the_monday_dates_gives(day: dt.date) -> None:
    monday = dates.monday_of(day)
    assert monday.weekday() == 0 and 0 <= (day - monday).days < 7
    assert calendar.week_of(day) == (monday, monday + dt.timedelta(days=6))


def test_the_calendar_grid_and_do_wizard_start_weeks_on_the_same_monday() -> None:
    # The UI modules hold no copy of the rule: they import it.
    from ui import calendar_view, document_preview
    from ui.wizards import do_wizard

    for module in (calendar_view, document_preview, do_wizard):
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        assert "weekday())" not in source, f"{module.__name__} computes a Monday of its own"


def test_overdue_is_from_the_day_after() -> None:
    due = dt.date(2026, 11, 23)
    assert not dates.is_past(due, due)
    assert dates.is_past(due, due + dt.timedelta(days=1))
    assert not dates.is_past(None, due)


def test_meetings_plan_dates_and_the_register_agree_on_overdue(demo_vault: Vault) -> None:
    """The overdue meetings query, the review-date check and the register's flag all say
    what `dates.is_past` says, for every pupil, on several days."""
    sessions = demo_vault.sessions
    seen = 0
    for today in (DEMO_TODAY - dt.timedelta(days=20), DEMO_TODAY, DEMO_TODAY + dt.timedelta(40)):
        listed = {m.id for m in meetings.overdue(sessions, today)}
        planned = meetings.between(
            sessions, dt.date(2020, 1, 1), dt.date(2030, 1, 1), statuses=["planned"]
        )
        by_rule = {
            m.id for m in planned if m.is_review and dates.is_past(m.starts_at.date(), today)
        }
        assert listed == by_rule
        seen += len(listed)
        assert {m.id for m in planned if m.overdue(today)} == by_rule
        for r in meetings.reviews_to_schedule(sessions):
            assert r.overdue(today) == dates.is_past(r.review_date, today)
        for row in pupils.list_register(sessions, today=today):
            assert row.overdue == dates.is_past(row.next_review, today)
    assert seen  # the demo file has overdue reviews to compare


def test_the_plans_for_a_week_are_those_of_the_calendars_week(demo_vault: Vault) -> None:
    week = a_day_in_a_week_with_reviews(demo_vault)
    monday, sunday = calendar.week_of(week)
    in_week = meetings.between(demo_vault.sessions, monday, sunday, statuses=["planned"])
    expected = list(dict.fromkeys(m.pupil_id for m in in_week if m.is_review))
    assert expected
    for day in (monday, week, sunday):
        assert documents.pupils_with_reviews(demo_vault.sessions, day) == expected


def test_only_a_sen_support_review_goes_on_to_the_review_wizard() -> None:
    assert calendar.opens_review_wizard("sen_review")
    assert not calendar.opens_review_wizard("ehc_annual_review")
    assert not calendar.opens_review_wizard("parents_evening")


def test_the_exported_time_zone_agrees_with_the_time_zone_database() -> None:
    """The VTIMEZONE comes from zoneinfo: each exported time reads back at London's offset,
    on both sides of the clocks changing."""
    starts = [
        dt.datetime(2027, 3, 27, 9, 0),  # the Saturday before BST
        dt.datetime(2027, 3, 29, 9, 0),
        dt.datetime(2027, 10, 30, 9, 0),
        dt.datetime(2027, 11, 1, 9, 0),
    ]
    entries = [
        CalendarEntry(n, "sen_review", when, 30, None, "planned", "Amy", "Cole")
        for n, when in enumerate(starts, 1)
    ]
    data = calendar.to_ics(entries, "kind_only", "file-1")
    parsed = Calendar.from_ical(data)
    [vtimezone] = parsed.walk("VTIMEZONE")
    zone = vtimezone.to_tz()
    for event, when in zip(parsed.walk("VEVENT"), starts, strict=True):
        expected = when.replace(tzinfo=calendar.LONDON).utcoffset()
        assert zone.utcoffset(when) == expected
        assert event.decoded("dtstart").utcoffset() == expected


@pytest.mark.parametrize(
    ("days_away", "due_soon"),
    [(-1, False), (0, True), (1, True), (13, True), (14, True), (15, False), (None, False)],
)
def test_the_due_in_two_weeks_filter_runs_from_today_to_fourteen_days_on(
    days_away: int | None, due_soon: bool
) -> None:
    from sendesk.pupil_row import PupilRow
    from sendesk.register import RegisterFilter, ReviewFilter, is_due_soon

    review = None if days_away is None else DEMO_TODAY + dt.timedelta(days=days_away)
    row = PupilRow(
        id=1, uuid="u", upn=None, surname="Cole", forename="Amy", preferred_forename=None,
        preferred_surname=None, date_of_birth=None, year_group=3, class_name=None,
        sen_status="K", primary_need="SPLD", secondary_need=None, next_review=review,
        overdue=dates.is_past(review, DEMO_TODAY), archived=False, search_text="amy cole",
    )  # fmt: skip
    assert is_due_soon(row, DEMO_TODAY) is due_soon
    wanted = RegisterFilter(review=ReviewFilter.DUE_SOON)
    assert wanted.matches(row, DEMO_TODAY) is due_soon
    assert RegisterFilter(review=ReviewFilter.OVERDUE).matches(row, DEMO_TODAY) is (
        days_away is not None and days_away < 0
    )


def test_the_register_s_counts_read_as_every_other_count_does() -> None:
    # One way to write a count (sendesk.wording.plural): "20,000 pupils", "1 with an EHC plan".
    from sendesk.register import RegisterCounts

    assert RegisterCounts(20_000, 2_600, 1_000, 703).sentence() == (
        "20,000 pupils · 2,600 on SEN support · 1,000 with EHC plans · 703 reviews overdue"
    )
    assert RegisterCounts(1, 1, 1, 1).sentence() == (
        "1 pupil · 1 on SEN support · 1 with an EHC plan · 1 review overdue"
    )


@pytest.mark.parametrize(
    ("status", "review", "archived", "missing", "words"),
    [
        ("K", None, False, True, "None booked"),
        ("E", None, False, True, "None booked"),
        ("E", dt.date(2027, 1, 18), False, False, "18/01/2027"),
        ("K", dt.date(2026, 11, 2), False, False, "02/11/2026 (overdue)"),
        ("N", None, False, False, ""),  # no SEN: no review to book
        ("E", None, True, False, ""),  # left the school
    ],
)
def test_a_pupil_on_the_register_with_no_review_to_come_is_flagged_everywhere(
    status: str, review: dt.date | None, archived: bool, missing: bool, words: str
) -> None:
    """One rule (PupilRow.no_review_booked) for the register's column, filter, counts and PDF
    (from the document review: an EHC plan with no review booked read as a blank)."""
    from sendesk.documents import sen_register
    from sendesk.pupil_row import PupilRow
    from sendesk.register import RegisterFilter, ReviewFilter, counts

    row = PupilRow(
        id=1, uuid="u", upn=None, surname="Cole", forename="Amy", preferred_forename=None,
        preferred_surname=None, date_of_birth=None, year_group=3, class_name=None,
        sen_status=status, primary_need="SPLD", secondary_need=None, next_review=review,
        overdue=dates.is_past(review, DEMO_TODAY), archived=archived, search_text="amy cole",
    )  # fmt: skip
    assert row.no_review_booked is missing and row.review_words == words
    shown = RegisterFilter(review=ReviewFilter.NONE_BOOKED, include_archived=True)
    assert shown.matches(row, DEMO_TODAY) is missing
    sentence = counts([row]).sentence()
    assert ("1 with no review booked" in sentence) is missing
    line = sen_register.RegisterLine(
        None, "Cole", "Amy", 3, None, status, "SPLD", None, review, row.review_words
    )
    assert line.cells()[-1] == words
    csv_review = sen_register.to_csv([line]).decode("utf-8-sig").splitlines()[1].split(",")[-1]
    assert csv_review == (review.isoformat() if review else words)
