"""Unexpected errors become a plain-English dialog; the details go to a log with no pupil data."""

from __future__ import annotations

import sys
from types import TracebackType

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QWidget

from sendesk import crashlog
from sendesk.errors import CannotUnlock, known_failure


def wrong_secret(word: str = "passphrase") -> str:
    """The one sentence for a passphrase (or a server password) that did not unlock."""
    if word == "passphrase":
        return f"{CannotUnlock.MESSAGE[0].upper()}{CannotUnlock.MESSAGE[1:]}. Try again."
    return f"Wrong {word}. Try again."


def explain(parent: QWidget | None, exc: BaseException, title: str = "SENDesk") -> None:
    """Show what went wrong: the user's sentence for a known error, a crash note otherwise."""
    from PySide6.QtWidgets import QMessageBox  # its enums cost start-up time; only when needed

    # The same sentences as the command line: a full disk, a read-only file, a busy file.
    known = known_failure(exc, "That could not be done")
    if known is not None:
        QMessageBox.warning(parent, title, known.message)
        return
    where = crashlog.write(exc)
    detail = f"\n\nDetails for your IT support (no pupil data) are in:\n{where}" if where else ""
    QMessageBox.critical(
        parent,
        title,
        "Something unexpected went wrong, and the last action may not have finished. What was "
        "saved before it is in the file; check the last change you made before going on."
        f"{detail}",
    )


def _hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    exc.__traceback__ = tb
    explain(QApplication.activeWindow(), exc)


def _qt_messages(kind: QtMsgType, context: object, message: str) -> None:
    # Qt's own warnings carry no record content; keep the serious ones for IT support.
    if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
        crashlog.write(RuntimeError(f"Qt: {message[:200]}"))


def install() -> None:
    sys.excepthook = _hook
    qInstallMessageHandler(_qt_messages)
