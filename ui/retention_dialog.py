"""File → Retention review…: archived pupils past date of birth + 31 years. Only the ones the
user ticks are deleted, and only after a confirmation."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sendesk import dates
from sendesk.errors import SendeskError
from sendesk.services import retention
from sendesk.wording import plural
from ui import errors
from ui.context import FileContext
from ui.widgets import LiveLabel

HEADERS = ("Pupil", "UPN", "Born", "Kept until", "Archived on")


class RetentionDialog(QDialog):
    deleted = Signal(int)

    def __init__(
        self, ctx: FileContext, parent: QWidget | None = None, today: dt.date | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today
        self.due: list[retention.Due] = []
        self.setWindowTitle("Retention review")
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        self.intro = LiveLabel("Retention review summary")
        layout.addWidget(self.intro)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setAccessibleName("Archived pupils past the retention period")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemChanged.connect(lambda _item: self._ticked_changed())
        layout.addWidget(self.table)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.delete_button = QPushButton("&Delete the ticked pupils' records…")
        self.delete_button.clicked.connect(self.delete_ticked)
        self.buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reload()

    def reload(self) -> None:
        self.due = retention.due_for_review(self.ctx.sessions, self.today)
        undated = retention.undated_archived(self.ctx.sessions)
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.due))
        for row, due in enumerate(self.due):
            name = QTableWidgetItem(due.name)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            name.setCheckState(Qt.CheckState.Unchecked)
            self.table.setItem(row, 0, name)
            for column, text in enumerate(
                (
                    due.upn or "",
                    dates.show(due.date_of_birth),
                    dates.show(due.keep_until),
                    dates.show(due.archived_on),
                ),
                1,
            ):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        self.table.resizeColumnsToContents()
        if self.due:
            text = (
                f"{plural(len(self.due), 'archived pupil is', 'archived pupils are')} past the "
                "retention period (date of "
                "birth + 31 years). Tick the ones whose records should now be deleted; nothing "
                "is deleted until you confirm."
            )
        else:
            text = "No archived pupil is past the retention period (date of birth + 31 years)."
        if undated:
            text += (
                f"\n\n{plural(undated, 'archived pupil has', 'archived pupils have')} no date of "
                "birth, so their retention "
                "cannot be worked out: add it in their profile."
            )
        self.intro.setText(text)
        self._ticked_changed()

    def ticked(self) -> list[retention.Due]:
        return [
            due
            for row, due in enumerate(self.due)
            if (item := self.table.item(row, 0)) is not None
            and item.checkState() == Qt.CheckState.Checked
        ]

    def set_ticked(self, row: int, ticked: bool) -> None:
        item = self.table.item(row, 0)
        assert item is not None
        item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def _ticked_changed(self) -> None:
        self.delete_button.setEnabled(bool(self.ticked()))

    def delete_ticked(self) -> None:
        chosen = self.ticked()
        if not chosen:
            return
        answer = QMessageBox.question(
            self,
            "Delete records?",
            f"Delete every record of the {plural(len(chosen), 'ticked pupil')}? This cannot be "
            "undone. "
            "The audit log keeps only that the deletion happened.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            count = retention.delete_reviewed(
                self.ctx.sessions, [d.pupil_id for d in chosen], confirmed=True, today=self.today
            )
        except SendeskError as exc:
            errors.explain(self, exc, "Retention review")
            self.reload()
            return
        self.reload()
        self.deleted.emit(count)
