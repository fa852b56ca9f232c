"""Attendance per term, typed in from the MIS through the pupil's Documents tab."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox
from pytestqt.qtbot import QtBot

from sendesk.services import attendance
from sendesk.services.attendance import TermFigures
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
    assert [year, "Autumn", "140", "126", "90.0%"] in _shown(dialog)
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
