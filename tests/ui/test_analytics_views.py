"""The analytics views open from the View menu and show the figures of a school with known
numbers; scores and measures typed into their forms land in the file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from sendesk.measure_models import AssessmentMeasure, MeasureScore
from sendesk.models import AuditEvent, Provision
from sendesk.services import provision_map
from sendesk.vault import Vault
from tests.conftest import PASSPHRASE
from tests.ui.conftest import _window, wait_for_background
from tests.unit import analytics_school
from tests.unit.analytics_school import TODAY
from ui.analytics.impact_measures_dialog import ImpactMeasuresDialog
from ui.analytics.measures_dialog import MeasuresDialog
from ui.analytics.pupil_window import PupilAnalytics
from ui.analytics.school_window import SchoolAnalytics
from ui.analytics.score_dialog import ScoreDialog
from ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def hide_dialogs_after() -> Iterator[None]:
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog):
            widget.hide()


@pytest.fixture
def school_window(qtbot: QtBot, record_file: Path) -> Iterator[tuple[MainWindow, dict[str, int]]]:
    with Vault.open(record_file, PASSPHRASE) as vault:
        ids = analytics_school.build(vault.sessions)
    for window in _window(qtbot, record_file):
        yield window, ids
        # Close as a person would and let the backup on closing finish before the file goes.
        window.close()
        wait_for_background(qtbot)


def _cells(table: object) -> list[list[str]]:
    from PySide6.QtWidgets import QTableWidget

    assert isinstance(table, QTableWidget)
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_the_view_menu_opens_each_view(
    qtbot: QtBot, school_window: tuple[MainWindow, dict[str, int]]
) -> None:
    window, _ids = school_window
    window.named_actions["school_analytics"].trigger()
    opened = window.findChild(SchoolAnalytics)
    assert opened is not None and opened.isVisible()
    assert not window.named_actions["pupil_analytics"].isEnabled()  # no pupil chosen yet


def test_the_whole_school_view_shows_each_report(
    qtbot: QtBot,
    school_window: tuple[MainWindow, dict[str, int]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, _ids = school_window
    view = SchoolAnalytics(window.ctx, window, today=TODAY)
    qtbot.addWidget(view)
    view.show()
    assert not view.show_button.isEnabled()  # counting, off the GUI thread
    wait_for_background(qtbot)
    assert view.show_button.isEnabled()
    rows = _cells(view.map_table)
    assert rows[1][:4] == ["Precision teaching", "TA", "1-2", "2"] and rows[1][-1] == "£270.00"
    assert "£810.50 on 4 pupils" in view.map_summary.text()
    # What each row is about reads whole on one line; a long heading over its figures goes
    # over two lines instead of widening its column (from the GUI trial at 150 %).
    table = view.map_table
    names = table.fontMetrics().horizontalAdvance("Speech and language group")
    assert table.columnWidth(0) > names
    shown = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert "Sessions (held\n/ planned)" in shown and shown[0] == "Provision"
    assert view.map_charts[0].labels == ["Year 3", "Year 4"]
    view.tabs.setCurrentWidget(view.impact_page)
    assert [r[0] for r in _cells(view.escalation_table)] == ["Dan Dunn"]
    view.tabs.setCurrentWidget(view.register_page)
    assert not view.pdf_button.isEnabled()
    assert view.register_charts[0].labels == ["2024/25", "2025/26", "2026/27"]
    view.tabs.setCurrentWidget(view.governors_page)
    assert {r[1] for r in _cells(view.governors_tables[0])} == {"fewer than 5"}
    target = tmp_path / "governors.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(view.saved, timeout=20_000) as told:  # made and saved off the GUI thread
        qtbot.mouseClick(view.csv_button, Qt.MouseButton.LeftButton)
    assert told.args == ["Saved governors.csv"]
    assert "fewer than 5" in target.read_text(encoding="utf-8-sig")
    with window.ctx.sessions() as session:
        assert (
            session.execute(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "document.exported")
            ).scalar_one()
            == 1
        )
    # A shorter period: only what ran in it.
    view.start.setDate(view.start.date().addYears(-1))
    view.end.setDate(view.end.date().addYears(-1))
    qtbot.mouseClick(view.show_button, Qt.MouseButton.LeftButton)
    wait_for_background(qtbot)
    assert [r[0] for r in _cells(view.map_table)] == [
        "Speech and language group",
        "Emotional literacy group",
    ]


def test_saving_waits_for_show_once_the_dates_differ_from_the_figures_on_screen(
    qtbot: QtBot,
    school_window: tuple[MainWindow, dict[str, int]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Dates changed but Show not pressed: the figures on screen are for the period shown
    first, so PDF and CSV wait, and say why; once shown, what is saved is the period shown."""
    window, _ids = school_window
    view = SchoolAnalytics(window.ctx, window, today=TODAY)
    qtbot.addWidget(view)
    view.show()
    assert not view.pdf_button.isEnabled()  # nothing counted yet
    wait_for_background(qtbot)
    assert view.pdf_button.isEnabled() and view.problem.text() == ""
    view.start.setDate(view.start.date().addYears(-1))
    view.end.setDate(view.end.date().addYears(-1))
    assert not view.pdf_button.isEnabled() and not view.csv_button.isEnabled()
    assert "01/09/2026 to 31/08/2027" in view.problem.text() and "press Show" in view.problem.text()
    assert view.save(csv=True) is None
    qtbot.mouseClick(view.show_button, Qt.MouseButton.LeftButton)
    assert not view.csv_button.isEnabled()  # still counting
    wait_for_background(qtbot)
    assert view.csv_button.isEnabled() and view.problem.text() == ""
    target = tmp_path / "map.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(view.saved, timeout=20_000):
        qtbot.mouseClick(view.csv_button, Qt.MouseButton.LeftButton)
    saved = target.read_text(encoding="utf-8-sig")
    assert "Speech and language group" in saved and "Precision teaching" not in saved


