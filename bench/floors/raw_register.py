"""Floor for "key derived -> register painted" and for a search keystroke.

    raw_register.py FILE PASSPHRASE

Hand-written: SQLCipher 4's key derivation (as any SQLCipher tool does it), then one query with
raw sqlcipher3 for what the register shows (each pupil's name, year, class, status, needs and
the next review: the earliest planned review meeting or open cycle's review date), into a bare
Qt table behind a QSortFilterProxyModel that a search box filters by name, case-insensitively.
The probe (bench/probe) marks "key" where this script calls it.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any

import sqlcipher3
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QTableView, QVBoxLayout, QWidget

HEADERS = ("Name", "Year", "Class", "SEN status", "Primary need", "Next review")
REGISTER_SQL = """
SELECT p.legal_surname || ', ' || coalesce(p.preferred_forename, p.legal_forename),
       p.year_group, p.class_name, p.sen_status,
       coalesce(p.primary_need, '') || coalesce('/' || p.secondary_need, ''),
       min(coalesce((SELECT min(date(m.starts_at)) FROM meeting m
                     WHERE m.pupil_id = p.id AND m.status = 'planned'
                       AND m.kind IN ('sen_review', 'ehc_annual_review')), '9999-12-31'),
           coalesce((SELECT min(c.review_date) FROM cycle c
                     WHERE c.pupil_id = p.id AND c.stage != 'closed'), '9999-12-31'))
FROM pupil p WHERE p.archived_on IS NULL ORDER BY p.search_text, p.id
"""


class Model(QAbstractTableModel):
    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008, N802
        return len(self.rows)

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008, N802
        return len(HEADERS)

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return (
            self.rows[index.row()][index.column()] if role == Qt.ItemDataRole.DisplayRole else None
        )

    def headerData(self, section: int, orientation: Any, role: int = 0) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None


def shown(row: tuple[Any, ...]) -> tuple[str, ...]:
    name, year, klass, status, needs, review = row
    day = "" if review == "9999-12-31" else f"{review[8:10]}/{review[5:7]}/{review[:4]}"
    return (name, "R" if year == 0 else f"Year {year}", klass or "", status, needs, day)


def main() -> int:
    path, passphrase = Path(sys.argv[1]), sys.argv[2]
    app = QApplication(sys.argv)
    with path.open("rb") as f:
        salt = f.read(16)
    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode(), salt, 256_000, 32)
    try:
        import sitecustomize  # the probe, when a benchmark runs this

        sitecustomize.mark("key")
    except (ImportError, AttributeError):
        pass
    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}{salt.hex()}'\"")
    rows = [shown(r) for r in conn.execute(REGISTER_SQL)]
    conn.close()

    window = QMainWindow()
    body = QWidget()
    layout = QVBoxLayout(body)
    search = QLineEdit(placeholderText="Search")
    search.setAccessibleName("Search pupils")
    layout.addWidget(search)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(Model(rows))
    proxy.setFilterKeyColumn(0)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    search.textChanged.connect(proxy.setFilterFixedString)
    table = QTableView()
    table.setModel(proxy)
    table.verticalHeader().hide()
    layout.addWidget(table)
    window.setCentralWidget(body)
    window.resize(1000, 700)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
