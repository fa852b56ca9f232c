"""Pupil → Transfer to another school…: where to save, a transfer passphrase, then the verified
transfer file and the evidence pack; later Pupil → Transfer received: remove records…; and
File → Receive a transferred pupil…."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
    QWizard,
    QWizardPage,
)

from sendesk import FILE_SUFFIX
from sendesk.errors import SendeskError
from sendesk.services import pupils, transfer
from ui import errors
from ui.background import run_in_background
from ui.backup_dialogs import PathField, _Dialog
from ui.context import FileContext
from ui.copy_passphrase_page import CopyPassphrasePage
from ui.widgets import DateField, problem_label, secret_field, show_problems
from ui.work_page import WorkPage


class WherePage(QWizardPage):
    def __init__(self, start: Path) -> None:
        super().__init__()
        self.setTitle("Where to save the transfer file")
        self.setSubTitle(
            "Choose a file on a USB stick (or a folder your secure transfer service uses). "
            "The evidence pack PDF is saved beside it."
        )
        layout = QFormLayout(self)
        self.dest = PathField("Transfer file", self, save=True, start=start)
        self.dest.edit.textChanged.connect(self.completeChanged)
        layout.addRow("&Transfer file:", self.dest)
        self.destination = QLineEdit()
        self.destination.setAccessibleName("New school")
        self.destination.setMaxLength(200)
        layout.addRow("&New school:", self.destination)
        self.left_on = DateField("Leaving date")
        self.left_on.set_value(dt.date.today())
        layout.addRow("&Leaving date:", self.left_on)
        self.evidence = QCheckBox("Save the &evidence pack PDF beside it")
        self.evidence.setChecked(True)
        layout.addRow(self.evidence)
        self.problem = problem_label()
        layout.addRow(self.problem)

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.dest.path() is not None

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        try:
            self.left_on.value()
        except SendeskError as exc:
            show_problems(self.problem, exc.message)
            return False
        show_problems(self.problem, None)
        return True


class TransferWizard(QWizard):
    def __init__(self, ctx: FileContext, pupil_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pupil_id = pupil_id
        self.made: transfer.TransferMade | None = None
        self.setWindowTitle("Transfer to another school")
        name = f"pupil-transfer-{dt.date.today().isoformat()}{FILE_SUFFIX}"
        self.where = WherePage(Path.home() / name)
        self.secret = CopyPassphrasePage(
            ctx,
            "transfer",
            "Choose a passphrase just for this transfer and give it to the new school's SENCo "
            "separately from the file (by phone, say). The evidence pack is locked with it too.",
        )
        self.making = WorkPage(
            "Making and checking the transfer file",
            "Transfer status",
            self.make,
            lambda: self.made is not None,
        )
        for page in (self.where, self.secret, self.making):
            self.addPage(page)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)

    def make(self) -> None:
        dest = self.where.dest.path()
        assert dest is not None
        if dest.suffix != FILE_SUFFIX:
            dest = dest.with_name(dest.name + FILE_SUFFIX)
        secret = self.secret.first.text()
        left_on = self.where.left_on.value()
        destination = self.where.destination.text()
        evidence = self.where.evidence.isChecked()
        ctx, pupil_id = self.ctx, self.pupil_id  # its vault is asked on the worker thread
        self.making.status.setText(f"Making a verified transfer file at {dest}…")
        run_in_background(
            lambda: transfer.make_transfer_file(
                ctx.vault,
                pupil_id,
                dest,
                secret,
                left_on=left_on,
                destination=destination,
                evidence_pack=evidence,
            ),
            self._made,
            self._failed,
        )

    def _made(self, made: object) -> None:
        assert isinstance(made, transfer.TransferMade)
        self.made = made
        self.secret.first.clear()
        self.secret.second.clear()
        pack = (
            f"\nEvidence pack (locked with the same passphrase): {made.evidence_pack}"
            if (made.evidence_pack)
            else ""
        )
        self.making.status.setText(
            f"The transfer file is ready and was checked with the transfer passphrase:\n"
            f"{made.path}{pack}\n\nThe pupil is archived as transferred. Send the file to the "
            "new school and give them the passphrase separately. When they confirm it arrived, "
            "choose Pupil → Transfer received: remove records…, because the school must not "
            "keep a copy."
        )
        self.making.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.making.status.setText("The transfer file was not made; nothing was changed.")
        if isinstance(exc, SendeskError):
            show_problems(self.making.problem, exc.message)
        else:
            errors.explain(self, exc)


def confirm_received(parent: QWidget, ctx: FileContext, pupil_id: int) -> bool:
    """After the receiving school confirmed the transfer: remove every record of the pupil."""
    title = "Transfer received"
    waiting = transfer.pending(ctx.sessions, pupil_id)
    if waiting is None:
        QMessageBox.information(
            parent,
            title,
            "No transfer file was made for this pupil, so there is nothing to remove. Use "
            "Pupil → Transfer to another school… first.",
        )
        return False
    who = pupils.details(ctx.sessions, pupil_id)
    name = f"{who.preferred_forename or who.legal_forename} {who.legal_surname}"
    born = f", born {who.date_of_birth:%d/%m/%Y}" if who.date_of_birth else ""
    answer = QMessageBox.question(
        parent,
        f"{title}: {name}",
        f"A transfer file for {name}{born} was made on {waiting.made_at:%d/%m/%Y}. Has the new "
        f"school confirmed that they received it and can open it?\n\nYes removes every record "
        f"of {name} from this file. This cannot be undone; the audit log keeps only that the "
        "transfer happened.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    try:
        transfer.remove_after_transfer(ctx.sessions, pupil_id, confirmed=True)
    except SendeskError as exc:
        errors.explain(parent, exc, title)
        return False
    return True


class ReceiveDialog(_Dialog):
    """Import a pupil, with their whole history, from another school's transfer file."""

    def __init__(self, ctx: FileContext, parent: QWidget | None = None) -> None:
        super().__init__("Receive a transferred pupil", parent)
        self.ctx = ctx
        self.received: transfer.Received | None = None
        intro = QLabel(
            "Choose the transfer file the pupil's previous school sent, and type the transfer "
            "passphrase they gave you. The pupil is added with their whole SEN history."
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.source = PathField("Transfer file", self, save=False, start=Path.home())
        self.form.addRow("&Transfer file:", self.source)
        self.secret = secret_field("Transfer passphrase")
        self.form.addRow("&Passphrase:", self.secret)
        self.ok.setText("&Receive")
        self.finish_layout()

    def go(self) -> None:
        source, secret = self.source.path(), self.secret.text()
        if source is None or not secret:
            show_problems(self.problem, "Choose the transfer file and type its passphrase.")
            return
        ctx = self.ctx  # its sessions are asked on the worker thread
        self.busy(True)
        show_problems(self.problem, None)
        run_in_background(
            lambda: transfer.receive(ctx.sessions, source, secret), self._done, self.failed
        )

    def _done(self, received: object) -> None:
        assert isinstance(received, transfer.Received)
        self.received = received
        self.secret.clear()
        self.accept()

    def summary(self) -> str:
        assert self.received is not None
        source = f" from {self.received.from_school}" if self.received.from_school else ""
        return (
            f"The pupil was received{source} with their whole history "
            f"({self.received.rows} records). Tell the previous school it arrived, so they can "
            "remove their copy, then delete the transfer file."
        )