def test_the_pupil_view_shows_progress_and_trace_and_records_a_score(
    qtbot: QtBot,
    school_window: tuple[MainWindow, dict[str, int]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, ids = school_window
    view = PupilAnalytics(window.ctx, ids["Cara"], window, today=TODAY)
    qtbot.addWidget(view)
    view.show()
    assert view.measure.currentText() == "Times out of class in a week"
    assert [v for _d, v in view.line.points] == [8, 9, 10, 6]
    assert [n for n, _d in view.line.cycles] == [1, 2]
    assert "Emotional literacy group" in view.trace.toPlainText()
    assert "10 → 6 (+4)" in view.trace.toPlainText()
    target = tmp_path / "trace.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(view.saved, timeout=20_000) as told:  # made and saved off the GUI thread
        qtbot.mouseClick(view.pdf_button, Qt.MouseButton.LeftButton)
    assert told.args == ["Saved trace.pdf"]
    assert target.read_bytes().startswith(b"%PDF")
    form = ScoreDialog(window.ctx, ids["Cara"], view, today=TODAY)
    qtbot.addWidget(form)
    form.show()
    form.measure.setCurrentIndex(form.measure.findText("Times out of class in a week (times)"))
    assert form.point.currentData() == "during"  # cycle 2 is at Do
    form.value.clear()
    qtbot.keyClicks(form.value, "4")
    form.save()
    assert form.result() == QDialog.DialogCode.Accepted
    with window.ctx.sessions() as session:
        latest = session.execute(
            select(MeasureScore).order_by(MeasureScore.id.desc()).limit(1)
        ).scalar_one()
        assert (latest.pupil_id, latest.value, latest.point) == (ids["Cara"], 4, "during")
    view.reload()
    assert [v for _d, v in view.line.points][-1] == 4


def test_measures_are_added_and_retired_in_their_dialog(
    qtbot: QtBot, school_window: tuple[MainWindow, dict[str, int]]
) -> None:
    window, _ids = school_window
    dialog = MeasuresDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Handwriting speed")
    qtbot.keyClicks(dialog.unit, "letters a minute")
    qtbot.keyClicks(dialog.high, "ten")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert "must be a number" in dialog.problems.text()
    dialog.high.clear()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert not dialog.problems.isVisible()
    names = [r[0] for r in _cells(dialog.table)]
    assert "Handwriting speed" in names
    dialog.table.selectRow(names.index("Handwriting speed"))
    qtbot.mouseClick(dialog.retire_button, Qt.MouseButton.LeftButton)
    with window.ctx.sessions() as session:
        retired = session.execute(
            select(AssessmentMeasure.retired).where(AssessmentMeasure.name == "Handwriting speed")
        ).scalar_one()
    assert retired
    assert dialog.budget.text() == "10,000"
    dialog.budget.setText("12,500")
    qtbot.mouseClick(dialog.budget_button, Qt.MouseButton.LeftButton)
    assert provision_map.budget(window.ctx.sessions) == 1_250_000


def test_a_provision_s_impact_measure_is_chosen_in_its_dialog(
    qtbot: QtBot, school_window: tuple[MainWindow, dict[str, int]]
) -> None:
    window, ids = school_window
    dialog = ImpactMeasuresDialog(window.ctx, ids["Dan"], window)
    qtbot.addWidget(dialog)
    dialog.show()
    [combo] = dialog.combos  # Dan's cycle 3: the speech and language group, no measure yet
    assert combo.currentText() == "No measure"
    combo.setCurrentIndex(combo.findText("Wellbeing rating (our own scale)"))
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    with window.ctx.sessions() as session:
        chosen = session.execute(
            select(AssessmentMeasure.name)
            .join(Provision, Provision.measure_id == AssessmentMeasure.id)
            .where(Provision.id == dialog.rows[0].provision_id)
        ).scalar_one()
    assert chosen == "Wellbeing rating (our own scale)"
