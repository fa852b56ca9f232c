"""Locking a window: records hidden at once, the file closed once running work has finished.

Locking means closed. The lock screen covers the window the moment the user (or the idle timer)
locks; background jobs still running are waited for, never cut off, and the lock screen says which;
then the automatic backup runs as a job of its own, and the file closes: every session, engine and
key is dropped, so anything still holding an old session fails with `FileClosed`. Windows opened
from the main one (dialogs, wizards) are hidden, their drafts saved, and shown again on unlocking.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import shiboken6
from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from sendesk.errors import CannotUnlock, SendeskError
from sendesk.filelock import FileInUse
from sendesk.services import safekeeping
from sendesk.vault import Vault
from ui import background, errors
from ui.context import FileContext, OpenRecords
from ui.idle import IdleWatcher
from ui.lock_screen import LockScreen

if TYPE_CHECKING:
    from sendesk.server.address import ServerAddress

LOCK_KEY = QKeySequence("Ctrl+L")


@runtime_checkable
class KeepsDraft(Protocol):
    """A window (a stage wizard) that can keep what was typed in it as a draft in the file."""

    def save_draft(self) -> None: ...


class LockController(QObject):
    """Locks and unlocks one main window's file.

    `hide_records` clears everything on screen that shows a record; `show_records` loads it all
    again after unlocking.
    """

    locked_changed = Signal(bool)
    file_closed = Signal()  # the file is closed: the lock is complete

    def __init__(
        self,
        window: QWidget,
        ctx: FileContext,
        screen: LockScreen,
        idle: IdleWatcher,
        hide_records: Callable[[], None],
        show_records: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.screen = screen
        self.idle = idle
        self.hide_records = hide_records
        self.show_records = show_records
        self.locked = False
        self.hidden_dialogs: list[QWidget] = []
        screen.unlock_requested.connect(self.unlock)

    @property
    def path(self) -> Path:
        return self.ctx.path

    # --- locking ------------------------------------------------------------------------------

    def lock(self) -> None:
        """Hide every record now; close the file once running jobs and the backup are done."""
        if self.locked:
            return
        self.locked = True
        self.idle.active = False
        shown = [
            w for w in QApplication.topLevelWidgets()
            if isinstance(w, QDialog) and w.isVisible() and owned_by(w, self.window)
        ]  # fmt: skip
        # A question in front ("Close without saving?") is answered "no" by closing it, and is
        # not shown again: its asker has gone on, keeping what was typed, and the box is gone.
        for box in (w for w in shown if isinstance(w, QMessageBox)):
            box.done(QMessageBox.StandardButton.NoButton.value)
        self.hidden_dialogs = [w for w in shown if not isinstance(w, QMessageBox)]
        for dialog in self.hidden_dialogs:
            dialog.hide()
            if isinstance(dialog, KeepsDraft) and self.ctx.is_open and not self.ctx.read_only:
                dialog.save_draft()  # kept in the file too, in case SENDesk is closed while locked
        self.hide_records()
        self.screen.prepare(self.path)
        self.locked_changed.emit(True)
        if background.busy():
            self.screen.waiting(background.running())
        background.when_idle(self._back_up_then_close, self.window)

    def _back_up_then_close(self) -> None:
        if not (self.locked and self.ctx.is_open):
            return
        if self.ctx.read_only or self.ctx.is_server:
            self._close_file()  # a server keeps its own backups: only the connection closes
            return
        self.screen.waiting(["the automatic backup"])
        background.on_file(
            self.window,
            "the automatic backup",
            self.ctx,
            safekeeping.backup_on_close,
            lambda _saved: self._close_file(),
            lambda _exc: self._close_file(),  # closing the app tries again once unlocked
        )

    def _close_file(self) -> None:
        if not self.locked:
            return
        self.hide_records()  # a job's callback may have shown records again meanwhile
        self.ctx.lock()
        self.screen.closed()
        self.file_closed.emit()

    # --- unlocking ----------------------------------------------------------------------------

    def unlock(self, secret: str) -> None:
        if not self.locked or self.ctx.is_open:
            return  # still closing: the lock screen's passphrase is not enabled yet
        self.screen.busy(True)
        if self.ctx.server_address is not None:
            self._reconnect(self.ctx.server_address, secret)
            return
        path, read_only, held = self.path, self.ctx.read_only, self.ctx.kept_lock
        background.run(
            self.window,
            "unlocking",
            lambda: Vault.open(path, secret, read_only=read_only, holding=held),
            self._unlocked,
            self._unlock_failed,
        )

    def _reconnect(self, address: ServerAddress, password: str) -> None:
        from sendesk.server.database import ServerDatabase

        background.run(
            self.window,
            "connecting to the server",
            lambda: ServerDatabase.connect(address, password),
            self._unlocked,
            self._unlock_failed,
        )

    def _unlocked(self, vault: OpenRecords) -> None:
        self.ctx.reopen(vault)
        self.locked = False
        self.screen.passphrase.clear()
        try:
            self.show_records()
            for dialog in self.hidden_dialogs:
                if shiboken6.isValid(dialog):  # one its owner closed meanwhile is gone
                    dialog.show()
        finally:
            self.hidden_dialogs = []
            self.idle.resume()  # whatever happened above, the idle lock is on again
            self.locked_changed.emit(False)

    def _unlock_failed(self, exc: BaseException) -> None:
        if isinstance(exc, CannotUnlock):
            self.screen.failed(errors.wrong_secret(self.screen.secret_word))
        elif isinstance(exc, FileInUse):
            self.screen.failed(f"{exc.message} Close this window and open the file again.")
        elif isinstance(exc, SendeskError):
            self.screen.failed(exc.message)
        else:
            self.screen.failed("The file could not be opened.")
            errors.explain(self.window, exc)

    # --- the lock key while a dialog is in front ------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Ctrl+L from a modal dialog or wizard of this window, which blocks its shortcuts."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            modal = QApplication.activeModalWidget()
            pressed = QKeyCombination(event.modifiers(), Qt.Key(event.key()))
            if (
                modal is not None
                and owned_by(modal, self.window)
                and QKeySequence(pressed) == LOCK_KEY
            ):
                self.lock()
                return True
        return False


def owned_by(widget: QWidget, window: QWidget) -> bool:
    """Whether a window (a dialog or wizard) was opened from `window`, at any depth."""
    parent = widget.parentWidget()
    while parent is not None:
        if parent is window:
            return True
        parent = parent.parentWidget()
    return False
