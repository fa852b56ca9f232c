"""The wizard page that sets the passphrase of a copy leaving the school (handover, transfer)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QWizardPage

from sendesk import passphrase
from sendesk.errors import SendeskError
from sendesk.services import handover
from ui.context import FileContext
from ui.widgets import (
    StrengthMeter,
    problem_label,
    secret_field,
    show_problems,
    show_secrets_box,
)


class CopyPassphrasePage(QWizardPage):
    """Twice, strong, and not the file's own passphrase (`handover.check_passphrase`)."""

    def __init__(self, ctx: FileContext, what: str, subtitle: str) -> None:
        super().__init__()
        self.ctx = ctx
        self.what = what
        self.setTitle(f"A {what} passphrase")
        self.setSubTitle(subtitle)
        layout = QFormLayout(self)
        self.first = secret_field(f"{what.capitalize()} passphrase")
        self.second = secret_field(f"{what.capitalize()} passphrase again")
        layout.addRow("&Passphrase:", self.first)
        layout.addRow("&Again:", self.second)
        layout.addRow("", show_secrets_box(self.first, self.second))
        self.meter = StrengthMeter()
        layout.addRow("Strength:", self.meter)
        self.first.textChanged.connect(self._rate)
        self.problem = problem_label()
        layout.addRow(self.problem)

    def _rate(self, text: str) -> None:
        self.meter.show_strength(passphrase.assess(text) if text else None)

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        if self.first.text() != self.second.text():
            show_problems(self.problem, "The two passphrases differ.")
            return False
        try:
            handover.check_passphrase(self.ctx.vault, self.first.text(), self.what)
        except SendeskError as exc:
            show_problems(self.problem, exc.message)
            return False
        show_problems(self.problem, None)
        return True
