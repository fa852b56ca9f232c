"""File → Change passphrase…: a verified automatic backup first, then the file re-encrypted
under the new passphrase (`Vault.change_passphrase`), in the background."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from sendesk import passphrase
from sendesk.errors import CannotUnlock, SendeskError
from ui import errors
from ui.background import run_in_background
from ui.context import FileContext
from ui.widgets import (
    LiveLabel,
    StrengthMeter,
    add_row,
    problem_label,
    secret_field,
    show_problems,
    show_secrets_box,
)


class ChangePassphraseDialog(QDialog):
    """On success `backup` is the verified copy made under the old passphrase."""

    def __init__(self, ctx: FileContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.backup: Path | None = None
        self.setWindowTitle("Change the passphrase")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "SENDesk first makes a verified backup of the file under the passphrase it has now "
            "(in the backups folder beside it), then changes the passphrase. Write the new one "
            "down and keep it safe: without it nobody can open the records."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.current = secret_field("Current passphrase")
        self.first = secret_field("New passphrase")
        self.second = secret_field("New passphrase again")
        add_row(form, "&Current passphrase:", self.current)
        add_row(form, "&New passphrase:", self.first)
        add_row(form, "&Again:", self.second)
        self.show_box = show_secrets_box(self.current, self.first, self.second)
        form.addRow("", self.show_box)
        self.meter = StrengthMeter()
        form.addRow("Strength:", self.meter)
        self.advice = LiveLabel("Passphrase advice", passphrase.RULE)
        form.addRow(self.advice)
        layout.addLayout(form)
        self.problem = problem_label()
        layout.addWidget(self.problem)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setFormat("Backing up, then changing the passphrase…")
        self.progress.setAccessibleName("Changing the passphrase")
        self.progress.hide()
        layout.addWidget(self.progress)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("C&hange passphrase")
        self.buttons.accepted.connect(self.change)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.first.textChanged.connect(self._rate)

    def _context(self) -> tuple[str, ...]:
        return (self.ctx.vault.meta().school_name,)

    def _rate(self, text: str) -> None:
        strength = passphrase.assess(text, self._context()) if text else None
        self.meter.show_strength(strength)
        self.advice.setText(strength.advice if strength else passphrase.RULE)

    def change(self) -> None:
        current, new = self.current.text(), self.first.text()
        if not current:
            show_problems(self.problem, "Type the current passphrase first.")
            return
        if new != self.second.text():
            show_problems(self.problem, "The two new passphrases differ.")
            return
        if new == current:
            show_problems(self.problem, "The new passphrase is the same as the current one.")
            return
        strength = passphrase.assess(new, self._context())
        if not strength.acceptable:
            show_problems(self.problem, strength.advice)
            return
        show_problems(self.problem, None)
        self._busy(True)
        vault = self.ctx.vault
        run_in_background(lambda: vault.change_passphrase(current, new), self._done, self._failed)

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.ok.setEnabled(not busy)
        for field in (self.current, self.first, self.second):
            field.setEnabled(not busy)

    def _done(self, saved: object) -> None:
        assert isinstance(saved, Path)
        self.backup = saved
        for field in (self.current, self.first, self.second):
            field.clear()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, CannotUnlock):
            show_problems(self.problem, "The current passphrase is wrong; nothing was changed.")
            self.current.selectAll()
            self.current.setFocus()
        elif isinstance(exc, SendeskError):
            show_problems(self.problem, exc.message)
        else:
            errors.explain(self, exc, "The passphrase was not changed")
