"""The Plan wizard, typed into: where and when, expected impact and the measure of each provision
are saved, kept in a draft and printed; agreeing offers a review date and books its meeting."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Iterator

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sendesk.cycle import AssessData
from sendesk.models import Meeting, Provision
from sendesk.services import cycles, measures, meetings, pupils
from sendesk.services import documents as docs
from sendesk.services.pupils import PupilDetails
from tests.unit.test_cycles_service import plan as a_plan
from ui.main_window import MainWindow
from ui.wizards.base import StageWizard
from ui.wizards.plan_wizard import FIRST_PROVISION_TITLES, MEASURED_BY, PlanWizard
from ui.wizards.rows_table import RowsTable

TODAY = dt.date(2026, 11, 27)  # a Friday in term


@pytest.fixture(autouse=True)
def on_a_fixed_day(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(StageWizard, "today", staticmethod(lambda: TODAY))
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog):
            widget.hide()


def at_plan(window: MainWindow) -> tuple[int, int]:
    """A pupil whose cycle is at Plan, shown on the Cycles tab: (pupil, cycle)."""
    sessions = window.ctx.sessions
    pupil_id = pupils.create(sessions, PupilDetails("Nowak", "Zofia"), today=TODAY).pupil_id
    cycle_id = cycles.start(sessions, pupil_id, TODAY)
    cycles.save_assess(
        sessions, cycle_id, AssessData(concern="Reading", needs=["SPLD"]), complete=True
    )
    window.load_register()
    window.register.select_pupil(pupil_id)
    window.record.tabs.setCurrentWidget(window.record.cycles)
    return pupil_id, cycle_id


def open_plan(window: MainWindow) -> PlanWizard:
    wizard = window.record.cycles.continue_cycle()
    assert isinstance(wizard, PlanWizard) and wizard.isVisible()
    return wizard


def column(table: RowsTable, title: str) -> int:
    return [c.title for c in table.columns].index(title)


def type_cell(qtbot: QtBot, table: RowsTable, row: int, title: str, text: str) -> None:
    """Into the cell's own editor, as a user does: F2, the text, Enter."""
    grid = table.table
    grid.setFocus()
    grid.setCurrentCell(row, column(table, title))
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = grid.indexWidget(grid.currentIndex())  # the cell's editor, open
    assert isinstance(editor, QLineEdit), editor
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid.state() != grid.State.EditingState)


def click(qtbot: QtBot, wizard: QWizard, which: QWizard.WizardButton) -> None:
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def pdf_text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(
        " ".join(unicodedata.normalize("NFKC", p.extract_text() or "").split()) for p in pages
    )


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_provision_details_are_typed_kept_in_a_draft_saved_and_printed(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    window = empty_window
    sessions = window.ctx.sessions
    pupil_id, cycle_id = at_plan(window)
    reading = next(m for m in measures.list_measures(sessions) if m.details.name == "Reading age")
    wizard = open_plan(window)
    outcomes = wizard.outcomes_page.table
    qtbot.mouseClick(outcomes.add_button, Qt.MouseButton.LeftButton)
    outcomes.combo(0, 0).set_code("CL")
    type_cell(qtbot, outcomes, 0, "What the pupil will achieve", "Read 40 common words")
    type_cell(qtbot, outcomes, 0, "How we will know", "Reads 40 of 40")
    type_cell(qtbot, outcomes, 0, "By when (DD/MM/YYYY)", "12/02/2027")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)

    table = wizard.provision_page.table
    assert wizard.currentPage() is wizard.provision_page
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    type_cell(qtbot, table, 0, "What", "Precision teaching")
    type_cell(qtbot, table, 0, "Who delivers it", "Mrs Hughes (TA)")
    type_cell(qtbot, table, 0, "Where and when", "Library, Tuesday and Thursday mornings")
    type_cell(qtbot, table, 0, "Expected impact", "Reads common words without help")
    measured = table.combo(0, column(table, MEASURED_BY))
    assert measured.code() is None  # blank until chosen: a provision need not be measured
    measured.setFocus()
    qtbot.keyClicks(measured, "Reading age")  # a pick list answers to its choices' names
    assert measured.code() == reading.id
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)

    review = wizard.review_page
    assert wizard.currentPage() is review
    # Offered: the review when the last outcome is due, and the parents told today.
    assert review.review_date.text() == "12/02/2027"
    assert review.informed_on.text() == "27/11/2026"
    assert review.meeting.text() == (
        "Agreeing the plan books the review meeting for Friday 12/02/2027 at 15:30."
    )
    wizard.close()  # half-way: a draft keeps every column

    wizard = open_plan(window)
    table = wizard.provision_page.table
    assert table.values() == [
        ["Precision teaching", "Mrs Hughes (TA)", "Library, Tuesday and Thursday mornings",
         "1", "1", "30", "12", "", "Reads common words without help", reading.id]
    ]  # fmt: skip
    assert wizard.currentPage() is wizard.review_page
    review = wizard.review_page
    review.review_date.clear()
    qtbot.keyClicks(review.review_date, "15/02/2027")
    assert "Monday 15/02/2027 at 15:30" in review.meeting.text()
    qtbot.keyClicks(review.informed_how, "Meeting with mum")
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert not wizard.isVisible()

    with sessions() as session:
        [provision] = session.execute(select(Provision)).scalars()
        assert (provision.where_when, provision.expected_impact, provision.measure_id) == (
            "Library, Tuesday and Thursday mornings",
            "Reads common words without help",
            reading.id,
        )
        [meeting] = session.execute(select(Meeting)).scalars()
        assert (meeting.cycle_id, meeting.kind, meeting.starts_at) == (
            cycle_id, "sen_review", dt.datetime(2027, 2, 15, 15, 30),
        )  # fmt: skip
    state = cycles.load(sessions, cycle_id)
    assert (state.stage, state.plan.parents_informed_on) == ("do", TODAY)
    told = window.statusBar().currentMessage()
    assert "plan agreed. Review meeting booked for Monday 15/02/2027 at 15:30" in told, told
    assert ".." not in told and "(" not in told
    assert cycles.load_draft(sessions, pupil_id, "plan") is None

    printed = pdf_text(docs.support_plan_pdf(sessions, pupil_id, today=TODAY).data)
    assert "Library, Tuesday and Thursday mornings" in printed
    assert "Reads common words without help" in printed
    assert "15 February 2027" in printed or "15/02/2027" in printed


