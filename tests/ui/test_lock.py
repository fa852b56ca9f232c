"""Locking: the idle timer closes the file and hides every record; unlocking returns to the same
pupil with nothing typed lost."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sendesk.services import pupils
from sendesk.vault import Vault
from tests.conftest import PASSPHRASE
from tests.ui.conftest import wait_for_background
from ui.main_window import MainWindow


def test_idle_lock_then_unlock_keeps_the_pupil_and_unsaved_edits(
    qtbot: QtBot, demo_file: Path
) -> None:
    window = MainWindow(Vault.open(demo_file, PASSPHRASE), idle_check_ms=50)
    qtbot.addWidget(window)
    window.show()
    chosen = window.register.model.pupil_at(4).id
    window.register.select_pupil(chosen)
    strengths = next(b.widget for b in window.record.profile.bindings if b.attr == "strengths")
    strengths.setPlainText("Half-typed thought about maths")

    window.idle.idle_seconds = 0.2
    qtbot.waitUntil(lambda: window.locked, timeout=5_000)
    assert window.stack.currentWidget() is window.lock_screen
    assert window.register.model.rowCount() == 0  # no pupil data on screen
    assert not window.ctx.is_open
    assert window.counts_label.text() == ""
    assert not window.menuBar().isEnabled()

    window.idle.idle_seconds = 3600
    qtbot.keyClicks(window.lock_screen.passphrase, "wrong passphrase entirely")
    qtbot.mouseClick(window.lock_screen.button, Qt.MouseButton.LeftButton)
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: window.lock_screen.problem.isVisible())
    assert "Wrong passphrase" in window.lock_screen.problem.text()
    assert window.locked

    window.lock_screen.passphrase.setText(PASSPHRASE)
    qtbot.keyClick(window.lock_screen.passphrase, Qt.Key.Key_Return)
    wait_for_background(qtbot)
    qtbot.waitUntil(lambda: not window.locked, timeout=20_000)
    assert window.stack.currentIndex() == 0
    assert window.record.pupil_id == chosen
    assert window.register.selected_id == chosen
    assert strengths.toPlainText() == "Half-typed thought about maths"
    assert window.record.profile.dirty
    window.record.profile.save()
    assert pupils.details(window.ctx.sessions, chosen).strengths == "Half-typed thought about maths"
    window.ctx.close()


def test_lock_from_the_menu_and_the_wall_clock(qtbot: QtBot, main_window: MainWindow) -> None:
    main_window.lock_action.trigger()
    assert main_window.locked and not main_window.ctx.is_open
    main_window.lock_action.trigger()  # locking twice is harmless
    assert main_window.locked


def test_a_sleeping_laptop_locks_as_soon_as_it_wakes(qtbot: QtBot, main_window: MainWindow) -> None:
    now = [1000.0]
    watcher = main_window.idle
    watcher.clock = lambda: now[0]
    watcher.touch()
    watcher.idle_seconds = 300
    now[0] += 299
    watcher.check()
    assert not main_window.locked
    now[0] += 3600  # the lid was shut for an hour: one timer tick on waking is enough
    watcher.check()
    assert main_window.locked
