"""Asks for a file's passphrase and unlocks it off the GUI thread; a wrong one can be retried.

A damaged file, of any kind, is never opened: the dialog offers a copy of the newest good backup
instead, found off the GUI thread. Unlocking reads only the header and schema; the full check
then runs in the background and says so if it finds damage the unlock could not see.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QShowEvent
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

# The file's engine and models (SQLAlchemy) load with this dialog, before the passphrase is typed,
# so the file opens without waiting for them; `sendesk.vault` alone no longer brings them.
import sendesk.keyed_engine
import sendesk.models  # noqa: F401
from sendesk.errors import CannotUnlock, DamagedFile, NotARecordFile, SendeskError
from sendesk.filelock import CannotHold, FileInUse
from sendesk.vault import Vault
from sendesk.wording import plural
from ui import errors, warm_up
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

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        warm_up.start()  # while the passphrase is typed: unlocking then waits for the key alone

    def unlock(self) -> None:
        secret = self.passphrase.text()
        if not secret:
            show_problems(self.problem, "Type the passphrase first.")
            return
        self._busy(True)
        run_in_background(lambda: Vault.open(self.path, secret), self._opened, self._failed)
        warm_up.start()  # the main window's code loads while the key is derived

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)

    def _opened(self, vault: object) -> None:
        assert isinstance(vault, Vault)
        self.vault = vault
        self.passphrase.clear()
        check_in_background(vault)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, DamagedFile):
            self._damaged(exc)
        elif isinstance(exc, FileInUse | CannotHold):
            self._in_use(exc)
        elif isinstance(exc, NotARecordFile):  # a PDF or a CSV picked by mistake: say so
            show_problems(self.problem, exc.message)
        elif isinstance(exc, CannotUnlock):
            show_problems(self.problem, errors.wrong_secret())
        elif isinstance(exc, SendeskError):
            show_problems(self.problem, exc.message)
        else:
            errors.explain(self, exc)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    # --- another copy of SENDesk has the file open -----------------------------------------

    def _in_use(self, exc: FileInUse | CannotHold) -> None:
        """Offer a read-only view, or taking over a lock whose holder cannot be checked (a file
        in a folder that cannot be changed is offered the read-only view alone)."""
        secret = self.passphrase.text()
        show_problems(self.problem, exc.message)
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        if exc.may_take_over:
            answer = QMessageBox.question(
                self,
                "Record file in use",
                f"{exc.message}\n\nIf SENDesk is no longer running there (that computer "
                "crashed or was switched off), you can take the file over. If it is still "
                "running there, two people would be changing the file at once and one of them "
                "would lose work.\n\nTake the file over?",
                yes | no,
                no,
            )
            if answer == yes:
                self._busy(True)
                run_in_background(
                    lambda: Vault.open(self.path, secret, take_over=True),
                    self._opened,
                    self._failed,
                )
                return
        answer = QMessageBox.question(
            self,
            "Record file in use" if isinstance(exc, FileInUse) else "Folder cannot be changed",
            f"{exc.message}\n\nOpen it read-only? You can read and search everything, but "
            "nothing can be changed.",
            yes | no,
            yes,
        )
        if answer == yes:
            self._busy(True)
            run_in_background(
                lambda: Vault.open(self.path, secret, read_only=True), self._opened, self._failed
            )

    # --- a damaged file is never repaired in place ------------------------------------------

    def _damaged(self, exc: DamagedFile) -> None:
        """Say what is wrong; look for the newest good backup off the GUI thread."""
        from sendesk import restore  # loaded only when a file is damaged

        secret = self.passphrase.text()
        what = "; ".join(exc.problems[:3]) or "its integrity check failed"
        show_problems(self.problem, f"{exc.message} ({what})")
        self._busy(True)
        self.progress.setFormat("Looking for a good backup…")
        run_in_background(
            lambda: restore.newest_good_backup(self.path, secret),
            lambda good: self._offer(exc, what, secret, good),
            self._failed,
        )

    def _offer(self, exc: DamagedFile, what: str, secret: str, good: object) -> None:
        """Offer to restore the newest good backup to a new file beside the damaged one."""
        from sendesk import restore

        self._busy(False)
        self.progress.setFormat("Unlocking…")
        if good is None:
            QMessageBox.warning(
                self,
                "Damaged record file",
                f"{exc.message}\n\nWhat is wrong: {what}.\n\nNo backup of this file that opens "
                "with this passphrase passed its checks. Ask your IT support for help.",
            )
            return
        assert isinstance(good, restore.BackupFacts)
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


def check_in_background(vault: Vault) -> None:
    """Run the full integrity check off the GUI thread; say so at once if it finds damage.

    The dialog may be gone when the result arrives, so the warning belongs to the active window.
    """
    from PySide6.QtWidgets import QApplication

    path = vault.path

    def report(problems: object) -> None:
        if not problems:
            return
        assert isinstance(problems, list)
        what = "; ".join(str(p) for p in problems[:3])
        QMessageBox.warning(
            QApplication.activeWindow(),
            "Damaged record file",
            f"The full check of {path.name} found damage: {what}.\n\nSave nothing more to it: "
            "close it, and open your newest backup (File → Restore a backup…). Keep the damaged "
            "file for your IT support.",
        )

    def failed(exc: BaseException) -> None:
        # Busy, or closed (locked) before the check finished: that is not damage; the next
        # backup checks its copy in full.
        if isinstance(exc, DamagedFile):
            report([exc.message, *exc.problems])

    run_in_background(vault.verify, report, failed)
