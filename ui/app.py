"""Starts the app: the start window, then a main window per unlocked file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from sendesk import APP_NAME, __version__
from sendesk.resources import resource_path
from ui import appearance, errors, none_guard, recent_files
from ui.start_window import StartWindow

if TYPE_CHECKING:
    from sendesk.vault import Vault
    from ui.context import OpenRecords
    from ui.leader_window import LeaderWindow
    from ui.main_window import MainWindow


def window_for(records: OpenRecords) -> MainWindow | LeaderWindow:
    """The main window, or for a leader's server login the anonymised summary: a leader may
    read no pupil, so the register would only be refused."""
    if getattr(records, "kind", "file") == "server" and records.role() == "leader":  # type: ignore[union-attr]
        from ui.leader_window import LeaderWindow

        return LeaderWindow(records)  # type: ignore[arg-type]
    from ui.main_window import MainWindow  # the rest of the app loads after the start window

    return MainWindow(records)


class Controller:
    """Moves between the start window and the main window of the open file."""

    def __init__(self) -> None:
        self.start = StartWindow()
        self.start.unlocked.connect(self.open_main)
        self.main: MainWindow | LeaderWindow | None = None

    def show_start(self, path: Path | None = None) -> None:
        self.main = None
        self.start.refresh()
        self.start.show()
        if path is not None:
            self.start.unlock(path)

    def open_main(self, vault: Vault) -> None:
        from ui import warm_up

        warm_up.freeze_what_is_loaded()  # should the key have come before the warm-up finished
        if getattr(vault, "kind", "file") == "file":  # a server is remembered by its dialog
            recent_files.remember(vault.path)
        main = self.main = window_for(vault)
        main.closed.connect(lambda: self.show_start(main.open_next))
        self.main.show()
        self.start.hide()


def make_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(QIcon(str(resource_path("icons/sendesk.png"))))
    app.setQuitOnLastWindowClosed(False)
    appearance.install(app)
    none_guard.install(app)  # PySide6 6.12 miscounts None: see ui/none_guard.py
    return app


def run(path: Path | None = None) -> int:
    from ui import warm_up

    warm_up.FREEZE_WHEN_LOADED = True
    app = make_application()
    errors.install()
    controller = Controller()
    controller.show_start(path)
    app.lastWindowClosed.connect(lambda: None if controller.main else app.quit())
    return app.exec()
