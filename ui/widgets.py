"""Small widgets the forms share: date fields, code pickers, and how a form shows its problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from sendesk import dates
from sendesk.errors import BadInput


class DateField(QLineEdit):
    """A date typed as DD/MM/YYYY (empty allowed); `value()` raises `BadInput` when not real."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("DD/MM/YYYY")
        self.setAccessibleName(name)
        self.setMaxLength(10)
        self.field_name = name

    def value(self) -> dt.date | None:
        try:
            return dates.parse_optional(self.text())
        except BadInput as exc:
            raise BadInput(f"{self.field_name}: {exc.message}") from exc

    def set_value(self, day: dt.date | None) -> None:
        self.setText(dates.show(day))


class CodeCombo(QComboBox):
    """A pick list of codes shown by their names; `code()` is None for the blank choice."""

    def __init__(
        self, name: str, choices: Iterable[tuple[object, str]], blank: str | None = None
    ) -> None:
        super().__init__()
        self.setAccessibleName(name)
        # Long census names would otherwise make every form as wide as the longest of them.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(10)
        if blank is not None:
            self.addItem(blank, None)
        for code, label in choices:
            self.addItem(label, code)

    def code(self) -> object:
        return self.currentData()

    def set_code(self, code: object) -> None:
        index = self.findData(code)
        self.setCurrentIndex(max(index, 0))


def text_field(name: str, max_length: int = 100) -> QLineEdit:
    field = QLineEdit()
    field.setAccessibleName(name)
    field.setMaxLength(max_length)
    return field


def text_area(name: str, placeholder: str = "") -> QPlainTextEdit:
    area = QPlainTextEdit()
    area.setAccessibleName(name)
    area.setPlaceholderText(placeholder)
    area.setTabChangesFocus(True)  # Tab moves on, as in every other field
    area.setMinimumHeight(60)
    return area


def problem_label() -> QLabel:
    """A line that says what is wrong with a form, read out by screen readers when it changes."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName("Problems")
    label.setStyleSheet(
        "font-weight: bold;"
    )  # no fixed colours: high-contrast themes stay readable
    label.hide()
    return label


def show_problems(label: QLabel, problems: Mapping[str, str] | str | None) -> None:
    if not problems:
        label.clear()
        label.hide()
        return
    text = problems if isinstance(problems, str) else "\n".join(problems.values())
    text = "Please check: " + text
    label.setText(text)
    label.show()
    window = label.window()
    if isinstance(window, QDialog) and window.isVisible():
        # A dialog grows to show every line of the message rather than cutting it off.
        layout = window.layout()
        if layout is not None:
            layout.activate()
        wanted = window.sizeHint().expandedTo(window.size())
        if wanted != window.size():
            window.resize(wanted)


def add_row(form: QFormLayout, label: str, field: QWidget) -> None:
    """A form row whose label is the field's buddy, so Alt+letter and screen readers work."""
    caption = QLabel(label)
    caption.setBuddy(field)
    if not field.accessibleName():
        field.setAccessibleName(label.replace("&", "").rstrip(":"))
    form.addRow(caption, field)
