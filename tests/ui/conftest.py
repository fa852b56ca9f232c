"""GUI test helpers: isolated settings, message boxes that answer themselves, opened windows."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from sendesk.vault import Vault
from tests.conftest import PASSPHRASE
from ui import appearance, background, none_guard
from ui.main_window import MainWindow

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True, scope="session")
def background_work_finishes() -> Iterator[None]:
    """Jobs still running on Qt's thread pool when the session ends would outlive their widgets."""
    yield
    QThreadPool.globalInstance().waitForDone(20_000)


@pytest.fixture(autouse=True)
def no_job_outlives_its_test(qapp: QApplication) -> Iterator[None]:
    """A job a test left running (the automatic backup of a window it closed) is finished, and
    its outcome delivered, before the next test starts: it would be counted as that test's."""
    yield
    pool = QThreadPool.globalInstance()
    for _ in range(400):  # a job's outcome may start the next job (a backup after closing)
        if not background.busy():
            break
        pool.waitForDone(50)
        qapp.processEvents()
    assert not background.busy(), f"background work outlived the test: {background.running()}"


@pytest.fixture(autouse=True, scope="session")
def app_appearance(qapp: QApplication) -> None:
    """The app's own style and window fitting, and its guard of None's count, as
    `ui.app.make_application` installs them."""
    appearance.install(qapp)
    none_guard.install(qapp)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path) -> None:
    for scope_format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(scope_format, QSettings.Scope.UserScope, str(tmp_path / "settings"))


class MessageBoxes:
    """Records every message box and answers questions with `answer`."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []
        self.answer = QMessageBox.StandardButton.Yes

    def question(self, parent: object, title: str, text: str, *args: object) -> object:
        self.shown.append((title, text))
        return self.answer

    def note(self, parent: object, title: str, text: str, *args: object) -> object:
        self.shown.append((title, text))
        return QMessageBox.StandardButton.Ok


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> MessageBoxes:
    boxes = MessageBoxes()
    monkeypatch.setattr(QMessageBox, "question", boxes.question)
    for name in ("information", "warning", "critical", "about"):
        monkeypatch.setattr(QMessageBox, name, boxes.note)
    return boxes


def wait_for_background(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not background.busy(), timeout=20_000)


def _window(qtbot: QtBot, path: Path) -> Iterator[MainWindow]:
    window = MainWindow(Vault.open(path, PASSPHRASE))
    qtbot.addWidget(window)
    window.show()
    # The first screenful is painted first; the rest of the register is read right after.
    qtbot.waitUntil(lambda: window.register.model.complete, timeout=10_000)
    yield window
    if window.ctx.is_open:
        window.ctx.close()


@pytest.fixture
def main_window(qtbot: QtBot, demo_file: Path) -> Iterator[MainWindow]:
    yield from _window(qtbot, demo_file)


@pytest.fixture
def empty_window(qtbot: QtBot, record_file: Path) -> Iterator[MainWindow]:
    yield from _window(qtbot, record_file)
