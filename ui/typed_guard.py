"""A form dialog that asks before throwing away what was typed into it.

Escape, Cancel and the window's close button all reject a dialog; without this, a new pupil's
details or a meeting's notes typed in would be gone at one key press by habit. What the form
holds when it is first shown is noted, and rejecting asks only when something differs.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QWidget,
)

QUESTION = "Close without saving? What you typed here will be lost."


def form_values(form: QWidget) -> list[object]:
    """What every field in `form` holds now, in a fixed order, to compare with later."""
    values: list[object] = []
    for widget in form.findChildren(QWidget):
        if widget.window() is not form:
            continue  # a pop-up of its own (a date field's calendar) is no field of the form
        if isinstance(widget, QLineEdit):
            values.append(widget.text())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            values.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            values.append((widget.currentIndex(), widget.currentText()))
        elif isinstance(widget, QAbstractSpinBox):
            values.append(widget.text())
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            values.append(widget.isChecked())
        elif isinstance(widget, QTableWidget):
            # Items, not the model's data(): PySide's conversion of an empty cell's None to
            # Python miscounts None's references (a fatal error at exit after many).
            values.append(
                [
                    _item_value(widget.item(r, c))
                    for r in range(widget.rowCount())
                    for c in range(widget.columnCount())
                ]
            )
    return values


def _item_value(item: QTableWidgetItem | None) -> tuple[str, int] | None:
    return None if item is None else (item.text(), item.checkState().value)


class AsksBeforeDiscarding(QDialog):
    """A dialog whose reject asks first when any field was changed since it was shown."""

    _shown_with: list[object] | None = None

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._shown_with is None:  # shown again after a lock: what was typed still counts
            self._shown_with = form_values(self)

    def mark_clean(self) -> None:
        """What the form holds now is saved (a dialog that stays open after saving)."""
        self._shown_with = form_values(self)

    def typed_since_shown(self) -> bool:
        return self._shown_with is not None and form_values(self) != self._shown_with

    def reject(self) -> None:
        if self.typed_since_shown():
            answer = QMessageBox.question(
                self,
                "Unsaved changes",
                QUESTION,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return  # kept open, as it was
        super().reject()
