"""Meetings: the pupil's review and other meetings, newest first."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from sendesk import codes, dates
from sendesk.services import meetings, timeline
from sendesk.services.meetings import ReviewToSchedule
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
        row = QHBoxLayout()
        # A plan agreed with a review date and no meeting for it yet: booked on that date, for
        # that cycle, in one click, instead of the date typed again into a blank meeting.
        self.review: ReviewToSchedule | None = None
        self.review_button = QPushButton()
        self.review_button.setAccessibleName("Schedule the plan's review meeting")
        self.review_button.clicked.connect(lambda: self.schedule(self.review))
        row.addWidget(self.review_button)
        self.schedule_button = QPushButton("&Schedule a meeting…")
        self.schedule_button.clicked.connect(lambda: self.schedule())
        row.addWidget(self.schedule_button)
        hint = QLabel("Move and hold meetings in the calendar: View → Calendar (Ctrl+K).")
        hint.setWordWrap(True)
        row.addWidget(hint, 1)
        layout.addLayout(row)
        self.dialog: QDialog | None = None
        self.empty = QLabel("No meetings recorded for this pupil yet.")
        layout.addWidget(self.empty)

    def schedule(self, review: ReviewToSchedule | None = None) -> QDialog | None:
        """Schedule a meeting for the pupil shown (the dialog starts on them); with `review`,
        their plan's review meeting, on its agreed date (which can still be changed)."""
        from ui.meeting_dialog import MeetingDialog

        if not self.pupil_id:
            return None
        dialog = MeetingDialog(
            self.ctx,
            self,
            pupil_id=self.pupil_id,
            day=review.review_date if review else None,
            cycle_id=review.cycle_id if review else None,
        )
        self.dialog = dialog

        def scheduled() -> None:
            if dialog.scheduled is None:
                return
            self.show_pupil(self.pupil_id)
            self.records_changed.emit()
            warnings = " ".join(dialog.scheduled.warnings)
            self.saved.emit("Meeting scheduled" + (f" ({warnings})" if warnings else ""))

        dialog.accepted.connect(scheduled)
        dialog.open()
        return dialog

    def load(self) -> None:
        self.schedule_button.setEnabled(bool(self.pupil_id))
        found = (
            meetings.reviews_to_schedule(self.ctx.sessions, self.pupil_id) if self.pupil_id else []
        )
        self.review = found[0] if found else None
        if self.review is not None:
            self.review_button.setText(
                f"Schedule the plan's &review ({dates.show(self.review.review_date)})…"
            )
        self.review_button.setVisible(self.review is not None)
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
