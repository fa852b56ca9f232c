"""A read-only table filled from rows of text."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)


def text_table(name: str, parent: QWidget | None = None) -> QTableWidget:
    table = QTableWidget(parent)
    table.setObjectName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(True)
    return table


def fill(table: QTableWidget, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table.clear()
    table.setColumnCount(len(header))
    table.setRowCount(len(rows))
    # A heading longer than anything in its column goes over two lines, so its column is as
    # narrow as its figures and the first column (the provision, the group) has the room.
    longest = [max((len(str(row[c])) for row in rows if c < len(row)), default=0)
               for c in range(len(header))]  # fmt: skip
    table.setHorizontalHeaderLabels(
        [_two_lines(h) if len(h) > longest[c] else h for c, h in enumerate(header)]
    )
    for column, title in enumerate(header):
        shown = table.horizontalHeaderItem(column)
        if shown is not None:
            shown.setToolTip(title)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(str(value))
            item.setToolTip(str(value))
            table.setItem(r, c, item)
    heading = table.horizontalHeader()
    heading.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    heading.setStretchLastSection(True)
    if header:
        # The first column names what each row is about (a provision, a group): never squeezed
        # past reading by the figures beside it, it wraps within a width of its own and the
        # table scrolls sideways when the figures need more (from the GUI trial at 150 %).
        heading.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        chars = table.fontMetrics().averageCharWidth()
        wanted = max((table.sizeHintForColumn(0), heading.sectionSizeHint(0)), default=0)
        table.setColumnWidth(0, min(max(wanted, FIRST_AT_LEAST * chars), FIRST_AT_MOST * chars))
        table.resizeRowsToContents()


FIRST_AT_LEAST, FIRST_AT_MOST = 18, 34  # characters of the first column's width


def _two_lines(title: str) -> str:
    """`title` broken at the space nearest its middle ("Sessions" over "(held / planned)")."""
    words = title.split(" ")
    if len(words) < 2:
        return title
    cut = min(
        range(1, len(words)),
        key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))),
    )
    return " ".join(words[:cut]) + "\n" + " ".join(words[cut:])
