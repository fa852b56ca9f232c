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
        layout.addWidget(self.passphrase, alignment=Qt.AlignmentFlag.AlignCenter)
        self.problem = problem_label()
        self.problem.setFixedWidth(420)  # wraps within the passphrase's width, never cut off
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
        self.title.setText(
            f"SENDesk is locked.\n{path.name} is closed. Enter the passphrase to go on."
        )
        self.passphrase.clear()
        show_problems(self.problem, None)
        self.busy(False)
        self.passphrase.setFocus()

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
