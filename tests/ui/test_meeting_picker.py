"""Scheduling a meeting for the pupil shown, and finding a pupil by any part of their name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from sendesk.services import meetings, pupils, timeline
from sendesk.services.pupils import PupilDetails
from ui.calendar_view import CalendarView
from ui.main_window import MainWindow
from ui.meeting_dialog import MeetingDialog


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


def test_the_meetings_tab_schedules_for_the_pupil_shown(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    window = empty_window
    _, amy = two_pupils(window)
    window.register.select_pupil(amy)
    tab = window.record.meetings
    window.record.tabs.setCurrentWidget(tab)
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
