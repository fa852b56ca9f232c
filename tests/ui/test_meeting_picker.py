"""Scheduling a meeting for the pupil shown, and finding a pupil by any part of their name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from sendesk.cycle import AssessData
from sendesk.services import cycles, meetings, pupils, timeline
from sendesk.services.pupils import PupilDetails
from tests.unit.test_cycles_service import plan
from ui.calendar_view import CalendarView
from ui.main_window import MainWindow
from ui.meeting_dialog import MeetingDialog
from ui.record.meetings_tab import MeetingsTab


@pytest.fixture(autouse=True)
def hide_dialogs_after() -> Iterator[None]:
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog):
            widget.hide()


def two_pupils(window: MainWindow) -> tuple[int, int]:
    zoe = pupils.create(window.ctx.sessions, PupilDetails("Brontë", "Zoë", year_group=4)).pupil_id
    amy = pupils.create(window.ctx.sessions, PupilDetails("Cole", "Amy", year_group=4)).pupil_id
    window.load_register()
    return zoe, amy


def meetings_tab(window: MainWindow, pupil_id: int) -> MeetingsTab:
    """The Meetings tab of the pupil, chosen in the register."""
    window.register.select_pupil(pupil_id)
    tab = window.record.meetings
    window.record.tabs.setCurrentWidget(tab)
    return tab


def test_the_meetings_tab_schedules_for_the_pupil_shown(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    window = empty_window
    _, amy = two_pupils(window)
    tab = meetings_tab(window, amy)
    assert tab.table.rowCount() == 0
    qtbot.mouseClick(tab.schedule_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, MeetingDialog) and dialog.isVisible()
    assert dialog.pupil.currentData() == amy
    dialog.day.clear()
    qtbot.keyClicks(dialog.day, "07/12/2026")
    qtbot.keyClicks(dialog.place, "Room 4")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    [row] = timeline.meetings(window.ctx.sessions, amy)
    assert (row.starts_at, row.place, row.status) == (
        dt.datetime(2026, 12, 7, 15, 30), "Room 4", "planned",
    )  # fmt: skip
    assert tab.table.rowCount() == 1 and tab.table.item(0, 2).text() == "Room 4"


# The offscreen platform cannot raise a pop-up or grab the keyboard for it; nothing to act on.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_the_pupil_picker_ignores_accents_like_the_register(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    window = empty_window
    zoe, _ = two_pupils(window)
    window.named_actions["calendar"].trigger()
    view = window.calendar_view
    assert isinstance(view, CalendarView)
    dialog = view.schedule(day=dt.date(2026, 12, 7))
    assert isinstance(dialog, MeetingDialog)
    assert dialog.pupil.currentData() == 0  # no pupil shown: none chosen for the user
    editor = dialog.pupil.lineEdit()
    assert editor is not None
    qtbot.keyClicks(editor, "zoe bron")
    popup = dialog.pupil.finder.popup()
    assert popup.isVisible()
    assert dialog.pupil.matches.stringList() == ["Zoë Brontë (Year 4)"]
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.pupil.currentData() == zoe
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert [m.pupil_id for m in meetings.between(
        window.ctx.sessions, dt.date(2026, 12, 7), dt.date(2026, 12, 7)
    )] == [zoe]  # fmt: skip


def test_the_calendar_starts_on_the_pupil_shown_now(qtbot: QtBot, empty_window: MainWindow) -> None:
    window = empty_window
    zoe, amy = two_pupils(window)
    window.register.select_pupil(zoe)
    window.named_actions["calendar"].trigger()
    view = window.calendar_view
    assert isinstance(view, CalendarView)
    window.register.select_pupil(amy)  # another pupil chosen while the calendar stays open
    qtbot.mouseClick(view.schedule_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, MeetingDialog) and dialog.pupil.currentData() == amy
    dialog.reject()


def planned(window: MainWindow, pupil_id: int, review_date: dt.date) -> int:
    """A cycle with its plan agreed (review on `review_date`) and no meeting booked for it."""
    sessions = window.ctx.sessions
    cycle_id = cycles.start(sessions, pupil_id, dt.date(2026, 11, 23))
    cycles.save_assess(sessions, cycle_id, AssessData(concern="x", needs=["SPLD"]), complete=True)
    cycles.save_plan(
        sessions, cycle_id, replace(plan(), review_date=review_date), complete=True,
        today=dt.date(2026, 11, 23),
    )  # fmt: skip
    return cycle_id


def test_the_meetings_tab_books_the_plans_review_on_its_date(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    window = empty_window
    zoe, amy = two_pupils(window)
    planned(window, zoe, dt.date(2026, 12, 14))  # another pupil's review is not offered here
    cycle_id = planned(window, amy, dt.date(2026, 12, 9))
    tab = meetings_tab(window, amy)
    assert tab.review_button.isVisible()
    assert tab.review_button.text() == "Schedule the plan's &review (09/12/2026)…"
    qtbot.mouseClick(tab.review_button, Qt.MouseButton.LeftButton)
    dialog = tab.dialog
    assert isinstance(dialog, MeetingDialog) and dialog.isVisible()
    assert dialog.pupil.currentData() == amy and dialog.day.value() == dt.date(2026, 12, 9)
    assert dialog.kind.code() == "sen_review" and not dialog.kind.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    [booked] = timeline.meetings(window.ctx.sessions, amy)
    assert (booked.starts_at.date(), booked.kind) == (dt.date(2026, 12, 9), "sen_review")
    # Linked to the cycle: the calendar no longer lists the plan's date as still to book.
    to_book = meetings.reviews_to_schedule(window.ctx.sessions)
    assert [r.pupil_id for r in to_book] == [zoe] and cycle_id not in [r.cycle_id for r in to_book]
    assert not tab.review_button.isVisible() and tab.table.rowCount() == 1

    # Any other meeting is still scheduled from a blank one, of any kind.
    qtbot.mouseClick(tab.schedule_button, Qt.MouseButton.LeftButton)
    other = tab.dialog
    assert isinstance(other, MeetingDialog) and other is not dialog
    assert other.kind.isEnabled() and other.cycle_id is None
    other.reject()


def test_a_plan_agreed_on_the_cycles_tab_shows_on_the_meetings_tab(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    window = empty_window
    _, amy = two_pupils(window)
    tab = meetings_tab(window, amy)
    assert not tab.review_button.isVisible()
    planned(window, amy, dt.date(2026, 12, 9))
    window.record.cycles.records_changed.emit()  # as the Plan wizard does when it finishes
    assert tab.review_button.isVisible() and "09/12/2026" in tab.review_button.text()
