"""Floor for the app's start: a bare PySide6 main window holding a realistic table.

A menu bar, a search box and a 2,000-row, six-column table, shown at once: what any Qt app with
a table pays to put its first window on screen, and nothing of SENDesk's.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QTableView, QVBoxLayout, QWidget

ROWS = [
    (f"Surname{n}, Forename", f"Year {n % 7}", f"{n % 7}A", "SEN support", "SLCN", "01/12/2026")
    for n in range(2000)
]
HEADERS = ("Name", "Year", "Class", "SEN status", "Primary need", "Next review")


class Model(QAbstractTableModel):
    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008, N802
        return len(ROWS)

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008, N802
        return len(HEADERS)

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return ROWS[index.row()][index.column()] if role == Qt.ItemDataRole.DisplayRole else None

    def headerData(self, section: int, orientation: Any, role: int = 0) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.menuBar().addMenu("&File").addAction("&Open…")
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.addWidget(QLineEdit(placeholderText="Search"))
    table = QTableView()
    model = Model()
    table.setModel(model)
    layout.addWidget(table)
    window.setCentralWidget(body)
    window.resize(1000, 700)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
