"""Pupil → Everything we hold on this pupil…: the subject access ZIP (a readable PDF, a JSON of
every row linked to the pupil, and the attachments), saved where the user chooses, and locked
with a password if the user asks (AES-256)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from sendesk.errors import BadInput
from sendesk.services import subject_access
from sendesk.wording import plural
from ui import background, errors
from ui.context import FileContext
from ui.widgets import PasswordPair, problem_label, show_problems

TITLE = "Everything we hold on this pupil"


def default_name(folder: Path | None = None) -> Path:
    """A file name that names no pupil."""
    return (folder or Path.home()) / f"subject-access-{dt.date.today().isoformat()}.zip"


class ProtectDialog(QDialog):
    """Before the file dialog: lock the ZIP with a password, or not; the password is checked
    here, so nothing is written with one typed wrong."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The ZIP holds every record of the pupil. Lock it with a password (AES-256) when "
            "it will be sent or carried; give the password separately. A locked ZIP opens in "
            "7-Zip and most ZIP tools (not Windows' own Explorer)."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.protect = QCheckBox("&Lock the ZIP with a password")
        layout.addWidget(self.protect)
        self.pair = PasswordPair("ZIP")
        self.pair.setEnabled(False)
        layout.addWidget(self.pair)
        self.problem = problem_label()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Choose where to save…")
        self.buttons.accepted.connect(self.check)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.protect.toggled.connect(self.pair.setEnabled)
        self.chosen: str | None = None

    def check(self) -> None:
        if self.protect.isChecked():
            try:
                self.chosen = self.pair.password()
            except BadInput as exc:
                show_problems(self.problem, exc.message)
                return
        self.pair.clear()  # not kept in a widget once read
        self.accept()


def save_subject_access(
    parent: QWidget,
    ctx: FileContext,
    pupil_id: int,
    done: Callable[[subject_access.SubjectAccess], None] | None = None,
    target: Path | None = None,
    password: str | None = None,
) -> ProtectDialog | None:
    """Ask whether to lock it and where to save (unless `target` is given), then write the ZIP
    off the GUI thread."""
    if target is None:
        dialog = ProtectDialog(parent)

        def chosen() -> None:
            where, _ = QFileDialog.getSaveFileName(
                parent, f"Save {TITLE.lower()}", str(default_name()), "ZIP (*.zip)"
            )
            if where:
                _write(parent, ctx, pupil_id, Path(where), dialog.chosen, done)

        dialog.accepted.connect(chosen)
        dialog.open()
        return dialog
    _write(parent, ctx, pupil_id, target, password, done)
    return None


def _write(
    parent: QWidget,
    ctx: FileContext,
    pupil_id: int,
    target: Path,
    password: str | None,
    done: Callable[[subject_access.SubjectAccess], None] | None,
) -> None:
    if target.suffix.lower() != ".zip":
        target = target.with_name(target.name + ".zip")
    out = target  # ctx.sessions is asked on the worker thread: its own engine there

    def made(result: object) -> None:
        assert isinstance(result, subject_access.SubjectAccess)
        how = (
            "It is locked with the password you chose: give the password separately."
            if password
            else "The ZIP is NOT encrypted. Hand it over securely, then delete your copy."
        )
        QMessageBox.information(
            parent,
            TITLE,
            f"Saved {result.path}: {plural(result.rows, 'record')} from "
            f"{plural(result.tables, 'table')} and "
            f"{plural(result.attachments, 'attached file')}.\n\n{how}",
        )
        if done is not None:
            done(result)

    background.on_file(
        parent,
        "writing the subject access copy",
        ctx,
        lambda vault: subject_access.write_zip(vault.sessions, pupil_id, out, password=password),
        made,
        lambda exc: errors.explain(parent, exc, TITLE),
        progress="Writing the copy of the pupil's records…",
    )
