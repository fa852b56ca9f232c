"""File → Prepare handover…: where (a USB stick), a handover passphrase, a verified backup, and
the handover sheet to print (it never shows the passphrase)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QPushButton,
    QWidget,
    QWizard,
    QWizardPage,
)

from sendesk import FILE_SUFFIX
from sendesk.backup import name_for
from sendesk.errors import SendeskError
from sendesk.services import handover
from sendesk.wording import plural
from ui import errors
from ui.background import run_in_background
from ui.backup_dialogs import PathField
from ui.context import FileContext
from ui.copy_passphrase_page import CopyPassphrasePage
from ui.widgets import show_problems
from ui.work_page import WorkPage


class WherePage(QWizardPage):
    def __init__(self, start: Path) -> None:
        super().__init__()
        self.setTitle("Where to put the handover copy")
        self.setSubTitle("Plug in the USB stick for the next SENCo and choose a file on it.")
        layout = QFormLayout(self)
        self.dest = PathField(
            "Handover file", self, save=True, start=start, placeholder="Browse… to the USB stick"
        )
        self.dest.edit.textChanged.connect(self.completeChanged)
        layout.addRow("&Handover file:", self.dest)

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.dest.path() is not None


class HandoverWizard(QWizard):
    def __init__(self, ctx: FileContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result_: handover.Handover | None = None
        self.sheet_path: Path | None = None
        self.setWindowTitle("Prepare handover")
        school = ctx.vault.meta().school_name
        name = f"{name_for(school)}-handover-{dt.date.today().isoformat()}{FILE_SUFFIX}"
        self.where = WherePage(Path.home() / name)
        self.secret = CopyPassphrasePage(
            ctx,
            "handover",
            "Choose a new passphrase just for this copy, and tell it to the next SENCo in "
            "person. It is not printed on the handover sheet.",
        )
        self.making = WorkPage(
            "Making and checking the handover copy",
            "Handover status",
            self.make,
            lambda: self.result_ is not None,
        )
        self.sheet_button = QPushButton("Save the handover &sheet to print…")
        self.sheet_button.clicked.connect(lambda: self.save_sheet())
        self.sheet_button.setEnabled(False)
        self.making.add(self.sheet_button)
        for page in (self.where, self.secret, self.making):
            self.addPage(page)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)

    def make(self) -> None:
        dest = self.where.dest.path()
        assert dest is not None
        if dest.suffix != FILE_SUFFIX:
            dest = dest.with_name(dest.name + FILE_SUFFIX)
        secret = self.secret.first.text()
        ctx = self.ctx  # its vault is asked on the worker thread
        self.making.status.setText(f"Making a verified copy at {dest}…")
        run_in_background(
            lambda: handover.prepare(ctx.vault, dest, secret), self._made, self._failed
        )

    def _made(self, made: object) -> None:
        assert isinstance(made, handover.Handover)
        self.result_ = made
        self.secret.first.clear()
        self.secret.second.clear()
        self.making.status.setText(
            f"The handover copy is ready and was checked with the handover passphrase:\n"
            f"{made.backup}\n\n{plural(made.pupils, 'pupil')}, {plural(made.cycles, 'cycle')}, "
            f"{plural(made.meetings, 'meeting')}. Save and print the handover sheet, then give "
            "the passphrase in person."
        )
        self.sheet_button.setEnabled(True)
        self.making.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.making.status.setText("The handover copy was not made.")
        if isinstance(exc, SendeskError):
            show_problems(self.making.problem, exc.message)
        else:
            errors.explain(self, exc)

    def save_sheet(self, target: Path | None = None) -> None:
        assert self.result_ is not None
        if not target:
            default = self.result_.backup.with_name(self.result_.backup.stem + "-sheet.pdf")
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Save the handover sheet", str(default), "PDF (*.pdf)"
            )
            if not chosen:
                return
            target = Path(chosen)
        try:
            self.sheet_path = handover.write_sheet(self.ctx.sessions, self.result_, target)
        except SendeskError as exc:
            show_problems(self.making.problem, exc.message)
            return
        show_problems(self.making.problem, None)
        self.making.status.setText(self.making.status.text() + f"\n\nSheet saved: {target}")
