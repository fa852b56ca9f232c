"""Settings, keyboard routes, the About box, accessible names, and the crash dialog."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QMenuBar,
    QPlainTextEdit,
    QSpinBox,
    QToolBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sendesk import schema
from sendesk.errors import BadInput
from sendesk.services import school
from tests.ui.conftest import MessageBoxes
from ui import errors
from ui.main_window import MainWindow
from ui.new_pupil_dialog import NewPupilDialog
from ui.settings_dialog import SettingsDialog


def test_settings_save_school_idle_lock_and_terms(qtbot: QtBot, main_window: MainWindow) -> None:
    main_window.named_actions["settings"].trigger()
    dialog = main_window.findChild(SettingsDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.fields["name"].setText("Harbour View Primary")
    dialog.fields["urn"].setText("12ab")
    dialog.idle.setValue(12)
    dialog.calendar_detail.set_code("kind_only")
    dialog.hourly_rate.setText("abc")
    dialog.save()
    assert "amount of money" in dialog.problems.text()
    dialog.hourly_rate.setText("£21.50")
    dialog.threshold.setText("6,000")
    dialog.save()
    assert "six digits" in dialog.problems.text()
    dialog.fields["urn"].setText("118417")
    row = dialog.terms.rowCount()
    dialog._add_term("Summer school", "20/08/2027", "10/08/2027")
    dialog.save()
    assert "ends before it starts" in dialog.problems.text()
    dialog.terms.item(row, 1).setText("20/07/2027")  # Summer 2 ends on 21/07/2027
    dialog.terms.item(row, 2).setText("27/08/2027")
    dialog.save()
    assert "overlap" in dialog.problems.text()
    dialog.terms.item(row, 1).setText("02/08/2027")
    dialog.terms.item(row, 2).setText("13/08/2027")
    dialog.save()
    assert not dialog.isVisible()
    saved = school.load(main_window.ctx.sessions)
    assert (saved.name, saved.urn, saved.idle_lock_minutes) == (
        "Harbour View Primary",
        "118417",
        12,
    )
    assert saved.terms[-1].starts_on == dt.date(2027, 8, 2)
    assert saved.calendar_detail == "kind_only"
    assert (saved.staff_hourly_rate_pence, saved.sen_threshold_pence) == (2_150, 600_000)
    assert main_window.idle.idle_seconds == 12 * 60
    assert "Harbour View Primary" in main_window.windowTitle()


def test_keyboard_routes(qtbot: QtBot, main_window: MainWindow) -> None:
    qtbot.keyClick(main_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert main_window.register.search.hasFocus()
    qtbot.keyClick(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = main_window.findChild(NewPupilDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
    qtbot.keyClick(main_window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert main_window.locked


def test_about_names_the_version_file_and_schema(
    main_window: MainWindow, message_boxes: MessageBoxes
) -> None:
    main_window.named_actions["about"].trigger()
    _title, text = message_boxes.shown[-1]
    assert "0.1.0" in text and str(main_window.path) in text
    assert f"Schema revision: {schema.head_revision()}" in text
    assert f"File id: {main_window.ctx.vault.meta().file_id}" in text


def _inside_combo(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox):
            return True
        parent = parent.parentWidget()
    return False


def unnamed_controls(root: QWidget) -> list[str]:
    kinds = (QLineEdit, QPlainTextEdit, QComboBox, QSpinBox, QAbstractItemView)
    missing = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, kinds) and not widget.accessibleName():
            if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QComboBox | QSpinBox):
                continue  # the editor inside a combo or spin box speaks through its owner
            if isinstance(widget, QHeaderView) or _inside_combo(widget):
                continue  # a table's header and a combo's own list are read through their owner
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
        qt_own = isinstance(widget.parent(), QAbstractItemView | QLineEdit | QMenuBar | QToolBar)
        if (
            isinstance(widget, QAbstractButton)
            and not qt_own
            and not (widget.text() or widget.accessibleName())
        ):
            missing.append(f"{type(widget).__name__} in {type(widget.parent()).__name__}")
    return missing


def test_every_control_has_an_accessible_name(main_window: MainWindow) -> None:
    main_window.register.select_pupil(main_window.register.model.pupil_at(0).id)
    SettingsDialog(main_window.ctx, main_window)
    NewPupilDialog(main_window.ctx, main_window)
    problems = [
        p for p in unnamed_controls(main_window)
        if "qt_" not in p  # Qt's own internal helpers (scroll bar corners and the like)
    ]  # fmt: skip
    assert problems == []


def test_an_unexpected_error_is_a_plain_dialog_and_a_log_without_data(
    message_boxes: MessageBoxes, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from sendesk import crashlog

    monkeypatch.setattr(crashlog, "log_folder", lambda: tmp_path)
    secret = "Zoë Brontë"
    try:
        raise RuntimeError(secret)
    except RuntimeError as exc:
        errors.explain(None, exc)
    _title, text = message_boxes.shown[-1]
    assert "Something unexpected went wrong" in text and str(tmp_path) in text
    assert secret not in (tmp_path / "sendesk.log").read_text(encoding="utf-8")
    errors.explain(None, BadInput("That date is not real."))
    assert message_boxes.shown[-1][1] == "That date is not real."


def test_a_full_disk_a_read_only_file_or_a_busy_file_is_a_sentence_not_a_crash_note(
    message_boxes: MessageBoxes, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import errno
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from sendesk import crashlog

    monkeypatch.setattr(crashlog, "log_folder", lambda: tmp_path)
    cases = {
        "disk is full": OSError(errno.ENOSPC, "No space left on device"),
        "read-only": OSError(errno.EROFS, "Read-only file system"),
        "in use": OperationalError("COMMIT", {}, sqlite3.OperationalError("database is locked")),
    }
    for words, exc in cases.items():
        errors.explain(None, exc)
        _title, text = message_boxes.shown[-1]
        assert words in text
        assert "unexpected" not in text and "has been lost" not in text
    assert not (tmp_path / "sendesk.log").exists()  # none of them is a bug


def test_a_saved_message_is_shown_whole_in_place_of_the_counts(main_window: MainWindow) -> None:
    # At 200 % beside the counts it was squeezed to "✓ A"; it now takes their place a while.
    bar = main_window.statusBar()
    assert main_window.counts_label.isVisible() and main_window.due_label.isVisible()
    main_window.flash("Profile saved")
    assert bar.currentMessage() == "✓ Profile saved"
    assert not main_window.counts_label.isVisible() and not main_window.due_label.isVisible()
    bar.clearMessage()  # as the message's time running out does
    assert main_window.counts_label.isVisible() and main_window.due_label.isVisible()
