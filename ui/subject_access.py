"""Pupil → Everything we hold on this pupil…: the subject access ZIP (a readable PDF, a JSON of
every row linked to the pupil, and the attachments), saved where the user chooses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from sendesk.services import subject_access
from ui import errors
from ui.background import run_in_background
from ui.context import FileContext

TITLE = "Everything we hold on this pupil"


def default_name(folder: Path | None = None) -> Path:
    """A file name that names no pupil (the ZIP is not encrypted)."""
    return (folder or Path.home()) / f"subject-access-{dt.date.today().isoformat()}.zip"


def save_subject_access(
    parent: QWidget,
    ctx: FileContext,
    pupil_id: int,
    done: Callable[[subject_access.SubjectAccess], None] | None = None,
    target: Path | None = None,
) -> None:
    """Ask where to save (unless `target` is given), then write the ZIP off the GUI thread."""
    if target is None:
        chosen, _ = QFileDialog.getSaveFileName(
            parent, f"Save {TITLE.lower()}", str(default_name()), "ZIP (*.zip)"
        )
        if not chosen:
            return
        target = Path(chosen)
    if target.suffix.lower() != ".zip":
        target = target.with_name(target.name + ".zip")
    out = target  # ctx.sessions is asked on the worker thread: its own engine there

    def made(result: object) -> None:
        assert isinstance(result, subject_access.SubjectAccess)
        QMessageBox.information(
            parent,
            TITLE,
            f"Saved {result.path}: {result.rows} records from {result.tables} tables and "
            f"{result.attachments} attached files.\n\nThe ZIP is NOT encrypted. Hand it over "
            "securely, then delete your copy.",
        )
        if done is not None:
            done(result)

    run_in_background(
        lambda: subject_access.write_zip(ctx.sessions, pupil_id, out),
        made,
        lambda exc: errors.explain(parent, exc, TITLE),
    )
