"""Date cells in the wizards' tables: the app's date field, typed or picked from its calendar,
by keyboard alone, with the same words as every other date field for a date that is not real."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QCalendarWidget
from pytestqt.qtbot import QtBot

from ui.widgets import DateField
from ui.wizards.assess_wizard import EVIDENCE_COLUMNS
from ui.wizards.plan_wizard import OUTCOME_COLUMNS
from ui.wizards.rows_table import Column, RowsTable


def a_table(qtbot: QtBot) -> RowsTable:
    table = RowsTable("Outcomes", [Column("What", stretch=True), Column("By when (DD/MM/YYYY)")])
    qtbot.addWidget(table)
    table.show()
    qtbot.waitExposed(table)
    table.add_row(["Read a page aloud"])
    return table


def edit_date_cell(qtbot: QtBot, table: RowsTable) -> DateField:
    table.table.setFocus()
    table.table.setCurrentCell(0, 1)
    qtbot.keyClick(table.table, Qt.Key.Key_F2)  # the keyboard's way into a cell
    editor = table.table.findChild(DateField)
    assert isinstance(editor, DateField) and table.table.state() == table.table.State.EditingState
    return editor


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_a_date_cell_is_picked_from_the_calendar_with_the_keyboard(qtbot: QtBot) -> None:
    table = a_table(qtbot)
    editor = edit_date_cell(qtbot, table)
    assert editor.accessibleName() == "By when"
    qtbot.keyClick(editor, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = editor.calendar
    assert isinstance(calendar, QCalendarWidget) and calendar.isVisible()
    calendar.setSelectedDate(QDate(2027, 3, 12))
    grid = calendar.focusWidget() or calendar
    qtbot.keyClick(grid, Qt.Key.Key_Return)  # the day chosen fills the cell's field
    assert editor.text() == "12/03/2027"
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # and Enter keeps it
    qtbot.waitUntil(lambda: table.table.state() != table.table.State.EditingState)
    assert table.values() == [["Read a page aloud", "12/03/2027"]]
    item = table.table.item(0, 1)
    assert item is not None and not item.toolTip()


def test_a_date_that_is_not_real_is_said_on_the_cell(qtbot: QtBot) -> None:
    table = a_table(qtbot)
    editor = edit_date_cell(qtbot, table)
    qtbot.keyClicks(editor, "31/02/2027")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.table.state() != table.table.State.EditingState)
    expected = DateField("By when")
    expected.setText("31/02/2027")
    try:
        expected.value()
    except Exception as exc:
        words = str(getattr(exc, "message", exc))
    item = table.table.item(0, 1)
    assert item is not None and item.text() == "31/02/2027"  # kept as typed, nothing lost
    assert item.toolTip() == words and words.startswith("By when:")
    assert item.data(Qt.ItemDataRole.AccessibleDescriptionRole) == words


def test_the_wizards_date_columns_are_date_cells() -> None:
    for columns in (EVIDENCE_COLUMNS, OUTCOME_COLUMNS):
        assert [c.title for c in columns if c.holds_dates]  # each table has its date column


def test_a_cell_whose_text_wraps_makes_its_row_taller_not_cut(qtbot: QtBot) -> None:
    table = a_table(qtbot)
    table.resize(420, 300)
    table.add_row(["Precision teaching with a daily five-minute check of the words " * 3])
    qtbot.waitUntil(lambda: table.table.rowHeight(1) > table.table.rowHeight(0))
    line = table.table.fontMetrics().lineSpacing()
    assert table.table.rowHeight(0) >= table.table.verticalHeader().defaultSectionSize()
    assert table.table.rowHeight(1) >= 3 * line  # every wrapped line of it shows
