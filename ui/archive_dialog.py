"""Archive a pupil who has left: the date and where they went; the records are kept."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from sendesk.errors import BadInput, SendeskError
from sendesk.services import pupils
from ui.context import FileContext
from ui.typed_guard import AsksBeforeDiscarding
from ui.widgets import DateField, add_row, problem_label, show_problems, text_field


class ArchiveDialog(AsksBeforeDiscarding):
    def __init__(
        self, ctx: FileContext, pupil_id: int, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pupil_id = pupil_id
        self.setWindowTitle(f"Archive {name}")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"{name} will leave the register. Their records are kept, as the retention rules "
            "require, and can be seen with the Archived filter."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.problems = problem_label()
        layout.addWidget(self.problems)
        form = QFormLayout()
        self.left_on = DateField("Leaving date")
        self.left_on.set_value(dt.date.today())
        self.destination = text_field("Destination", 200)
        self.destination.setPlaceholderText("e.g. their new school")
        add_row(form, "&Left on:", self.left_on)
        add_row(form, "&Destination:", self.destination)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Archive")
        buttons.accepted.connect(self.archive)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def archive(self) -> None:
        try:
            left_on = self.left_on.value()
            if left_on is None:
                raise BadInput("Give the date the pupil left.")
            pupils.archive(self.ctx.sessions, self.pupil_id, left_on, self.destination.text())
        except SendeskError as exc:
            show_problems(self.problems, exc.message)
            return
        self.accept()
