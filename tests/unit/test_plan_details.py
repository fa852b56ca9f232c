"""A plan's provision says where and when, its expected impact and the measure that shows it;
agreeing the plan books its review meeting in the same transaction."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from sendesk import cycle as rules
from sendesk.cycle import AssessData, PlanData
from sendesk.errors import StaleEdit, ValidationFailed
from sendesk.models import AuditEvent, Meeting
from sendesk.services import cycles, measures, meetings, pupils
from sendesk.services.pupils import PupilDetails
from sendesk.vault import Vault
from tests.unit.test_cycles_service import plan
from tests.unit.test_document_contents import _text as pdf_text

TODAY = dt.date(2026, 11, 23)  # a Monday
REVIEW = dt.date(2027, 2, 15)  # plan()'s review date, a Monday in term


def _planning(vault: Vault) -> int:
    pupil_id = pupils.create(vault.sessions, PupilDetails("Okafor", "Chidi"), today=TODAY).pupil_id
    cycle_id = cycles.start(vault.sessions, pupil_id, TODAY)
    cycles.save_assess(
        vault.sessions, cycle_id, AssessData(concern="Reading", needs=["SPLD"]), complete=True
    )
    return cycle_id


def _measure(vault: Vault, name: str) -> int:
    return next(m.id for m in measures.list_measures(vault.sessions) if m.details.name == name)


def _with(data: PlanData, **changes: object) -> PlanData:
    provisions = [dataclasses.replace(p, **changes) for p in data.provisions]  # type: ignore[arg-type]
    return dataclasses.replace(data, provisions=provisions)


def _meetings(vault: Vault) -> list[Meeting]:
    with vault.sessions() as session:
        return list(session.execute(select(Meeting)).scalars())


def _events(vault: Vault, action: str) -> int:
    with vault.sessions() as session:
        return session.execute(select(func.count()).where(AuditEvent.action == action)).scalar_one()


def test_where_and_when_expected_impact_and_measure_are_stored_and_read_back(
    vault: Vault,
) -> None:
    cycle_id = _planning(vault)
    reading = _measure(vault, "Reading age")
    typed = _with(
        plan(),
        where_when=" Small-group room, Tuesday and Thursday mornings ",
        expected_impact="Reads 40 common words\r\nwithout help ",
        measure_id=reading,
    )
    cycles.save_plan(vault.sessions, cycle_id, typed, complete=False, today=TODAY)
    [stored] = cycles.load(vault.sessions, cycle_id).plan.provisions
    assert (stored.where_when, stored.expected_impact, stored.measure_id) == (
        "Small-group room, Tuesday and Thursday mornings",
        "Reads 40 common words\nwithout help",
        reading,
    )
    # The same row corrected keeps its id (and its sessions); the measure can be taken away.
    corrected = dataclasses.replace(
        plan(), provisions=[dataclasses.replace(stored, where_when="", measure_id=None)]
    )
    cycles.save_plan(vault.sessions, cycle_id, corrected, complete=True, today=TODAY)
    [again] = cycles.load(vault.sessions, cycle_id).plan.provisions
    assert (again.id, again.where_when, again.measure_id) == (stored.id, "", None)
    assert again.expected_impact == "Reads 40 common words\nwithout help"
    assert measures.provision_measures(vault.sessions, cycles.load(vault.sessions, cycle_id)
                                       .pupil_id)[0].measure_id is None  # fmt: skip


def test_a_where_and_when_too_long_for_the_file_is_refused_even_in_a_draft(vault: Vault) -> None:
    cycle_id = _planning(vault)
    too_long = _with(plan(), where_when="x" * (rules.WHERE_WHEN_LONGEST + 1))
    for complete in (False, True):
        with pytest.raises(ValidationFailed) as refused:
            cycles.save_plan(vault.sessions, cycle_id, too_long, complete=complete, today=TODAY)
        assert "200 characters" in refused.value.problems["provisions"]
    assert cycles.load(vault.sessions, cycle_id).plan.provisions == []  # nothing half-written
    assert rules.plan_problems(too_long)["provisions"].startswith("Keep where and when")


def test_a_measure_must_be_the_schools_and_not_newly_retired(vault: Vault) -> None:
    cycle_id = _planning(vault)
    reading, spelling = _measure(vault, "Reading age"), _measure(vault, "Spelling age")
    with pytest.raises(ValidationFailed, match="no longer in this file"):
        cycles.save_plan(
            vault.sessions, cycle_id, _with(plan(), measure_id=9_999), complete=False, today=TODAY
        )
    cycles.save_plan(
        vault.sessions, cycle_id, _with(plan(), measure_id=reading), complete=False, today=TODAY
    )
    measures.set_retired(vault.sessions, reading)
    measures.set_retired(vault.sessions, spelling)
    stored = cycles.load(vault.sessions, cycle_id).plan
    # A provision keeps the retired measure it had; a new choice of a retired one is refused.
    cycles.save_plan(vault.sessions, cycle_id, stored, complete=False, today=TODAY)
    with pytest.raises(ValidationFailed, match="Spelling age is retired"):
        cycles.save_plan(
            vault.sessions, cycle_id, _with(stored, measure_id=spelling), complete=False,
            today=TODAY,
        )  # fmt: skip
    assert cycles.load(vault.sessions, cycle_id).plan.provisions[0].measure_id == reading


def test_agreeing_a_plan_books_its_review_meeting_once(vault: Vault) -> None:
    cycle_id = _planning(vault)
    assert "books the review meeting for Monday 15/02/2027 at 15:30" in meetings.review_to_book(
        vault.sessions, cycle_id, REVIEW
    )
    # A draft saved on the way books nothing; nor does agreeing without asking to book.
    cycles.save_plan(
        vault.sessions, cycle_id, plan(), complete=False, today=TODAY, book_review=True
    )
    assert _meetings(vault) == []

    saved = cycles.save_plan(
        vault.sessions, cycle_id, plan(), complete=True, today=TODAY, book_review=True
    )
    assert saved.warnings == []
    assert saved.review is not None and saved.review.booked_now
    assert saved.review.sentence() == "Review meeting booked for Monday 15/02/2027 at 15:30."
    [meeting] = _meetings(vault)
    assert (meeting.cycle_id, meeting.kind, meeting.status, meeting.starts_at) == (
        cycle_id, "sen_review", "planned", dt.datetime(2027, 2, 15, 15, 30),
    )  # fmt: skip
    assert saved.review.meeting_id == meeting.id
    assert _events(vault, "meeting.scheduled") == 1
    assert meetings.reviews_to_schedule(vault.sessions) == []
    assert "already booked for Monday 15/02/2027" in meetings.review_to_book(
        vault.sessions, cycle_id, REVIEW + dt.timedelta(days=1)
    )

    # Corrected and agreed again with a later date: the meeting booked stays, and is named.
    cycles.reopen(vault.sessions, cycle_id, "plan")
    later = dataclasses.replace(plan(), review_date=REVIEW + dt.timedelta(days=2))
    again = cycles.save_plan(
        vault.sessions, cycle_id, later, complete=True, today=TODAY, book_review=True
    )
    assert again.review is not None and not again.review.booked_now
    assert again.review.sentence().startswith("The review meeting was already booked for Monday")
    assert len(_meetings(vault)) == 1


def test_a_plan_refused_books_no_meeting(vault: Vault) -> None:
    cycle_id = _planning(vault)
    seen = cycles.load(vault.sessions, cycle_id).version
    cycles.save_plan(vault.sessions, cycle_id, plan(), complete=False, today=TODAY)  # theirs
    with pytest.raises(StaleEdit):
        cycles.save_plan(
            vault.sessions, cycle_id, plan(), complete=True, today=TODAY, seen=seen,
            book_review=True,
        )  # fmt: skip
    half = dataclasses.replace(plan(), parents_informed_how="")
    with pytest.raises(ValidationFailed):
        cycles.save_plan(vault.sessions, cycle_id, half, complete=True, today=TODAY,
                         book_review=True)  # fmt: skip
    assert _meetings(vault) == [] and _events(vault, "meeting.scheduled") == 0
    assert cycles.load(vault.sessions, cycle_id).stage == "plan"


def test_the_review_date_offered_is_the_last_target_or_about_a_term_on() -> None:
    soon, later = TODAY + dt.timedelta(weeks=6), TODAY + dt.timedelta(weeks=10)
    assert rules.default_review_date([soon, None, later], TODAY) == later
    twelve_weeks = dt.date(2027, 2, 15)
    assert rules.default_review_date([], TODAY) == twelve_weeks
    assert rules.default_review_date([None], TODAY) == twelve_weeks
    # Targets already past (a plan reopened late) are not a review date to offer.
    assert rules.default_review_date([TODAY - dt.timedelta(days=1), TODAY], TODAY) == twelve_weeks


def test_a_measure_chosen_elsewhere_while_the_plan_is_open_is_not_saved_over(
    vault: Vault,
) -> None:
    cycle_id = _planning(vault)
    cycles.save_plan(vault.sessions, cycle_id, plan(), complete=False, today=TODAY)
    opened = cycles.load(vault.sessions, cycle_id)  # the Plan wizard opens
    [provision] = opened.provisions
    reading = _measure(vault, "Reading age")
    measures.set_provision_measure(vault.sessions, provision.id, reading)  # Impact measures
    with pytest.raises(StaleEdit):
        cycles.save_plan(
            vault.sessions, cycle_id, opened.plan, complete=False, today=TODAY,
            seen=opened.version,
        )  # fmt: skip
    assert cycles.load(vault.sessions, cycle_id).plan.provisions[0].measure_id == reading


def test_the_plan_prints_the_measure_that_shows_each_provisions_impact(vault: Vault) -> None:
    from sendesk.services import documents  # ReportLab loads with the first document

    cycle_id = _planning(vault)
    measured = dataclasses.replace(
        plan().provisions[0], expected_impact="Reads 40 common words", measure_id=_measure(
            vault, "Reading age")
    )  # fmt: skip
    unmeasured = dataclasses.replace(
        plan().provisions[0], description="Colourful semantics", expected_impact="Longer sentences"
    )
    typed = dataclasses.replace(plan(), provisions=[measured, unmeasured])
    cycles.save_plan(vault.sessions, cycle_id, typed, complete=True, today=TODAY)
    pupil_id = cycles.load(vault.sessions, cycle_id).pupil_id

    def printed() -> str:
        return pdf_text(documents.support_plan_pdf(vault.sessions, pupil_id, today=TODAY).data)

    text = printed()
    assert "Reads 40 common words Measured by: Reading age" in text
    # Only the provision with a measure names one.
    assert text.count("Measured by:") == 1 and "Longer sentences" in text
    # A measure retired since still names itself on the plan written with it.
    measures.set_retired(vault.sessions, _measure(vault, "Reading age"))
    assert "Measured by: Reading age" in printed()


def test_the_where_and_when_column_is_printed_only_when_a_provision_says_it(
    vault: Vault,
) -> None:
    from sendesk.services import documents  # ReportLab loads with the first document

    cycle_id = _planning(vault)
    cycles.save_plan(vault.sessions, cycle_id, _with(plan(), where_when=""), complete=False,
                     today=TODAY)  # fmt: skip
    pupil_id = cycles.load(vault.sessions, cycle_id).pupil_id

    def printed() -> str:
        return pdf_text(documents.support_plan_pdf(vault.sessions, pupil_id, today=TODAY).data)

    # No provision says where and when: no empty column squeezing the others.
    blank = printed()
    assert "Where and when" not in blank and "How often, how long" in blank
    loaded = cycles.load(vault.sessions, cycle_id).plan
    said = _with(loaded, where_when="Library, Monday mornings")
    cycles.save_plan(vault.sessions, cycle_id, said, complete=True, today=TODAY)
    text = printed()
    assert "Where and when" in text and "Library, Monday mornings" in text


def test_a_current_plan_printed_after_its_review_date_says_the_review_is_overdue(
    vault: Vault,
) -> None:
    from sendesk.services import documents

    cycle_id = _planning(vault)
    cycles.save_plan(vault.sessions, cycle_id, plan(), complete=True, today=TODAY)
    pupil_id = cycles.load(vault.sessions, cycle_id).pupil_id

    def printed(day: dt.date) -> str:
        pdf = documents.support_plan_pdf(vault.sessions, pupil_id, today=day).data
        return " ".join(pdf_text(pdf).split())

    assert "Monday 15 February 2027, which is overdue" in printed(REVIEW + dt.timedelta(days=1))
    assert "overdue" not in printed(REVIEW)  # due today: not yet overdue
