"""File → Export an encrypted copy… on a server: a verified record file of the whole database.

It is the server's backup and handover in one: the copy opens in SENDesk on any laptop, with a
passphrase of its own, chosen here (typed twice, checked by the same rules as a new file's).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout, QWidget

from sendesk import FILE_SUFFIX, passphrase
from sendesk.errors import SendeskError
from sendesk.paths import default_folder
from ui import background, errors
from ui.backup_dialogs import PathField
from ui.context import FileContext
from ui.widgets import problem_label, secret_field, show_problems


class ExportDialog(QDialog):
    def __init__(self, ctx: FileContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export an encrypted copy")
        self.ctx = ctx
        self.saved: Path | None = None
        self.school = ctx.vault.meta().school_name
        start = default_folder() / f"sendesk-{dt.date.today().isoformat()}{FILE_SUFFIX}"
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.dest = PathField("Encrypted copy", self, save=True, start=start)
        form.addRow("&Save the copy as:", self.dest)
        self.first = secret_field("New passphrase")
        self.second = secret_field("New passphrase again")
        form.addRow("New &passphrase:", self.first)
        form.addRow("&Again:", self.second)
        self.problem = problem_label()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("E&xport")
        self.buttons.accepted.connect(self.go)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def go(self) -> None:
        dest = self.dest.path()
        if dest is None:
            show_problems(self.problem, "Choose where to save the encrypted copy.")
            return
        if dest.suffix != FILE_SUFFIX:
            dest = dest.with_name(dest.name + FILE_SUFFIX)
        secret = self.first.text()
        if secret != self.second.text():
            show_problems(self.problem, "The two passphrases differ.")
            return
        try:
            passphrase.check_new(secret, (self.school,))
        except SendeskError as exc:
            show_problems(self.problem, exc.message)
            return
        server = self.ctx.records  # on the GUI thread: the window's own connection
        self.ok.setEnabled(False)
        show_problems(self.problem, None)
        background.run(
            self,
            "the encrypted copy",
            lambda: server.export_file(dest, secret),  # type: ignore[union-attr]
            lambda _rows: self._done(dest),
            self._failed,
            progress="Copying the server's records into an encrypted file and checking it…",
        )

    def _done(self, dest: Path) -> None:
        self.saved = dest
        self.first.clear()
        self.second.clear()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        if isinstance(exc, SendeskError):
            show_problems(self.problem, exc.message)
        else:
            errors.explain(self, exc)
