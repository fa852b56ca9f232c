"""A leader's window: the anonymised register summary of a school server, read-only.

A leader's login may read no pupil row (the server refuses it); what it may read is the summary
the server's own function returns (`sendesk.services.leaders`), with every group of fewer than 5
pupils shown as "fewer than 5". The window shows that table with the school's name, refreshes it,
saves it as a PDF or CSV (written atomically and audited by the documents service), and locks like
the main window: the connection closed and the password asked again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sendesk import APP_NAME
from sendesk.documents import analytics_reports as reports
from sendesk.figures import RegisterSummary
from sendesk.services import analytics_documents, leaders, school
from sendesk.services.documents import Printable
from ui import background, errors, saving
from ui.analytics.tables import fill, text_table
from ui.context import FileContext
from ui.idle import IdleWatcher
from ui.lock_controller import LOCK_KEY, LockController
from ui.lock_screen import LockScreen
from ui.widgets import LiveLabel

if TYPE_CHECKING:
    from sendesk.server.database import ServerDatabase


class LeaderWindow(QWidget):
    closed = Signal()

    def __init__(
        self, server: ServerDatabase, idle_check_ms: int = 5_000, today: dt.date | None = None
    ) -> None:
        super().__init__()
        self.ctx = FileContext(server)
        self.today = today  # fixed by tests; else asked of the clock when saving
        self.open_next: Path | None = None  # as the main window's: nothing to open after this
        self.summary: RegisterSummary | None = None
        self.may_close = False
        self.resize(820, 560)
        layout = QVBoxLayout(self)
        self.school = QLabel()
        self.school.setTextFormat(Qt.TextFormat.PlainText)  # a name as typed, never markup
        self.school.setAccessibleName("School")
        self.school.setWordWrap(True)  # a long name must not hold the window wider than a screen
        heading = self.school.font()
        heading.setPointSizeF(heading.pointSizeF() * 1.4)
        heading.setBold(True)
        self.school.setFont(heading)
        layout.addWidget(self.school)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)

        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        note = QLabel(reports.SUMMARY_NOTE)
        note.setWordWrap(True)
        column.addWidget(note)
        self.table = text_table("register_summary")
        self.table.setAccessibleName("Anonymised register summary")
        column.addWidget(self.table, 1)
        self.counted = LiveLabel("Groups")
        column.addWidget(self.counted)
        self.status = LiveLabel("Status")
        column.addWidget(self.status)
        buttons = QHBoxLayout()
        self.refresh_button = QPushButton("&Refresh")
        self.pdf_button = QPushButton("Save as &PDF…")
        self.csv_button = QPushButton("Save as &CSV…")
        self.lock_button = QPushButton("&Lock")
        self.close_button = QPushButton("Cl&ose")
        for button in (self.refresh_button, self.pdf_button, self.csv_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.lock_button)
        buttons.addWidget(self.close_button)
        column.addLayout(buttons)
        self.stack.addWidget(page)
        self.lock_screen = LockScreen()
        self.lock_screen.use_password()
        self.stack.addWidget(self.lock_screen)

        self.refresh_button.clicked.connect(self.refresh)
        self.pdf_button.clicked.connect(lambda: self.save(csv=False))
        self.csv_button.clicked.connect(lambda: self.save(csv=True))
        self.lock_button.clicked.connect(self.lock)
        self.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence.StandardKey.Refresh, self, self.refresh)
        QShortcut(LOCK_KEY, self, self.lock)
        QShortcut(QKeySequence.StandardKey.Close, self, self.close)

        minutes = school.load(self.ctx.sessions).idle_lock_minutes
        self.idle = IdleWatcher(self.lock, minutes * 60, idle_check_ms)
        self.locking = LockController(
            self, self.ctx, self.lock_screen, self.idle, self.hide_records, self.refresh
        )
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self.idle)
        app.installEventFilter(self.locking)
        self.refresh()

    @property
    def locked(self) -> bool:
        return self.locking.locked

    def refresh(self) -> None:
        """Ask the server for the summary again, off the GUI thread: a slow network never
        freezes the window."""
        if self.locked:
            return
        self.stack.setCurrentIndex(0)
        self.refresh_button.setEnabled(False)  # one question at a time
        background.on_file(
            self,
            "Asking the server for the summary",
            self.ctx,
            lambda vault: leaders.summary(vault.sessions),
            self._show,
            self._not_found,
        )

    def _show(self, found: RegisterSummary) -> None:
        if self.locked:  # locked while the server answered: nothing is shown
            return
        self.summary = found
        self.setWindowTitle(f"{APP_NAME} — {found.school} — {self.ctx.label()}")
        self.school.setText(found.school)
        fill(self.table, reports.SUMMARY_COLUMNS, reports.summary_rows(found))
        self.counted.setText(reports.summary_words(found))
        for button in (self.refresh_button, self.pdf_button, self.csv_button, self.lock_button):
            button.setEnabled(True)

    def _not_found(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(not self.locked)
        errors.explain(self, exc, "The anonymised summary")

    def hide_records(self) -> None:
        """Locked: nothing read from the server stays on screen."""
        self.summary = None
        fill(self.table, reports.SUMMARY_COLUMNS, [])
        self.counted.clear()
        self.status.clear()
        for button in (self.refresh_button, self.pdf_button, self.csv_button, self.lock_button):
            button.setEnabled(False)
        self.stack.setCurrentWidget(self.lock_screen)

    def lock(self) -> None:
        self.locking.lock()

    def save(self, csv: bool) -> background.Job[Printable] | None:
        """The summary made as a PDF or CSV off the GUI thread, then saved where the user says."""
        if self.locked:
            return None
        today = self.today or dt.date.today()
        return saving.make_and_save(
            self,
            self.ctx,
            "the summary",
            lambda sessions: analytics_documents.summary_doc(sessions, csv, today),
            lambda written: self.status.setText(f"Saved {written.name}"),
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.may_close:
            event.accept()
            return
        if background.busy():
            event.ignore()  # a save still running finishes first, then the window closes
            background.when_idle(self._close_after_jobs, self)
            return
        self.may_close = True
        self.idle.active = False
        self.idle.timer.stop()
        app = QApplication.instance()
        assert app is not None
        app.removeEventFilter(self.idle)
        app.removeEventFilter(self.locking)
        self.ctx.close()  # the connection closed and its password forgotten
        event.accept()
        QTimer.singleShot(0, self, self.closed.emit)  # not after the window is gone

    def _close_after_jobs(self) -> None:
        self.close()
