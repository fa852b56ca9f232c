"""From the calendar's "Mark held" to an applied review, counting what the user does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sendesk.cycle import AssessData, OutcomePlan, PlanData, ProvisionPlan
from sendesk.models import Meeting, Review
from sendesk.services import cycles, meetings, pupils
from sendesk.services.pupils import PupilDetails
from ui.calendar_view import CalendarView
from ui.main_window import MainWindow
from ui.meeting_dialog import HeldDialog
from ui.wizards.base import StageWizard
from ui.wizards.review_wizard import ReviewWizard

TODAY = dt.date(2026, 11, 23)
MEETING_DAY = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def on_the_demo_day(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(StageWizard, "today", staticmethod(lambda: TODAY))
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog):
            widget.hide()


class Counter:
    """Every click and every field typed into is one interaction."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.count = 0

    def click(self, widget: QWidget) -> None:
        self.count += 1
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    def type(self, widget: QWidget, text: str) -> None:
        self.count += 1
        self.qtbot.keyClicks(widget, text)


def a_cycle_at_do(window: MainWindow, outcomes: int) -> tuple[int, int]:
    sessions = window.ctx.sessions
    pupil_id = pupils.create(sessions, PupilDetails("Okafor", "Chidi"), today=TODAY).pupil_id
    cycle_id = cycles.start(sessions, pupil_id, TODAY - dt.timedelta(weeks=12))
    cycles.save_assess(
        sessions, cycle_id, AssessData(concern="Reading", needs=["SPLD"]), complete=True
    )
    plan = PlanData(
        outcomes=[OutcomePlan(f"will reach target {n}", f"measure {n}") for n in range(outcomes)],
        provisions=[ProvisionPlan("Precision teaching", "TA", 1, 3, 15, 10)],
        review_date=MEETING_DAY,
        parents_informed_on=TODAY - dt.timedelta(weeks=12),
        parents_informed_how="Meeting with mum",
    )
    cycles.save_plan(sessions, cycle_id, plan, complete=True, today=TODAY - dt.timedelta(weeks=12))
    return pupil_id, cycle_id


def test_a_review_of_four_outcomes_from_mark_held_takes_twelve_interactions(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    window = empty_window
    pupil_id, cycle_id = a_cycle_at_do(window, outcomes=4)
    meeting_id = meetings.schedule_for_review(
        window.ctx.sessions, cycle_id, invited="Mum; class teacher", today=TODAY
    ).meeting_id
    window.load_register()
    window.register.select_pupil(pupil_id)
    window.named_actions["calendar"].trigger()
    view = window.calendar_view
    assert isinstance(view, CalendarView)
    view.today = lambda: TODAY
    view.select_meeting(meeting_id)

    user = Counter(qtbot)
    user.click(view.held_button)
    held = view.dialog
    assert isinstance(held, HeldDialog)
    held.attendees.clear()
    user.type(held.attendees, "Mum; Mr Patel (class teacher); SENCo")
    user.click(held.ok_button)

    wizard = window.record.cycles.wizard
    assert isinstance(wizard, ReviewWizard) and wizard.isVisible()
    user.count = 0  # the review itself starts here
    nxt = wizard.button(QWizard.WizardButton.NextButton)
    # Three outcomes achieved need no comment; the fourth, not achieved, says why.
    rows = list(wizard.ratings_page.rows.values())
    for combo, _ in rows[:3]:
        user.type(combo, "A")  # Achieved
    user.type(rows[3][0], "S")  # Some progress
    user.type(rows[3][1], "Needs more time with blending")
    user.click(nxt)
    [impact] = wizard.impact_page.impacts.values()
    user.type(impact, "Reading age up 6 months")
    user.click(nxt)
    # Who attended and the day come from the meeting marked held.
    assert wizard.meeting_page.attendees.text() == "Mum; Mr Patel (class teacher); SENCo"
    assert wizard.meeting_page.held_on.value() == MEETING_DAY
    user.click(nxt)
    user.click(wizard.next_page.buttons["continue"])
    user.click(nxt)
    user.click(wizard.button(QWizard.WizardButton.FinishButton))
    assert not wizard.isVisible()
    assert user.count == 12

    with window.ctx.sessions() as session:
        review = session.execute(select(Review)).scalar_one()
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        assert review.meeting_id == meeting_id and review.held_on == MEETING_DAY
        assert review.attendees == "Mum; Mr Patel (class teacher); SENCo"
        assert meeting.status == "held"
    assert cycles.load(window.ctx.sessions, cycle_id).stage == "closed"


def test_the_review_starts_from_the_planned_meeting_and_marks_it_held(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    """Applying a review from the Cycles tab, with no "Mark held" first, marks the calendar's
    planned meeting held and starts from who was invited."""
    window = empty_window
    pupil_id, cycle_id = a_cycle_at_do(window, outcomes=1)
    meeting_id = meetings.schedule_for_review(
        window.ctx.sessions, cycle_id, invited="Dad; SENCo", today=TODAY
    ).meeting_id
    cycles.begin_review(window.ctx.sessions, cycle_id)
    window.load_register()
    window.register.select_pupil(pupil_id)
    wizard = window.record.cycles.continue_cycle()
    assert isinstance(wizard, ReviewWizard)
    assert wizard.meeting_page.attendees.text() == "Dad; SENCo"
    assert wizard.meeting_page.held_on.value() == MEETING_DAY
    [(combo, comment)] = wizard.ratings_page.rows.values()
    nxt = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.keyClicks(combo, "G")  # Good progress: not achieved, so a comment is required
    assert "Required" in comment.placeholderText()
    qtbot.mouseClick(nxt, Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.ratings_page
    assert "Say why" in wizard.ratings_page.problems.text()  # said before moving on
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # the next rating, Achieved: no comment needed
    assert "Optional" in comment.placeholderText()
    qtbot.mouseClick(nxt, Qt.MouseButton.LeftButton)
    [impact] = wizard.impact_page.impacts.values()
    qtbot.keyClicks(impact, "Helped")
    qtbot.mouseClick(nxt, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(nxt, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(wizard.next_page.buttons["continue"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(nxt, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()
    assert meetings.get(window.ctx.sessions, meeting_id).status == "held"
    assert [m.status for m in meetings.between(window.ctx.sessions, MEETING_DAY, MEETING_DAY)] == [
        "held"
    ]


def test_the_next_steps_closed_to_a_pupil_with_an_ehc_plan_say_why_in_view(qtbot: QtBot) -> None:
    """From the GUI trial: "request an EHC needs assessment" was offered to a pupil who has a
    plan, and why "remove from SEN support" was greyed out was only in a tooltip."""
    from ui.wizards.review_wizard import NextStepPage

    page = NextStepPage("E")
    qtbot.addWidget(page)
    page.show()
    assert not page.buttons["exit"].isEnabled() and not page.buttons["ehcna"].isEnabled()
    assert page.buttons["continue"].isEnabled() and page.buttons["specialist"].isEnabled()
    assert page.closed_reasons.isVisible()
    assert "until the local authority ends the plan" in page.closed_reasons.text()
    assert "annual review" in page.closed_reasons.text()
    support = NextStepPage("K")
    qtbot.addWidget(support)
    support.show()
    assert all(b.isEnabled() for b in support.buttons.values())
    assert not support.closed_reasons.isVisible()
