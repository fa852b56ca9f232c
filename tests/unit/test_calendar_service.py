"""The meetings service: schedule, move, cancel, hold, lists, what is due, tallies and export."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from icalendar import Calendar
from sqlalchemy import select

from sendesk.errors import NotFound, ValidationFailed
from sendesk.models import AuditEvent, Cycle, Meeting
from sendesk.services import meeting_exports, meetings, pupils, school
from sendesk.services.meetings import MeetingDetails
from sendesk.services.pupils import PupilDetails
from sendesk.services.school import TermDates
from sendesk.vault import Vault

TODAY = dt.date(2026, 11, 25)  # a Wednesday
AUTUMN_2 = TermDates("Autumn 2", dt.date(2026, 11, 2), dt.date(2026, 12, 18))


def add_pupil(
    vault: Vault, surname: str = "Brontë", forename: str = "Zoë", status: str = "K"
) -> int:
    details = PupilDetails(surname, forename, sen_status=status, primary_need="SPLD")
    details.sen_support_since = dt.date(2025, 1, 10)
    return pupils.create(vault.sessions, details, today=TODAY).pupil_id


def at(day: dt.date, hour: int = 15, minute: int = 30) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def with_terms(vault: Vault) -> None:
    details = school.load(vault.sessions)
    details.terms = [AUTUMN_2]
    school.save(vault.sessions, details)


def stored(vault: Vault, meeting_id: int) -> Meeting:
    with vault.sessions() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        session.expunge(meeting)
        return meeting


def audit_actions(vault: Vault) -> list[tuple[str, str]]:
    with vault.sessions() as session:
        return [(e.action, e.summary) for e in session.execute(select(AuditEvent)).scalars()]


def test_schedule_stores_a_planned_meeting_and_audits_without_names(vault: Vault) -> None:
    pupil = add_pupil(vault)
    details = MeetingDetails(
        "sen_review", at(dt.date(2026, 11, 26)), 45, "  Room 4 ", "Mum; Mr Shah", " "
    )
    done = meetings.schedule(vault.sessions, pupil, details, TODAY)
    assert done.warnings == []
    m = stored(vault, done.meeting_id)
    assert (m.kind, m.status, m.starts_at, m.duration_minutes, m.place, m.notes) == (
        "sen_review",
        "planned",
        at(dt.date(2026, 11, 26)),
        45,
        "Room 4",
        None,
    )
    assert ("meeting.scheduled", "SEN support review scheduled") in audit_actions(vault)
    assert not any("Zo" in summary for _, summary in audit_actions(vault))


def test_schedule_warns_for_weekend_bank_holiday_term_and_past(vault: Vault) -> None:
    pupil = add_pupil(vault)
    with_terms(vault)
    saturday = meetings.schedule_on_day(vault.sessions, pupil, dt.date(2026, 11, 28), today=TODAY)
    assert saturday.warnings == ["Saturday 28/11/2026 is a weekend."]
    christmas = meetings.schedule_on_day(vault.sessions, pupil, dt.date(2026, 12, 25), today=TODAY)
    assert any("bank holiday (Christmas Day)" in w for w in christmas.warnings)
    assert any("outside the term dates" in w for w in christmas.warnings)
    past = meetings.schedule_on_day(vault.sessions, pupil, dt.date(2026, 11, 24), today=TODAY)
    assert past.warnings == ["That day has already passed: the meeting will show as overdue."]
    assert meetings.date_warnings(vault.sessions, dt.date(2026, 11, 24)) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "tea_party"}, "kind"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 9 * 60}, "duration_minutes"),
        ({"place": "x" * 201}, "place"),
    ],
)
def test_bad_meetings_are_refused(vault: Vault, change: dict[str, object], field: str) -> None:
    pupil = add_pupil(vault)
    details = MeetingDetails("sen_review", at(TODAY))
    for name, value in change.items():
        setattr(details, name, value)
    with pytest.raises(ValidationFailed) as caught:
        meetings.schedule(vault.sessions, pupil, details, TODAY)
    assert field in caught.value.problems
    assert meetings.between(vault.sessions, dt.date(2026, 1, 1), dt.date(2027, 12, 31)) == []


def test_schedule_for_missing_or_archived_pupils(vault: Vault) -> None:
    with pytest.raises(NotFound):
        meetings.schedule_on_day(vault.sessions, 999, TODAY, today=TODAY)
    pupil = add_pupil(vault)
    pupils.archive(vault.sessions, pupil, TODAY)
    with pytest.raises(ValidationFailed, match="archived"):
        meetings.schedule_on_day(vault.sessions, pupil, TODAY, today=TODAY)


def test_schedule_from_a_plans_review_date(vault: Vault) -> None:
    pupil = add_pupil(vault)
    with vault.sessions() as session, session.begin():
        cycle = Cycle(
            pupil_id=pupil, number=1, stage="do", opened_on=dt.date(2026, 9, 7),
            review_date=dt.date(2026, 12, 3),
        )  # fmt: skip
        bare = Cycle(pupil_id=pupil, number=2, stage="assess", opened_on=dt.date(2026, 9, 8))
        session.add_all([cycle, bare])
        session.flush()
        cycle_id, bare_id = cycle.id, bare.id
    [to_do] = meetings.reviews_to_schedule(vault.sessions)
    assert (to_do.cycle_id, to_do.review_date, to_do.pupil_name) == (
        cycle_id,
        dt.date(2026, 12, 3),
        "Zoë Brontë",
    )
    assert meetings.reviews_to_schedule(vault.sessions, pupil) == [to_do]  # this pupil's
    assert meetings.reviews_to_schedule(vault.sessions, pupil + 1) == []  # nobody else's
    done = meetings.schedule_for_review(vault.sessions, cycle_id, today=TODAY)
    m = stored(vault, done.meeting_id)
    assert (m.cycle_id, m.kind, m.starts_at) == (cycle_id, "sen_review", at(dt.date(2026, 12, 3)))
    assert meetings.reviews_to_schedule(vault.sessions) == []
    with pytest.raises(ValidationFailed, match="no review date"):
        meetings.schedule_for_review(vault.sessions, bare_id, today=TODAY)
    with pytest.raises(NotFound):
        meetings.schedule_for_review(vault.sessions, 999, today=TODAY)


def test_move_links_the_new_meeting(vault: Vault) -> None:
    pupil = add_pupil(vault)
    first = meetings.schedule(
        vault.sessions, pupil, MeetingDetails("sen_review", at(TODAY), 30, "Room 4", "Mum"), TODAY
    ).meeting_id
    moved = meetings.move(vault.sessions, first, at(dt.date(2026, 12, 2), 9, 0), today=TODAY)
    old, new = stored(vault, first), stored(vault, moved.meeting_id)
    assert (old.status, old.moved_to_id) == ("moved", new.id)
    assert (new.status, new.starts_at, new.place, new.invited, new.pupil_id) == (
        "planned",
        at(dt.date(2026, 12, 2), 9, 0),
        "Room 4",
        "Mum",
        pupil,
    )
    with pytest.raises(ValidationFailed, match="Only a planned meeting"):
        meetings.move(vault.sessions, first, at(dt.date(2026, 12, 3)), today=TODAY)
    with pytest.raises(ValidationFailed, match="different day or time"):
        meetings.move(vault.sessions, new.id, new.starts_at, today=TODAY)
    assert ("meeting.moved", "SEN support review moved") in audit_actions(vault)


def test_cancel_and_mark_held(vault: Vault) -> None:
    pupil = add_pupil(vault)
    one = meetings.schedule_on_day(vault.sessions, pupil, TODAY, today=TODAY).meeting_id
    two = meetings.schedule_on_day(vault.sessions, pupil, TODAY, today=TODAY).meeting_id
    later = meetings.schedule_on_day(
        vault.sessions, pupil, dt.date(2026, 12, 9), today=TODAY
    ).meeting_id
    meetings.cancel(vault.sessions, one, "Parent unwell")
    assert (stored(vault, one).status, stored(vault, one).notes) == (
        "cancelled",
        "Cancelled: Parent unwell",
    )
    with pytest.raises(ValidationFailed):
        meetings.cancel(vault.sessions, one)
    with pytest.raises(ValidationFailed, match="who attended"):
        meetings.mark_held(vault.sessions, two, "  ", today=TODAY)
    with pytest.raises(ValidationFailed, match="before its day"):
        meetings.mark_held(vault.sessions, later, "Mum", today=TODAY)
    held = meetings.mark_held(vault.sessions, two, "Mum; class teacher", "Went well", TODAY)
    assert (held.status, held.attendees, held.notes) == ("held", "Mum; class teacher", "Went well")
    with pytest.raises(NotFound):
        meetings.mark_held(vault.sessions, 999, "Mum", today=TODAY)


def test_lists_overdue_upcoming_and_the_due_summary(vault: Vault) -> None:
    pupil = add_pupil(vault)
    other = add_pupil(vault, "Wójcik", "Łukasz", "E")

    def on(day: dt.date, kind: str = "sen_review", who: int = pupil) -> int:
        return meetings.schedule_on_day(vault.sessions, who, day, kind, today=TODAY).meeting_id

    yesterday = on(dt.date(2026, 11, 24))
    on(dt.date(2026, 11, 10), "ehc_annual_review", other)
    on(dt.date(2026, 11, 10), "multi_agency", other)  # not a review: never overdue
    today = on(TODAY)
    sunday = on(dt.date(2026, 11, 29), who=other)
    on(dt.date(2026, 11, 30))  # next week
    on(dt.date(2026, 12, 22))  # the 28th day from today
    on(dt.date(2026, 12, 23))  # beyond four weeks
    meetings.cancel(vault.sessions, on(dt.date(2026, 11, 27)))

    late = meetings.overdue(vault.sessions, TODAY)
    assert [m.starts_at.date() for m in late] == [dt.date(2026, 11, 10), dt.date(2026, 11, 24)]
    assert late[1].id == yesterday and late[1].overdue(TODAY)
    assert not meetings.get(vault.sessions, today).overdue(TODAY)
    assert meetings.get(vault.sessions, today).overdue(TODAY + dt.timedelta(days=1))

    soon = meetings.upcoming(vault.sessions, TODAY)
    assert [m.starts_at.date() for m in soon] == [
        TODAY,
        dt.date(2026, 11, 29),
        dt.date(2026, 11, 30),
        dt.date(2026, 12, 22),
    ]
    assert soon[1].id == sunday and soon[1].pupil_name == "Łukasz Wójcik"

    summary = meetings.due_summary(vault.sessions, TODAY)
    assert (summary.this_week, summary.overdue) == (2, 2)
    assert summary.sentence() == "2 reviews still to come this week, 2 overdue"
    assert meetings.DueSummary(1, 0).sentence() == "1 review still to come this week, none overdue"
    assert meetings.DueSummary(0, 3).sentence() == "No more reviews this week, 3 overdue"

    week = meetings.between(vault.sessions, dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert len(week) == 4
    with pytest.raises(ValidationFailed):
        meetings.between(vault.sessions, TODAY, dt.date(2026, 11, 1))


def test_review_dates_without_meetings_count_as_overdue(vault: Vault) -> None:
    pupil = add_pupil(vault)
    with vault.sessions() as session, session.begin():
        session.add(
            Cycle(pupil_id=pupil, number=1, stage="do", opened_on=dt.date(2026, 9, 1),
                  review_date=dt.date(2026, 11, 20))
        )  # fmt: skip
    assert meetings.due_summary(vault.sessions, TODAY).overdue == 1
    assert meetings.due_summary(vault.sessions, dt.date(2026, 11, 20)).overdue == 0


def test_three_reviews_a_year_tallies(vault: Vault) -> None:
    pupil = add_pupil(vault)
    add_pupil(vault, "Nobody", "Needs", "N")
    newcomer = add_pupil(vault, "Okafor", "Chidi")
    pupils_update = pupils.details(vault.sessions, newcomer)
    pupils_update.sen_support_since = dt.date(2027, 3, 15)
    pupils.update(vault.sessions, newcomer, pupils_update, dt.date(2027, 4, 1))
    for day in (dt.date(2026, 7, 1), dt.date(2026, 10, 1)):  # last year's does not count
        done = meetings.schedule_on_day(vault.sessions, pupil, day, today=day)
        meetings.mark_held(vault.sessions, done.meeting_id, "Mum", today=day)
    april = dt.date(2027, 4, 20)
    tallies = {t.pupil_id: t for t in meetings.review_tallies(vault.sessions, april)}
    assert set(tallies) == {pupil, newcomer}
    assert (tallies[pupil].tally.held, tallies[pupil].tally.expected_by_now) == (1, 2)
    assert tallies[pupil].tally.behind
    assert tallies[pupil].pupil_name == "Zoë Brontë"
    assert not tallies[newcomer].tally.behind


def test_export_respects_the_calendar_setting_and_is_audited(vault: Vault) -> None:
    pupil = add_pupil(vault)
    meetings.schedule(
        vault.sessions,
        pupil,
        MeetingDetails("sen_review", at(TODAY), 30, "Room 4", "Mrs Brontë", "Private note"),
        TODAY,
    )
    assert meetings.calendar_detail(vault.sessions) == "initials_kind"
    data, count = meeting_exports.export_ics(vault.sessions, TODAY, TODAY)
    assert count == 1
    [event] = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["summary"]) == "Z.B. — SEN support review"
    text = data.decode()
    for leak in ("Zoë", "Brontë", "Private note"):
        assert leak not in text
    chosen = school.load(vault.sessions)  # as the Settings dialog saves it
    school.save(vault.sessions, replace(chosen, calendar_detail="kind_only"))
    data, _ = meeting_exports.export_ics(vault.sessions, TODAY, TODAY)
    assert "Z.B." not in data.decode()
    with pytest.raises(ValidationFailed):
        school.save(vault.sessions, replace(chosen, calendar_detail="everything"))
    assert meetings.calendar_detail(vault.sessions) == "kind_only"
    exported = [s for a, s in audit_actions(vault) if a == "calendar.exported"]
    assert exported[0].startswith("iCalendar export of 1 meetings, 2026-11-25 to 2026-11-25")
