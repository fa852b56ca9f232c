"""A keystroke in the register's search asks the model only for the rows on screen.

Qt asks `RegisterModel.data` for every cell it measures or paints; columns sized to their
contents make it measure rows that are not shown, on every keystroke, so the cost of typing grew
with the school.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sendesk.pupil_row import PupilRow
from ui.register_model import RegisterModel
from ui.register_panel import RegisterPanel

SURNAMES = ("Smith", "Okafor", "Nguyễn", "Kowalski", "Ahmed", "Jones", "Ó Súilleabháin", "Li")


def rows(count: int) -> list[PupilRow]:
    made = []
    for n in range(count):
        surname = f"{SURNAMES[n % len(SURNAMES)]}{n}"
        made.append(
            PupilRow(
                id=n + 1, uuid=f"u{n}", upn=None, surname=surname, forename="Sam",
                preferred_forename=None, preferred_surname=None, date_of_birth=dt.date(2016, 1, 1), year_group=n % 7,
                class_name=f"{n % 7}A", sen_status="KEN"[n % 3], primary_need="SEMH",
                secondary_need="SLCN" if n % 2 else None,
                next_review=dt.date(2026, 12, 1) + dt.timedelta(days=n % 90), overdue=n % 5 == 0,
                archived=False, search_text=f"{surname.casefold()} sam",
            )
        )  # fmt: skip
    return made


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    counted = [0]
    original = RegisterModel.data

    def data(self: RegisterModel, index: Any, role: int = 0) -> Any:
        counted[0] += 1
        return original(self, index, role)

    monkeypatch.setattr(RegisterModel, "data", data)
    yield counted


def keystroke_cost(qtbot: QtBot, calls: list[int], pupils: int) -> int:
    panel = RegisterPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.model.set_rows(rows(pupils), dt.date(2026, 11, 23))
    panel.apply_filter()
    panel.show()
    qtbot.waitExposed(panel)
    QApplication.processEvents()
    calls[0] = 0
    qtbot.keyClick(panel.search, "s")
    QApplication.processEvents()  # the repaint that shows the filtered rows
    assert panel.model.rowCount() > 30  # still more rows than the screen holds
    return calls[0]


def test_a_keystroke_reads_only_the_rows_on_screen(qtbot: QtBot, calls: list[int]) -> None:
    small = keystroke_cost(qtbot, calls, 200)
    large = keystroke_cost(qtbot, calls, 5_000)
    assert large > 0
    # 600 pixels of table hold about 25 rows of 6 columns, each asked for a few roles.
    assert large <= 1_000
    assert large <= small * 1.2  # does not grow with the number of pupils


def load_cost(qtbot: QtBot, calls: list[int], pupils: int) -> tuple[int, RegisterPanel]:
    panel = RegisterPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitExposed(panel)
    calls[0] = 0
    panel.model.set_rows(rows(pupils), dt.date(2026, 11, 23))
    panel.apply_filter()
    QApplication.processEvents()  # the paint that shows the register
    return calls[0], panel


def test_loading_the_register_reads_only_the_rows_on_screen(qtbot: QtBot, calls: list[int]) -> None:
    small, _ = load_cost(qtbot, calls, 200)
    large, panel = load_cost(qtbot, calls, 5_000)
    assert 0 < large <= 1_000
    assert large <= small * 1.2
    # The columns still fit their texts: the widest class and review date are not cut.
    header = panel.table.horizontalHeader()
    metrics = panel.table.fontMetrics()
    assert header.sectionSize(2) >= metrics.horizontalAdvance("6A")
    assert header.sectionSize(5) >= metrics.horizontalAdvance("⚠ 01/12/2026")
