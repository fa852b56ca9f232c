"""Someone else saved this record first: theirs and yours side by side, and the user chooses.

Nothing is saved until the user chooses; cancelling keeps their typing in the form.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sendesk.errors import StaleEdit

EXPLANATION = (
    "Someone else saved {what} after you opened it: another SENDesk window, or another person "
    "with the file open. Nothing of yours is lost and nothing has been saved yet. For each field "
    "below, choose whether to keep your value or take theirs, then save."
)


class ConflictDialog(QDialog):
    """One row per field that differs: the field, their value, yours, and which to keep."""

    def __init__(
        self,
        conflict: StaleEdit,
        label_of: Callable[[str], str],
        shown: Callable[[str, object], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.setWindowTitle("Someone else saved this first")
        layout = QVBoxLayout(self)
        intro = QLabel(EXPLANATION.format(what=conflict.what))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        for column, heading in enumerate(("Field", "Saved by someone else", "Yours", "Keep")):
            title = QLabel(f"<b>{heading}</b>")
            grid.addWidget(title, 0, column)
        self.mine: dict[str, QRadioButton] = {}
        self.theirs: dict[str, QRadioButton] = {}
        for row, (name, (theirs, yours)) in enumerate(conflict.differences.items(), start=1):
            label = label_of(name)
            grid.addWidget(QLabel(label), row, 0)
            for column, value in ((1, theirs), (2, yours)):
                text = QLabel(shown(name, value) or "(empty)")
                text.setTextFormat(Qt.TextFormat.PlainText)
                text.setWordWrap(True)
                text.setAccessibleName(f"{label}: {'theirs' if column == 1 else 'yours'}")
                grid.addWidget(text, row, column)
            keep_mine = QRadioButton("Mine")
            keep_theirs = QRadioButton("Theirs")
            keep_mine.setAccessibleName(f"Keep my {label}")
            keep_theirs.setAccessibleName(f"Take their {label}")
            keep_mine.setChecked(True)
            group = QButtonGroup(self)
            group.addButton(keep_mine)
            group.addButton(keep_theirs)
            choice = QWidget()
            choice_layout = QVBoxLayout(choice)
            choice_layout.setContentsMargins(0, 0, 0, 0)
            choice_layout.addWidget(keep_mine)
            choice_layout.addWidget(keep_theirs)
            grid.addWidget(choice, row, 3)
            self.mine[name], self.theirs[name] = keep_mine, keep_theirs
        layout.addLayout(grid)
        buttons = QDialogButtonBox()
        self.all_mine = QPushButton("Keep all &mine")
        self.all_theirs = QPushButton("Take all &theirs")
        self.save_button = buttons.addButton("&Save these", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(
            "&Go back to editing", QDialogButtonBox.ButtonRole.RejectRole
        )
        buttons.addButton(self.all_mine, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.all_theirs, QDialogButtonBox.ButtonRole.ActionRole)
        self.all_mine.clicked.connect(lambda: self._choose_all(self.mine))
        self.all_theirs.clicked.connect(lambda: self._choose_all(self.theirs))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _choose_all(self, buttons: dict[str, QRadioButton]) -> None:
        for button in buttons.values():
            button.setChecked(True)

    def taken(self) -> dict[str, object]:
        """Their value for each field where the user chose theirs."""
        return {
            name: self.conflict.differences[name][0]
            for name, button in self.theirs.items()
            if button.isChecked()
        }
