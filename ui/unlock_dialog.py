"""Asks for a file's passphrase and unlocks it off the GUI thread; a wrong one can be retried."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from sendesk.errors import CannotUnlock, DamagedFile, SendeskError
from sendesk.vault import Vault
from sendesk.wording import plural
from ui import errors
from ui.background import run_in_background
from ui.widgets import problem_label, show_problems, show_secrets_box


class UnlockDialog(QDialog):
    """On success `vault` holds the open file."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.vault: Vault | None = None
        self.setWindowTitle("Unlock record file")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        intro = QLabel(f"Enter the passphrase for\n{path}")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase.setPlaceholderText("Passphrase")
        intro.setBuddy(self.passphrase)
        layout.addWidget(self.passphrase)
        self.show_box = show_secrets_box(self.passphrase)
        layout.addWidget(self.show_box)
        self.problem = problem_label()
        layout.addWidget(self.problem)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy, no known end
        self.progress.setAccessibleName("Unlocking")
        self.progress.setFormat("Unlocking…")
        self.progress.hide()
        layout.addWidget(self.progress)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.unlock_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.unlock_button.setText("&Unlock")
        self.buttons.accepted.connect(self.unlock)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def unlock(self) -> None:
        secret = self.passphrase.text()
        if not secret:
            show_problems(self.problem, "Type the passphrase first.")
            return
        self._busy(True)
        run_in_background(lambda: Vault.open(self.path, secret), self._opened, self._failed)

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)

    def _opened(self, vault: object) -> None:
        assert isinstance(vault, Vault)
        self.vault = vault
        self.passphrase.clear()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, DamagedFile):
            self._damaged(exc)
        elif isinstance(exc, CannotUnlock):
            show_problems(self.problem, "Wrong passphrase, or not a SENDesk file. Try again.")
        elif isinstance(exc, SendeskError):
            show_problems(self.problem, exc.message)
        else:
            errors.explain(self, exc)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    # --- a damaged file is never repaired in place ------------------------------------------

    def _damaged(self, exc: DamagedFile) -> None:
        """Say what is wrong; offer to restore the newest good backup to a new file and open it."""
        from sendesk import restore  # loaded only when a file is damaged

        secret = self.passphrase.text()
        what = "; ".join(exc.problems[:3]) or "its integrity check failed"
        show_problems(self.problem, f"{exc.message} ({what})")
        good = restore.newest_good_backup(self.path, secret)
        if good is None:
            QMessageBox.warning(
                self,
                "Damaged record file",
                f"{exc.message}\n\nWhat is wrong: {what}.\n\nNo backup of this file that opens "
                "with this passphrase passed its checks. Ask your IT support for help.",
            )
            return
        answer = QMessageBox.question(
            self,
            "Damaged record file",
            f"{exc.message}\n\nWhat is wrong: {what}.\n\nThe newest good backup is "
            f"{good.path.name} ({plural(good.counts.get('pupil', 0), 'pupil')}). Open a copy of it "
            "instead? The damaged file is left exactly as it is.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._busy(True)

        def recover() -> Vault:
            return Vault.open(restore.recover(self.path, secret, good), secret)

        run_in_background(recover, self._opened, self._failed)
