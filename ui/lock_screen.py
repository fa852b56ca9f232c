"""What the window shows while locked: no pupil data, only a way back in."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QProgressBar, QPushButton, QVBoxLayout, QWidget

from ui.widgets import problem_label, show_problems


class LockScreen(QWidget):
    unlock_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.path = Path()
        self.secret_word = "passphrase"  # noqa: S105 - a word shown; "password" on a server
        layout = QVBoxLayout(self)
        layout.addStretch()
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.passphrase.setPlaceholderText("Passphrase")
        self.passphrase.setMaximumWidth(420)
        # Wide enough to see a four-word passphrase being typed (centred, it would take only
        # its own small hint's width).
        self.passphrase.setMinimumWidth(
            min(420, 36 * self.passphrase.fontMetrics().averageCharWidth())
        )
        layout.addWidget(self.passphrase, alignment=Qt.AlignmentFlag.AlignCenter)
        self.problem = problem_label()
        self.problem.setFixedWidth(420)  # wraps within the passphrase's width, never cut off
        self.problem.setAlignment(Qt.AlignmentFlag.AlignCenter)  # centred like all else here
        layout.addWidget(self.problem, alignment=Qt.AlignmentFlag.AlignCenter)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(420)
        self.progress.hide()
        layout.addWidget(self.progress, alignment=Qt.AlignmentFlag.AlignCenter)
        self.button = QPushButton("&Unlock")
        layout.addWidget(self.button, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addStretch()
        self.button.clicked.connect(self._request)
        self.passphrase.returnPressed.connect(self._request)

    def prepare(self, path: Path) -> None:
        """Shown the moment the app locks, while the file is still being closed."""
        self.path = path
        self.title.setText(f"SENDesk is locking.\nClosing {path.name}…")
        self.passphrase.clear()
        show_problems(self.problem, None)
        self.busy(True)

    def waiting(self, jobs: list[str]) -> None:
        """Running work is finished before the file closes, never cut off."""
        self.title.setText(
            f"SENDesk is locking.\n{self.path.name} closes once {' and '.join(jobs)} has finished."
        )

    def closed(self) -> None:
        self.title.setText(
            f"SENDesk is locked.\n{self.path.name} is closed. "
            f"Enter the {self.secret_word} to go on."
        )
        self.busy(False)
        self.passphrase.setFocus()

    def use_password(self) -> None:
        """On a server the login's password reconnects, not a file's passphrase."""
        self.secret_word = "password"  # noqa: S105 - a word shown, not a password
        self.passphrase.setAccessibleName("Password")
        self.passphrase.setPlaceholderText("Password")

    def _request(self) -> None:
        if self.passphrase.text():
            self.unlock_requested.emit(self.passphrase.text())

    def busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.button.setEnabled(not busy)
        self.passphrase.setEnabled(not busy)

    def failed(self, message: str) -> None:
        self.busy(False)
        show_problems(self.problem, message)
        self.passphrase.selectAll()
        self.passphrase.setFocus()