def test_a_draft_from_before_the_new_columns_resumes_in_the_right_columns(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    window = empty_window
    pupil_id, cycle_id = at_plan(window)
    old_row = ["Toe by Toe", "TA", "1", "5", "20", "10", "45.00"]
    cycles.save_draft(
        window.ctx.sessions, pupil_id, "plan", 0,
        {"fields": {"provisions": [[None, old_row]]}}, cycle_id,
    )  # fmt: skip
    assert len(old_row) == len(FIRST_PROVISION_TITLES)
    wizard = open_plan(window)
    [provision] = wizard.provision_page.provisions()
    assert (provision.description, provision.sessions_per_week, provision.minutes_per_session,
            provision.weeks) == ("Toe by Toe", 5, 20, 10)  # fmt: skip
    assert provision.fixed_cost_pence == 4500
    assert (provision.where_when, provision.expected_impact, provision.measure_id) == ("", "", None)


def test_with_no_target_dates_the_review_is_offered_twelve_weeks_on_and_a_booked_meeting_kept(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    window = empty_window
    sessions = window.ctx.sessions
    pupil_id, cycle_id = at_plan(window)
    wizard = open_plan(window)
    outcomes = wizard.outcomes_page.table
    qtbot.mouseClick(outcomes.add_button, Qt.MouseButton.LeftButton)
    type_cell(qtbot, outcomes, 0, "What the pupil will achieve", "Read 40 common words")
    type_cell(qtbot, outcomes, 0, "How we will know", "Reads 40 of 40")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    provision = wizard.provision_page.table
    qtbot.mouseClick(provision.add_button, Qt.MouseButton.LeftButton)
    type_cell(qtbot, provision, 0, "What", "Precision teaching")
    review = wizard.review_page
    review.informed_on.setText("20/11/2026")  # already typed: kept
    for _ in range(2):
        click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is review
    assert (review.review_date.text(), review.informed_on.text()) == ("19/02/2027", "20/11/2026")
    wizard.close()
    cycles.discard_draft(sessions, pupil_id, "plan")

    # A review meeting already booked for this cycle is said, and agreeing books no other.
    cycles.save_plan(sessions, cycle_id, a_plan(), complete=False, today=TODAY)
    meetings.schedule_for_review(sessions, cycle_id, today=TODAY)
    wizard = open_plan(window)
    for _ in range(3):
        wizard.next()
    assert wizard.currentPage() is wizard.review_page
    assert wizard.review_page.review_date.text() == "15/02/2027"  # the plan's own, not offered
    assert wizard.review_page.meeting.text().startswith(
        "The review meeting is already booked for Monday 15/02/2027 at 15:30"
    )
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert not wizard.isVisible()
    with sessions() as session:
        assert len(session.execute(select(Meeting)).scalars().all()) == 1
    assert "already booked for Monday 15/02/2027" in window.statusBar().currentMessage()


def test_review_date_warnings_judge_the_date_by_the_wizards_day(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    """The warnings ask the same clock as the save: a date after the wizard's day is not "in the
    past", whatever the machine's clock says (it is already after 30 November 2026)."""
    at_plan(main_window)
    wizard = open_plan(main_window)
    page = wizard.review_page
    page.review_date.setText("30/11/2026")  # the Monday after TODAY
    assert "in the past" not in page.warnings.text()
    page.review_date.setText("26/11/2026")  # the day before TODAY
    assert "The review date is in the past." in page.warnings.text()
    wizard.close()
