"""The value a school expects at each year group is typed with the measure in its dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sendesk.services import measures
from ui.analytics.measures_dialog import MeasuresDialog
from ui.main_window import MainWindow


def test_expected_values_are_typed_checked_and_saved_with_the_measure(
    qtbot: QtBot, empty_window: MainWindow
) -> None:
    sessions = empty_window.ctx.sessions
    dialog = MeasuresDialog(empty_window.ctx, empty_window)
    qtbot.addWidget(dialog)
    dialog.show()
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    dialog.table.selectRow(names.index("Reading age"))
    assert dialog.expected.text() == ""
    qtbot.keyClicks(dialog.expected, "Y3: 96, Y4 108, Y9")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "'Y9' is not a year group and a number" in dialog.problems.text()
    [reading] = [m for m in measures.list_measures(sessions) if m.details.name == "Reading age"]
    assert reading.details.expected == {}  # nothing half-saved

    dialog.expected.clear()
    qtbot.keyClicks(dialog.expected, "Y3: 96, Year 4 = 108")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.problems.isVisible()
    [reading] = [m for m in measures.list_measures(sessions) if m.details.name == "Reading age"]
    assert reading.details.expected == {3: 96.0, 4: 108.0}
    # Chosen again, the measure shows its expected values as they are typed.
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    dialog.table.selectRow(names.index("Spelling age"))
    assert dialog.expected.text() == ""
    dialog.table.selectRow(names.index("Reading age"))
    assert dialog.expected.text() == "Y3: 96, Y4: 108"
