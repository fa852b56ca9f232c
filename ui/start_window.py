"""The first window: recent files, open another, create a new one, or try the demo school."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sendesk import APP_NAME, FILE_SUFFIX, __version__
from sendesk.paths import default_folder
from ui import errors, recent_files
from ui.background import run_in_background

if TYPE_CHECKING:
    from sendesk.vault import Vault
    from ui.create_wizard import CreateWizard
    from ui.server_dialog import ServerDialog
    from ui.unlock_dialog import UnlockDialog

DEMO_PUPILS = 200


def _warm_up() -> None:
    import sendesk.services.pupils
    import sendesk.vault  # noqa: F401


class StartWindow(QWidget):
    unlocked = Signal(object)  # an open Vault or ServerDatabase

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.resize(560, 420)
        layout = QVBoxLayout(self)
        title = QLabel(
            f"<h1>{APP_NAME}</h1><p>SEN records for the SENCo, kept encrypted on this computer.</p>"
        )
        layout.addWidget(title)
        caption = QLabel("&Recent record files:")
        self.recent = QListWidget()
        self.recent.setAccessibleName("Recent record files")
        caption.setBuddy(self.recent)
        self.recent.itemActivated.connect(self._open_item)
        layout.addWidget(caption)
        layout.addWidget(self.recent)
        self.empty = QLabel(
            "No recent files yet. Create a record file for your school (then import your "
            "pupils from your MIS, or add them one by one), or try the demo school to see "
            "what SENDesk does."
        )
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        buttons = QHBoxLayout()
        self.open_button = QPushButton("&Open another file…")
        self.create_button = QPushButton("&Create a new record file…")
        self.demo_button = QPushButton("Try the &demo school")
        for button in (self.open_button, self.create_button, self.demo_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.server_button = QPushButton("Connect to a school &server…")
        self.server_button.clicked.connect(self.connect_server)
        layout.addWidget(self.server_button)
        version = QLabel(f"Version {__version__}")
        footer = QHBoxLayout()
        footer.addStretch()
        footer.addWidget(version)
        layout.addLayout(footer)
        self.open_button.clicked.connect(self.choose_file)
        self.create_button.clicked.connect(self.create_file)
        self.demo_button.clicked.connect(self.try_demo)
        QShortcut(QKeySequence.StandardKey.Open, self, self.choose_file)
        QShortcut(QKeySequence.StandardKey.New, self, self.create_file)
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        # Once painted, load the storage code while the user reads, so unlocking starts at once.
        QTimer.singleShot(300, lambda: threading.Thread(target=_warm_up, daemon=True).start())

    def refresh(self) -> None:
        self.recent.clear()
        self._paths: list[Path] = []
        for path in recent_files.load():
            item = QListWidgetItem(recent_files.label(path))
            self._paths.append(path)
            item.setToolTip(str(path))
            self.recent.addItem(item)
        has_recent = self.recent.count() > 0
        self.empty.setVisible(not has_recent)
        if has_recent:
            self.recent.setCurrentRow(0)
            self.recent.setFocus()

    def _open_item(self, item: QListWidgetItem) -> None:
        from PySide6.QtWidgets import QMessageBox  # loaded when first needed

        path = self._paths[self.recent.row(item)]
        if not path.exists():
            QMessageBox.warning(
                self,
                APP_NAME,
                f"{path} is no longer there; it is removed from "
                "the list. If it was moved, use Open another file.",
            )
            recent_files.forget(path)
            self.refresh()
            return
        self.unlock(path)

    def choose_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # loaded when first needed

        chosen, _ = QFileDialog.getOpenFileName(
            self, "Open a record file", str(default_folder()), f"SENDesk files (*{FILE_SUFFIX})"
        )
        if chosen:
            self.unlock(Path(chosen))

    def unlock(self, path: Path) -> UnlockDialog:
        from ui.unlock_dialog import UnlockDialog

        dialog = UnlockDialog(path, self)
        dialog.accepted.connect(lambda: self._opened(dialog.vault))
        dialog.open()
        return dialog

    def connect_server(self) -> ServerDialog:
        from ui.server_dialog import ServerDialog

        dialog = ServerDialog(self)
        dialog.accepted.connect(lambda: self.unlocked.emit(dialog.server))
        dialog.finished.connect(dialog.deleteLater)  # it holds the connection it made
        dialog.open()
        return dialog

    def create_file(self) -> CreateWizard:
        from ui.create_wizard import CreateWizard

        wizard = CreateWizard(self)
        wizard.accepted.connect(lambda: self._opened(wizard.vault))
        wizard.open()
        return wizard

    def _opened(self, vault: Vault | None) -> None:
        from PySide6.QtWidgets import QMessageBox  # loaded when first needed

        if vault is None:
            return
        if vault.upgrade:
            QMessageBox.information(
                self,
                APP_NAME,
                "This file came from an older SENDesk and has been upgraded. A backup of it as "
                f"it was is kept at:\n{vault.upgrade.backup}",
            )
        recent_files.remember(vault.path)
        self.unlocked.emit(vault)

    def try_demo(self) -> None:
        from PySide6.QtWidgets import QMessageBox  # loaded when first needed

        from sendesk import demo  # the demo's names and rows: only when asked for

        folder = Path(tempfile.mkdtemp(prefix=recent_files.DEMO_FOLDER_PREFIX))
        secret = demo.new_passphrase()
        path = folder / "demo-school.sendesk"
        self.demo_button.setEnabled(False)
        self.demo_button.setText("Building the demo school…")

        def built(vault: Vault) -> None:
            self._demo_done()
            QMessageBox.information(
                self,
                "The demo school",
                f"The demo school is made up: no real pupil is in it.\n\nIts passphrase is:\n\n"
                f"    {secret}\n\nYou need it if you open the demo again or when SENDesk locks.",
            )
            self.unlocked.emit(vault)

        def failed(exc: BaseException) -> None:
            self._demo_done()
            errors.explain(self, exc, "The demo school could not be built")

        run_in_background(
            lambda: demo.build(path, secret, DEMO_PUPILS, check_strength=False), built, failed
        )

    def _demo_done(self) -> None:
        self.demo_button.setEnabled(True)
        self.demo_button.setText("Try the &demo school")
