"""Attendance per term, typed in from the MIS through the pupil's Documents tab."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox
from pytestqt.qtbot import QtBot

from sendesk.services import attendance
from sendesk.services.attendance import TermFigures
from tests.ui.conftest import MessageBoxes
from ui.attendance_dialog import AttendanceDialog
from ui.main_window import MainWindow


def _type(qtbot: QtBot, spin: QSpinBox, value: int) -> None:
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, str(value))


def _shown(dialog: AttendanceDialog) -> list[list[str]]:
    table = dialog.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_a_terms_figures_are_typed_in_corrected_and_never_saved_over_unseen(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    window = main_window
    pupil_id = window.register.model.pupil_at(0).id
    window.register.select_pupil(pupil_id)
    window.record.tabs.setCurrentWidget(window.record.documents)
    tab = window.record.documents
    qtbot.mouseClick(tab.attendance_button, Qt.MouseButton.LeftButton)
    dialog = tab.attendance
    assert isinstance(dialog, AttendanceDialog) and dialog.isVisible()
    sessions = window.ctx.sessions
    before = attendance.list_for(sessions, pupil_id)

    # More sessions attended than possible: said plainly, nothing saved.
    dialog.term.setCurrentIndex(dialog.term.findData("autumn"))
    _type(qtbot, dialog.possible, 140)
    _type(qtbot, dialog.attended, 141)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "more sessions than were possible" in dialog.problems.text()
    assert attendance.list_for(sessions, pupil_id) == before

    _type(qtbot, dialog.attended, 126)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    year = dialog.year.currentText()
    # Exactly 10% missed: persistent absence, as the DfE counts it.
    assert [year, "Autumn", "140", "126", "90.0% (persistent absence)"] in _shown(dialog)
    [saved] = [r for r in attendance.list_for(sessions, pupil_id) if r not in before]
    assert saved.figures == TermFigures(int(dialog.year.currentData()), "autumn", 140, 126)

    # Someone else corrects the same term meanwhile: the dialog's save does not overwrite it.
    theirs = TermFigures(saved.figures.school_year, "autumn", 140, 130)
    attendance.record(sessions, pupil_id, theirs, saved.version, dialog.today)
    _type(qtbot, dialog.attended, 119)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Someone else saved the autumn term" in dialog.problems.text()
    assert [year, "Autumn", "140", "130", "92.9%"] in _shown(dialog)
    assert [r.figures for r in attendance.list_for(sessions, pupil_id) if r.id == saved.id] == [
        theirs
    ]
    # Having seen theirs, saving again replaces them.
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [year, "Autumn", "140", "119", "85.0% (persistent absence)"] in _shown(dialog)
    assert not dialog.problems.isVisible()
    [now] = [r for r in attendance.list_for(sessions, pupil_id) if r.id == saved.id]
    assert now.figures.sessions_attended == 119

    # Chosen in the list, the term's figures come back into the form; Remove takes them away.
    dialog.table.selectRow(_shown(dialog).index([year, "Autumn", "140", "119",
                                                 "85.0% (persistent absence)"]))  # fmt: skip
    assert (dialog.possible.value(), dialog.attended.value()) == (140, 119)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert attendance.list_for(sessions, pupil_id) == before


def test_closing_after_a_save_asks_nothing_but_unsaved_figures_are_asked_about(
    qtbot: QtBot, main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    # The dialog stays open for the next term: what it saved is not "typed and lost".
    window = main_window
    window.register.select_pupil(window.register.model.pupil_at(0).id)
    window.record.tabs.setCurrentWidget(window.record.documents)
    qtbot.mouseClick(window.record.documents.attendance_button, Qt.MouseButton.LeftButton)
    dialog = window.record.documents.attendance
    assert isinstance(dialog, AttendanceDialog)
    dialog.term.setCurrentIndex(dialog.term.findData("spring"))
    _type(qtbot, dialog.possible, 120)
    _type(qtbot, dialog.attended, 110)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.problems.text() == "" or dialog.problems.isHidden()
    _type(qtbot, dialog.attended, 100)  # a correction typed, not saved
    message_boxes.answer = message_boxes.answer.No
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and len(message_boxes.shown) == 1
    dialog.table.selectRow(0)  # a saved term picked: the form shows what is saved
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and len(message_boxes.shown) == 1


# The offscreen platform cannot raise a pop-up or grab the keyboard for it: nothing to act on.
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing|propagateSizeHints)")
def test_looking_at_a_date_field_s_calendar_is_not_a_change(
    qtbot: QtBot, main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    from ui.new_pupil_dialog import NewPupilDialog

    qtbot.keyClick(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = main_window.findChild(NewPupilDialog)
    assert dialog is not None
    calendar = dialog.dob.pop_up_calendar()
    calendar.close()  # looked at, nothing picked
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and message_boxes.shown == []
