"""Choose a week to print the plans for its meetings: a day of it, typed or picked.

Asked from the Documents menu and from the calendar: one dialog, so both say the same."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from sendesk.calendar import week_called
from sendesk.errors import BadInput
from ui.widgets import DateField, add_row, problem_label, show_problems


class WeekDialog(QDialog):
    """Emits `chosen` with the day typed; any day of a week stands for the whole week."""

    chosen = Signal(object)

    def __init__(
        self, today: dt.date, parent: QWidget | None = None, start: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.today = today
        self.setWindowTitle("Print plans for a chosen week's meetings")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Type or pick any day of the week (Monday to Sunday): SENDesk prints the support "
            "plans of every pupil with a review meeting that week."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.problems = problem_label()
        layout.addWidget(self.problems)
        form = QFormLayout()
        self.day = DateField("A day in the week")
        # Next week unless the calendar shows another: the usual reason to ask.
        self.day.set_value(start or today + dt.timedelta(weeks=1))
        add_row(form, "A &day in the week:", self.day)
        self.week = QLabel()
        self.week.setWordWrap(True)
        form.addRow(self.week)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Print plans…")
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.day.textChanged.connect(self._say_week)
        self._say_week()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.day.setFocus()  # typing starts on the one field, over the suggested day
        self.day.selectAll()

    def _say_week(self) -> None:
        try:
            day = self.day.value()
        except BadInput:
            day = None
        self.week.setText(f"That is {week_called(day, self.today)}." if day else "")

    def accept(self) -> None:
        try:
            day = self.day.value()
        except BadInput as exc:
            show_problems(self.problems, exc.message)
            self.day.setFocus()
            return
        if day is None:
            show_problems(self.problems, "Type a day of the week, as DD/MM/YYYY.")
            self.day.setFocus()
            return
        super().accept()
        self.chosen.emit(day)
