"""An editable table of rows for wizard pages: text cells, and pick lists where codes belong."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sendesk.errors import BadInput
from ui.widgets import CodeCombo, DateField, rows_follow_their_text

# A column whose title asks for this holds dates, and is edited as every other date is.
DATE_MARK = "(DD/MM/YYYY)"


MIN_READABLE_CHARS = 9  # a word or two of a cell, and a day's pick list, stay readable


@dataclass(frozen=True)
class Column:
    title: str
    choices: Sequence[tuple[object, str]] | None = None  # a pick list instead of text
    default: str = ""
    stretch: bool = False
    blank: str | None = field(default=None)
    heading: str = ""  # the header's text when not the title: broken over lines to be narrow
    shown_chars: int | None = None  # how much of a pick list's choice shows (it drops down whole)

    @property
    def holds_dates(self) -> bool:
        return self.title.endswith(DATE_MARK)


class DateCells(QStyledItemDelegate):
    """Date cells are edited with the app's date field: typed DD/MM/YYYY or picked from its
    calendar (Alt+Down); a date that is not real is said in the same words, on the cell."""

    def createEditor(  # noqa: N802 - Qt's name
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        title = str(index.model().headerData(index.column(), Qt.Orientation.Horizontal))
        return DateField(title.removesuffix(DATE_MARK).strip(), parent)

    def setEditorData(  # noqa: N802 - Qt's name
        self, editor: QWidget, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        assert isinstance(editor, DateField)
        editor.setText(str(index.data() or ""))

    def setModelData(  # noqa: N802 - Qt's name
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        assert isinstance(editor, DateField)
        try:
            editor.value()
            problem = ""
        except BadInput as exc:
            problem = exc.message
        # Kept as typed, so nothing is lost; the page's own check refuses it before Next.
        model.setData(index, editor.text().strip())
        model.setData(index, problem, Qt.ItemDataRole.ToolTipRole)
        model.setData(index, problem, Qt.ItemDataRole.AccessibleDescriptionRole)


class RowsTable(QWidget):
    """Rows of cells; `values()` gives each row as a list (codes for pick lists, text otherwise)."""

    changed = Signal()

    def __init__(self, name: str, columns: Sequence[Column], add_text: str = "&Add row") -> None:
        super().__init__()
        self.columns = list(columns)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(columns))
        self.table.setAccessibleName(name)
        self.table.setHorizontalHeaderLabels([c.heading or c.title for c in columns])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        # A column that takes what room is left is never squeezed past reading (the Do wizard's
        # provision names at 200%): the table scrolls sideways instead.
        header.setMinimumSectionSize(self.fontMetrics().averageCharWidth() * MIN_READABLE_CHARS)
        for index, column in enumerate(columns):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column.stretch
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(index, mode)
        rows = self.table.verticalHeader()
        # A cell whose text wraps (a provision's name in a narrow column at 150 %) makes its
        # row taller rather than being cut; a row is never lower than a pick list needs.
        rows.setMinimumSectionSize(rows.defaultSectionSize())
        rows_follow_their_text(self.table)
        self.dates = DateCells(self.table)
        for index, column in enumerate(columns):
            if column.holds_dates:
                self.table.setItemDelegateForColumn(index, self.dates)
        self.table.itemChanged.connect(lambda *_: self.changed.emit())
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(add_text)
        self.remove_button = QPushButton("&Remove row")
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_current)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch()
        layout.addLayout(buttons)

    def add_row(self, values: Iterable[object] | None = None, key: object = None) -> int:
        """Add a row; `key` (e.g. a stored id) travels with the row wherever it moves."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setVerticalHeaderItem(row, QTableWidgetItem(str(row + 1)))
        header = self.table.verticalHeaderItem(row)
        assert header is not None
        header.setData(Qt.ItemDataRole.UserRole, key)
        given = list(values) if values is not None else []
        # Quiet until every cell is there: a listener reading the rows finds each one whole.
        self.table.blockSignals(True)
        try:
            for index, column in enumerate(self.columns):
                value = given[index] if index < len(given) else column.default
                if column.choices is not None:
                    combo = CodeCombo(
                        column.title, column.choices, column.blank, column.shown_chars
                    )
                    combo.set_code(value)
                    combo.currentIndexChanged.connect(lambda *_: self.changed.emit())
                    self.table.setCellWidget(row, index, combo)
                else:
                    self.table.setItem(
                        row, index, QTableWidgetItem("" if value is None else str(value))
                    )
        finally:
            self.table.blockSignals(False)
        self.changed.emit()
        return row

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.changed.emit()

    def set_text(self, row: int, column: int, text: str) -> None:
        item = self.table.item(row, column)
        if item is None:
            self.table.setItem(row, column, QTableWidgetItem(text))
        else:
            item.setText(text)

    def combo(self, row: int, column: int) -> CodeCombo:
        widget = self.table.cellWidget(row, column)
        assert isinstance(widget, CodeCombo)
        return widget

    def values(self) -> list[list[object]]:
        return [cells for _, cells in self.keyed_values()]

    def keyed_values(self) -> list[tuple[object, list[object]]]:
        """Each row that holds anything, with its key."""
        rows = []
        for row in range(self.table.rowCount()):
            cells: list[object] = []
            for index, column in enumerate(self.columns):
                if column.choices is not None:
                    cells.append(self.combo(row, index).code())
                else:
                    item = self.table.item(row, index)
                    cells.append(item.text().strip() if item else "")
            if any(c not in ("", None) for c in cells):
                header = self.table.verticalHeaderItem(row)
                rows.append((header.data(Qt.ItemDataRole.UserRole) if header else None, cells))
        return rows

    def set_values(
        self, rows: Iterable[Iterable[object]], keys: Iterable[object] | None = None
    ) -> None:
        self.table.setRowCount(0)
        key_list = list(keys) if keys is not None else []
        for index, values in enumerate(rows):
            self.add_row(values, key_list[index] if index < len(key_list) else None)

    def titles(self) -> list[str]:
        return [c.title for c in self.columns]

    def set_titled_values(
        self,
        rows: Iterable[Sequence[object]],
        titles: Sequence[str],
        keys: Iterable[object] | None = None,
    ) -> None:
        """Rows whose cells are in the order of `titles` (a draft saved when the table had other
        columns): each cell goes to the column of its title, a new column takes its default."""
        self.set_values(
            (
                [
                    dict(zip(titles, cells, strict=False)).get(c.title, c.default)
                    for c in self.columns
                ]
                for cells in rows
            ),
            keys,
        )
