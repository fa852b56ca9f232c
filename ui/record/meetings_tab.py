"""Meetings: the pupil's review and other meetings, newest first."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout

from sendesk import codes
from sendesk.services import timeline
from ui.context import FileContext
from ui.record.base import RecordTab


class MeetingsTab(RecordTab):
    title = "&Meetings"

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["When", "Meeting", "Where", "Status"])
        self.table.setAccessibleName("Meetings")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        hint = QLabel("Schedule, move and hold meetings in the calendar: View → Calendar (Ctrl+K).")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.empty = QLabel("No meetings recorded for this pupil yet.")
        layout.addWidget(self.empty)

    def load(self) -> None:
        rows = timeline.meetings(self.ctx.sessions, self.pupil_id) if self.pupil_id else []
        self.table.setRowCount(len(rows))
        for r, m in enumerate(rows):
            values = (
                m.starts_at.strftime("%d/%m/%Y %H:%M"),
                codes.MEETING_KINDS[m.kind],
                m.place or "",
                codes.MEETING_STATUSES[m.status],
            )
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.empty.setVisible(not rows)
