"""The register table: every pupil's one-line summary, filtered and sorted in memory.

Rows are `PupilRow`s (no history), so even 20,000 pupils cost little; filtering keeps a list of
visible row numbers and resets the view, which is faster than a per-row proxy model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from sendesk import codes, dates
from sendesk.pupil_row import NO_REVIEW_BOOKED, PupilRow
from sendesk.register import RegisterFilter

Index = QModelIndex | QPersistentModelIndex

# What a SENCo reads the register for comes first: on a laptop at 150 % the pane shows about
# three columns before it scrolls sideways, and those must be the name, the status and the review.
NAME, STATUS, REVIEW, YEAR, CLASS, NEED = range(6)
HEADERS = ("Name", "SEN status", "Next review", "Year", "Class", "Primary need")
READING = "Reading the register…"  # said while the rows are only a first screenful


def _sort_key(column: int) -> Callable[[PupilRow], Any]:
    keys: dict[int, Callable[[PupilRow], Any]] = {
        NAME: lambda r: r.search_text,  # folded surname then forename: Ó sorts with O
        YEAR: lambda r: (r.year_group is None, r.year_group or 0),
        CLASS: lambda r: (r.class_name or "").casefold(),
        STATUS: lambda r: "EKN".index(r.sen_status),
        NEED: lambda r: (r.primary_need is None, r.primary_need or ""),
        REVIEW: lambda r: (r.next_review is None, r.next_review or dt.date.min),
    }
    return keys[column]


class RegisterModel(QAbstractTableModel):
    rows_replaced = Signal()  # new rows (not a new filter or sort): columns may need new widths

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[PupilRow] = []
        self._order: list[int] = []  # every row, in the current sort order
        self._visible: list[int] = []
        self._filter = RegisterFilter()
        self._today = dt.date.today()
        self._sort: tuple[int, Qt.SortOrder] = (NAME, Qt.SortOrder.AscendingOrder)
        # False while the rows are only a first screenful (`set_rows`): counts wait for the rest.
        self.complete = True
        self.bold = QFont()
        self.bold.setBold(True)

    # --- data in ---------------------------------------------------------------------------

    def set_rows(
        self, rows: list[PupilRow], today: dt.date | None = None, *, complete: bool = True
    ) -> None:
        """The register's rows; `complete` False when they are only its first rows in name
        order, shown while the rest is read."""
        self.beginResetModel()
        self._rows = rows
        self.complete = complete
        self._today = today or dt.date.today()
        self._apply_sort()
        self._visible = self._filtered()
        self.endResetModel()
        self.rows_replaced.emit()

    def set_filter(self, register_filter: RegisterFilter) -> None:
        self.beginResetModel()
        self._filter = register_filter
        self._visible = self._filtered()
        self.endResetModel()

    def all_rows(self) -> list[PupilRow]:
        return self._rows

    def _filtered(self) -> list[int]:
        """Visible rows in sort order, as the register's filter rule says."""
        return self._filter.visible(self._rows, self._order, self._today)

    def _apply_sort(self) -> None:
        column, order = self._sort
        key = _sort_key(column)
        self._order = sorted(
            range(len(self._rows)),
            key=lambda i: key(self._rows[i]),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    # --- lookups -----------------------------------------------------------------------------

    def pupil_at(self, row: int) -> PupilRow:
        return self._rows[self._visible[row]]

    def row_of(self, pupil_id: int) -> int | None:
        for position, index in enumerate(self._visible):
            if self._rows[index].id == pupil_id:
                return position
        return None

    # --- Qt's model interface ------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.pupil_at(index.row())
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        flagged = column == REVIEW and (row.overdue or row.no_review_booked)
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole) and flagged:
            return (
                "No review booked: plan a review meeting in the calendar"
                if row.no_review_booked
                else f"{dates.show(row.next_review)}, overdue"
            )
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.FontRole and flagged:
            return self.bold
        if role == Qt.ItemDataRole.ToolTipRole and column == NEED and row.primary_need:
            return codes.need_label(row.primary_need)
        return None

    def texts(self, column: int, sample: int = 500) -> set[str]:
        """The distinct texts of a column over the first `sample` rows (to size the column)."""
        return {self._text(row, column) for row in self._rows[:sample]}

    def _text(self, row: PupilRow, column: int) -> str:
        if column == NAME:
            name = row.listed_as
            return f"{name} (archived)" if row.archived else name
        if column == YEAR:
            return codes.year_group_label(row.year_group)
        if column == CLASS:
            return row.class_name or ""
        if column == STATUS:
            return codes.SEN_STATUS_SHORT[row.sen_status]
        if column == NEED:
            return "/".join(n for n in (row.primary_need, row.secondary_need) if n)
        if row.no_review_booked:
            return f"⚠ {NO_REVIEW_BOOKED}"
        review = dates.show(row.next_review)
        return f"⚠ {review}" if row.overdue else review

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.beginResetModel()  # the panel restores the selection by pupil, not by row
        self._sort = (column, order)
        self._apply_sort()
        self._visible = self._filtered()
        self.endResetModel()
