"""The calendar's grids: the month of days, and the lists whose rows point at a meeting or a plan.

No rules here: what is overdue and where a week starts are asked of `sendesk`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
)

from sendesk import dates
from sendesk.services.meetings import MeetingView
from sendesk.wording import plural

ID_ROLE = Qt.ItemDataRole.UserRole
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# What a row of a list points at: a meeting, or an open cycle whose review date has no meeting.
MEETING, CYCLE = "meeting", "cycle"
Target = tuple[str, int]


class ListTable(QTableWidget):
    """A list of the calendar's: when it has no rows, it says so in its own words."""

    def __init__(self, columns: int, empty: str) -> None:
        super().__init__(0, columns)
        self.empty = empty

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self.rowCount() == 0 and self.empty:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(self.viewport().rect().adjusted(8, 8, -8, -8), flags, self.empty)
            painter.end()


def table(name: str, headers: Sequence[str], empty: str = "") -> QTableWidget:
    found = ListTable(len(headers), empty)
    found.setHorizontalHeaderLabels(list(headers))
    found.setAccessibleName(name)
    found.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    found.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    found.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    found.verticalHeader().hide()
    found.horizontalHeader().setStretchLastSection(True)
    return found


def fill(found: QTableWidget, rows: Sequence[tuple[Target, Sequence[str]]]) -> None:
    """Rows of text; the first cell of each remembers what the row points at."""
    found.setRowCount(len(rows))
    for r, (target, values) in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)  # the whole text where a narrow column shortens it
            if c == 0:
                item.setData(ID_ROLE, f"{target[0]}:{target[1]}")
            found.setItem(r, c, item)
    header = found.horizontalHeader()
    interactive = QHeaderView.ResizeMode.Interactive
    if all(header.sectionResizeMode(c) == interactive for c in range(found.columnCount())):
        # A table that lays out its own columns (the agenda: some fitted, some sharing what is
        # left) is left to: sizing them all to their text would push its last ones off.
        found.resizeColumnsToContents()


def target(item: QTableWidgetItem | None) -> Target | None:
    """What a list row points at, from its first cell."""
    value = item.data(ID_ROLE) if item is not None else None
    if not isinstance(value, str) or ":" not in value:
        return None
    kind, number = value.split(":", 1)
    return (kind, int(number)) if int(number) else None


def highlighted(found: QTableWidget) -> Target | None:
    """What the highlighted row points at; None when no row is highlighted."""
    rows = found.selectionModel().selectedRows() if found.selectionModel() else []
    return target(found.item(rows[0].row(), 0)) if rows else None


def highlight(found: QTableWidget, wanted: Target) -> bool:
    """Highlight the row that points at `wanted`, if the list shows it."""
    for row in range(found.rowCount()):
        if target(found.item(row, 0)) == wanted:
            found.selectRow(row)
            found.setCurrentCell(row, 0)
            return True
    return False


def when(m: MeetingView) -> str:
    return f"{m.starts_at:%a %d/%m/%Y %H:%M}"


def cell_lines(day: dt.date, found: Sequence[MeetingView], room: int, today: dt.date) -> list[str]:
    """A day's cell: its number and as many meetings as `room` lines allow, the rest counted
    ("+2 more") so no line is cut off."""
    lines = [str(day.day)]
    shown = list(found)
    if len(shown) > room - 1:
        shown = shown[: max(room - 2, 0)]
    for m in shown:
        # The name first: in a narrow cell (a laptop at 150 %) the end of the line is cut off,
        # and the time is in the week's agenda beside the month and in the cell's tooltip.
        lines.append(
            f"{m.pupil_name} {m.starts_at:%H:%M}"
            + (" (cancelled)" if m.status == "cancelled" else "")
            + (" ✓" if m.status == "held" else "")
            + (" ⚠ overdue" if m.overdue(today) else "")
        )
    if not shown and found:  # no room for a name: how many, not "+3 more" than none
        lines.append(plural(len(found), "meeting"))
    elif len(shown) < len(found):
        lines.append(f"+{len(found) - len(shown)} more")
    return lines


class MonthGrid(QTableWidget):
    """Six weeks of seven days; each cell lists that day's meetings."""

    day_chosen = Signal(object)  # a dt.date: selected
    day_activated = Signal(object)  # a dt.date: double-clicked, or Enter pressed

    def __init__(self) -> None:
        super().__init__(6, 7)
        self.setAccessibleName("Month")
        self.setHorizontalHeaderLabels(list(WEEKDAYS))
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)  # a long name is elided on its line, never pushed off the cell
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Small enough that the week's agenda fits beside it, and the lists below, on a 1366 by
        # 768 laptop at 150 % (911 by 512 points): seven letters a day and three lines (at the
        # least, a day's number and "+3 more"; the agenda names them), in the font's own measure.
        metrics = self.fontMetrics()
        self.setMinimumSize(7 * 7 * metrics.averageCharWidth(), 6 * 3 * metrics.lineSpacing())
        self.first_shown = dt.date.today()
        self._shown: tuple[dt.date, dict[dt.date, list[MeetingView]], dt.date] | None = None
        self.currentCellChanged.connect(self._current_changed)
        # Only a double-click (or Enter, below) opens a day: Qt's "activated" also fires on a
        # double-click, and both together opened two dialogs.
        self.cellDoubleClicked.connect(lambda r, c: self.day_activated.emit(self.day_at(r, c)))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.day_activated.emit(self.day_at(self.currentRow(), self.currentColumn()))
            return
        super().keyPressEvent(event)

    def day_at(self, row: int, column: int) -> dt.date:
        return self.first_shown + dt.timedelta(days=row * 7 + column)

    def cell_of(self, day: dt.date) -> tuple[int, int] | None:
        offset = (day - self.first_shown).days
        return divmod(offset, 7) if 0 <= offset < 42 else None

    def _current_changed(self, row: int, column: int, *_: int) -> None:
        if row >= 0 and column >= 0:
            self.day_chosen.emit(self.day_at(row, column))

    def lines_that_fit(self) -> int:
        """How many lines of text a day's cell has room for at its present height."""
        spacing = self.fontMetrics().lineSpacing()
        return max(2, (self.rowHeight(0) - 6) // max(spacing, 1))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self._shown is not None:  # taller or shorter cells hold more or fewer meetings
            self.show_month(*self._shown)

    def show_month(
        self, month: dt.date, by_day: dict[dt.date, list[MeetingView]], today: dt.date
    ) -> None:
        self._shown = (month, by_day, today)
        first = month.replace(day=1)
        self.first_shown = dates.monday_of(first)
        dim = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        room = self.lines_that_fit()
        for index in range(42):
            day = self.first_shown + dt.timedelta(days=index)
            found = [m for m in by_day.get(day, []) if m.status != "moved"]
            item = QTableWidgetItem("\n".join(cell_lines(day, found, room, today)))
            item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            item.setToolTip("\n".join(f"{when(m)} {m.kind_label}: {m.pupil_name}" for m in found))
            count = len(found)
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole,
                f"{day:%A %d %B}: {count} meeting{'s' if count != 1 else ''}",
            )
            if day.month != month.month:
                item.setForeground(dim)
            if day == today:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.setItem(index // 7, index % 7, item)
