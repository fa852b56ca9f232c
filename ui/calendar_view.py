"""The calendar of review meetings: a month view, the week's agenda, and what is due.

Schedule (from a pupil, from a plan's review date, or by double-clicking a day), move, cancel and
mark meetings held. Every action is on the meeting highlighted now. Marking held a meeting that
`sendesk.calendar.opens_review_wizard` names emits `review_held(pupil_id, meeting_id)` so the app
can open that pupil's Review wizard. The grid is `ui.calendar_grid`; what leaves the app (print,
iCalendar, plans, invitations) is `ui.calendar_exports`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sendesk import calendar, codes, dates
from sendesk.errors import SendeskError
from sendesk.services import meetings
from sendesk.services.meetings import MeetingView, ReviewToSchedule
from sendesk.wording import in_sentence
from ui import calendar_exports, errors
from ui.calendar_exports import save_week_schedule
from ui.calendar_grid import CYCLE, MEETING, MonthGrid, Target, fill, highlight, highlighted, when
from ui.calendar_grid import table as _table
from ui.context import FileContext
from ui.meeting_dialog import HeldDialog, MeetingDialog

__all__ = ["CalendarView", "save_week_schedule"]


class CalendarView(QDialog):
    """The review calendar window (non-modal)."""

    review_held = Signal(int, int)  # pupil id, meeting id: a SEN support review was held
    meetings_changed = Signal()
    saved = Signal(str)

    def __init__(
        self,
        ctx: FileContext,
        parent: QWidget | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today
        self.pupil_id = 0  # the pupil selected in the register, for "Schedule…"
        # Asked each time a meeting is scheduled, so the picker starts on the pupil shown now.
        self.current_pupil: Callable[[], int] = lambda: self.pupil_id
        self.month = today().replace(day=1)
        self.selected_day = today()
        self.lists_with_rows: list[QTableWidget] = []  # where a row is a meeting or a plan
        self.dialog: QDialog | None = None
        self.setWindowTitle("Review calendar")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(1180, 760)

        top = QHBoxLayout()
        self.previous_button = QPushButton("◀ &Previous")
        self.previous_button.setAccessibleName("Previous month")
        self.next_button = QPushButton("&Next ▶")
        self.next_button.setAccessibleName("Next month")
        self.today_button = QPushButton("T&oday")
        self.month_label = QLabel()
        self.month_label.setAccessibleName("Month shown")
        font = QFont(self.month_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.month_label.setFont(font)
        self.summary = QLabel()
        self.summary.setAccessibleName("Due")
        for widget in (self.previous_button, self.today_button, self.next_button):
            top.addWidget(widget)
        top.addSpacing(12)
        top.addWidget(self.month_label)
        top.addStretch(1)
        top.addWidget(self.summary)
        self.previous_button.clicked.connect(lambda: self.show_month(self._shift(-1)))
        self.next_button.clicked.connect(lambda: self.show_month(self._shift(1)))
        self.today_button.clicked.connect(self.go_to_today)

        self.grid = MonthGrid()
        self.grid.day_chosen.connect(self._day_chosen)
        self.grid.day_activated.connect(lambda day: self.schedule(day=day))
        self.week_label = QLabel()
        self.agenda = _table(
            "Week agenda",
            ("Day", "Time", "Pupil", "Meeting", "Where", "Status"),
            "No meetings this week.",
        )
        week_box = QWidget()
        week_layout = QVBoxLayout(week_box)
        week_layout.setContentsMargins(0, 0, 0, 0)
        week_layout.addWidget(self.week_label)
        week_layout.addWidget(self.agenda)
        splitter = QSplitter()
        splitter.addWidget(self.grid)
        splitter.addWidget(week_box)
        splitter.setSizes([580, 580])  # half each: on a narrow screen the agenda keeps its columns

        self.upcoming = _table(
            "Upcoming meetings",
            ("When", "Pupil", "Meeting", "Where"),
            "No meetings in the next four weeks.",
        )
        self.overdue = _table("Overdue reviews", ("Due", "Pupil", "What"), "Nothing is overdue.")
        self.to_schedule = _table(
            "Review dates to schedule",
            ("Review date", "Pupil", ""),
            "Every open cycle's review date has its meeting planned.",
        )
        self.behind = _table(
            "Pupils behind on reviews",
            ("Pupil", "Status", "Reviews this year"),
            "No pupil on the SEN register is behind on three reviews with parents this year.",
        )
        self.lists = QTabWidget()
        self.lists.addTab(self.upcoming, "&Upcoming (next 4 weeks)")
        self.lists.addTab(self.overdue, "O&verdue")
        self.lists.addTab(self.to_schedule, "Review &dates to schedule")
        self.lists.addTab(self.behind, "&Fewer than 3 reviews this year")
        self.lists_with_rows = [self.agenda, self.upcoming, self.overdue, self.to_schedule]
        for table in self.lists_with_rows:
            table.itemSelectionChanged.connect(lambda t=table: self._row_chosen(t))
        self.behind.itemSelectionChanged.connect(lambda: self._row_chosen(self.behind))
        # The agenda's day, time and status always show in full; the pupil, meeting and place
        # share what is left (shortened with "…", whole in the tooltip), so nothing is pushed
        # off the right of a narrow window.
        header = self.agenda.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

        buttons = QHBoxLayout()
        self.schedule_button = QPushButton("&Schedule…")
        self.move_button = QPushButton("&Move…")
        self.cancel_button = QPushButton("&Cancel meeting…")
        self.held_button = QPushButton("Mark &held…")
        self.invite_button = QPushButton("&Invitation")
        self.invite_menu = QMenu(self)
        self.invite_letter = self.invite_menu.addAction("Parents' invitation &letter…")
        self.invite_email = self.invite_menu.addAction("Copy the invitation as &email text")
        self.invite_button.setMenu(self.invite_menu)
        self.invite_letter.triggered.connect(self.invitation_letter)
        self.invite_email.triggered.connect(self.invitation_email)
        self.print_button = QPushButton("P&rint week…")
        self.plans_button = QPushButton("Print p&lans")
        self.plans_menu = QMenu(self)
        self.plans_shown = self.plans_menu.addAction("For the &week shown")
        self.plans_next = self.plans_menu.addAction("For &next week")
        self.plans_chosen = self.plans_menu.addAction("For a &chosen week…")
        self.plans_button.setMenu(self.plans_menu)
        self.plans_shown.triggered.connect(lambda: self.print_plans(self.selected_day))
        self.plans_next.triggered.connect(
            lambda: self.print_plans(self.today() + dt.timedelta(weeks=1))
        )
        self.plans_chosen.triggered.connect(self.choose_plans_week)
        self.export_button = QPushButton("&Export to Outlook or Google (.ics)…")
        self.close_button = QPushButton("Close")
        # Two rows, kept in view below the scrolling month and lists (at 150% on a laptop screen
        # one row of nine buttons is wider than the window).
        for button in (
            self.schedule_button,
            self.move_button,
            self.cancel_button,
            self.held_button,
            self.invite_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        outputs = QHBoxLayout()
        outputs.addStretch(1)
        for button in (
            self.print_button, self.plans_button, self.export_button, self.close_button
        ):  # fmt: skip
            outputs.addWidget(button)
        self.button_bar = QWidget()
        self.button_bar.setProperty("keep_in_view", True)
        bar = QVBoxLayout(self.button_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addLayout(buttons)
        bar.addLayout(outputs)
        self.schedule_button.clicked.connect(self.schedule_chosen)
        self.move_button.clicked.connect(self.move_selected)
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.held_button.clicked.connect(self.hold_selected)
        self.print_button.clicked.connect(self.print_week)
        self.export_button.clicked.connect(self.export_ics)
        self.close_button.clicked.connect(self.close)

        vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.addWidget(splitter)
        vertical.addWidget(self.lists)
        vertical.setSizes([560, 140])  # the month first; the lists scroll
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(vertical, 1)
        layout.addWidget(self.button_bar)
        self._enable()

    # --- showing ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.ctx.is_open:  # also after an unlock, when the app shows its dialogs again
            self.reload()

    def _shift(self, months: int) -> dt.date:
        index = self.month.year * 12 + self.month.month - 1 + months
        return dt.date(index // 12, index % 12 + 1, 1)

    def go_to_today(self) -> None:
        self.selected_day = self.today()
        self.show_month(self.selected_day)

    def show_month(self, month: dt.date) -> None:
        self.month = month.replace(day=1)
        if (self.selected_day.year, self.selected_day.month) != (month.year, month.month):
            self.selected_day = self.month
        self.reload()

    def reload(self) -> None:
        wanted = self._highlighted()
        today = self.today()
        sessions = self.ctx.sessions
        self.month_label.setText(f"{self.month:%B %Y}")
        first = dates.monday_of(self.month)
        by_day: dict[dt.date, list[MeetingView]] = {}
        for m in meetings.between(sessions, first, first + dt.timedelta(days=41)):
            by_day.setdefault(m.starts_at.date(), []).append(m)
        self.grid.blockSignals(True)
        self.grid.show_month(self.month, by_day, today)
        cell = self.grid.cell_of(self.selected_day)
        if cell is not None:
            self.grid.setCurrentCell(*cell)
        self.grid.blockSignals(False)
        self._show_week()
        fill(
            self.upcoming,
            [
                ((MEETING, m.id), (when(m), m.pupil_name, m.kind_label, m.place or ""))
                for m in meetings.upcoming(sessions, today)
            ],
        )
        late: list[tuple[dt.date, tuple[str, int], Sequence[str]]] = [
            (m.starts_at.date(), (MEETING, m.id), (m.pupil_name, f"{m.kind_label} not held"))
            for m in meetings.overdue(sessions, today)
        ]
        reviews = meetings.reviews_to_schedule(sessions)
        late += [
            (r.review_date, (CYCLE, r.cycle_id), (r.pupil_name, "Plan review date: no meeting"))
            for r in reviews
            if r.overdue(today)
        ]
        late.sort(key=lambda row: row[0])
        fill(self.overdue, [(t, (f"{d:%a %d/%m/%Y}", *rest)) for d, t, rest in late])
        fill(self.to_schedule, [self._review_row(r, today) for r in reviews])
        behind = [t for t in meetings.review_tallies(sessions, today) if t.tally.behind]
        fill(
            self.behind,
            [
                (
                    (MEETING, 0),
                    (t.pupil_name, codes.SEN_STATUS_LABELS[t.sen_status], t.tally.sentence()),
                )
                for t in behind
            ],
        )
        self.summary.setText(meetings.due_summary(sessions, today).sentence())
        self.lists.setTabText(1, f"O&verdue ({len(late)})")
        self.lists.setTabText(3, f"&Fewer than 3 reviews this year ({len(behind)})")
        if wanted is not None:
            self._highlight(*wanted)
        self._enable()

    def _review_row(
        self, r: ReviewToSchedule, today: dt.date
    ) -> tuple[tuple[str, int], Sequence[str]]:
        flag = "overdue" if r.overdue(today) else ""
        return (CYCLE, r.cycle_id), (f"{r.review_date:%a %d/%m/%Y}", r.pupil_name, flag)

    def _show_week(self) -> None:
        monday, sunday = calendar.week_of(self.selected_day)
        self.week_label.setText(f"Week of {monday:%d/%m/%Y} to {sunday:%d/%m/%Y}")
        today = self.today()
        rows = [
            (
                (MEETING, m.id),
                (
                    f"{m.starts_at:%a %d/%m}",
                    f"{m.starts_at:%H:%M}–{m.ends_at:%H:%M}",
                    m.pupil_name,
                    m.kind_label,
                    m.place or "",
                    "Overdue" if m.overdue(today) else m.status_label,
                ),
            )
            for m in meetings.between(self.ctx.sessions, monday, sunday)
        ]
        fill(self.agenda, rows)
        self._agenda_fits()

    def _agenda_fits(self) -> None:
        """The agenda is never narrower than its day, time and status plus a little of the rest:
        on a small screen the calendar's page scrolls rather than cutting the status off."""
        header = self.agenda.horizontalHeader()
        fixed = sum(
            max(self.agenda.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in (0, 1, 5)
        )
        bar = self.agenda.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        shared = sum(min(header.sectionSizeHint(c), 140) for c in (2, 3, 4))
        room = fixed + shared + bar + 2 * self.agenda.frameWidth() + 4
        if room == self.agenda.minimumWidth():
            return
        self.agenda.setMinimumWidth(room)
        # Lay out now, not at the next event: a window resized straight after keeps its status.
        parent = self.agenda.parentWidget()
        while parent is not None:
            if parent.layout() is not None:
                parent.layout().activate()  # type: ignore[union-attr]
            if isinstance(parent, QScrollArea):
                parent.setWidgetResizable(True)  # fits its content to the new minimum
            if parent.isWindow():
                break
            parent = parent.parentWidget()

    def _day_chosen(self, day: dt.date) -> None:
        wanted = self._highlighted()
        self.selected_day = day
        self._show_week()
        if wanted is not None and wanted[0] is self.agenda:
            self._highlight(*wanted)  # the same meeting, if the new week shows it
        self._enable()

    # --- what is highlighted ----------------------------------------------------------------

    def _highlighted(self) -> tuple[QTableWidget, Target] | None:
        for table in self.lists_with_rows:
            found = highlighted(table)
            if found is not None:
                return table, found
        return None

    def _highlight(self, table: QTableWidget, wanted: Target) -> None:
        table.blockSignals(True)
        if not highlight(table, wanted):
            table.clearSelection()
        table.blockSignals(False)

    @property
    def selected(self) -> Target | None:
        """What the highlighted row points at, now; never an earlier selection."""
        found = self._highlighted()
        return found[1] if found else None

    def _row_chosen(self, table: QTableWidget) -> None:
        """One list at a time has a highlighted row: choosing in one clears the others."""
        model = table.selectionModel()
        if model is not None and model.hasSelection():
            for other in [*self.lists_with_rows, self.behind]:
                if other is not table:
                    other.blockSignals(True)
                    other.clearSelection()
                    other.blockSignals(False)
        self._enable()

    def selected_meeting(self) -> MeetingView | None:
        chosen = self.selected
        if chosen is None or chosen[0] != MEETING:
            return None
        try:
            return meetings.get(self.ctx.sessions, chosen[1])
        except SendeskError:
            return None

    def select_meeting(self, meeting_id: int) -> None:
        """Highlight a meeting in the week agenda, showing its week."""
        found = meetings.get(self.ctx.sessions, meeting_id)
        for table in [*self.lists_with_rows, self.behind]:
            table.clearSelection()
        self.selected_day = found.starts_at.date()
        self.show_month(self.selected_day)
        self._highlight(self.agenda, (MEETING, meeting_id))
        self._row_chosen(self.agenda)

    def _enable(self) -> None:
        meeting = self.selected_meeting() if self.ctx.is_open else None
        planned = meeting is not None and meeting.status == "planned"
        self.move_button.setEnabled(planned)
        self.cancel_button.setEnabled(planned)
        self.held_button.setEnabled(planned)
        self.invite_button.setEnabled(planned and meeting is not None and meeting.is_review)

    # --- changes ----------------------------------------------------------------------------

    def _open(self, dialog: QDialog, done: Callable[[], None]) -> QDialog:
        if self.dialog is not None and self.dialog.isVisible():
            # One dialog at a time: a second click or key press keeps the open one.
            dialog.deleteLater()
            return self.dialog
        self.dialog = dialog
        dialog.accepted.connect(done)
        dialog.open()
        return dialog

    def _changed(self, message: str, warnings: Sequence[str] = ()) -> None:
        self.reload()
        self.meetings_changed.emit()
        note = f" ({' '.join(warnings)})" if warnings else ""
        self.saved.emit(message + note)

    def schedule_chosen(self) -> QDialog:
        """Schedule from the selected plan review date, else on the selected day."""
        chosen = self.selected
        if chosen and chosen[0] == CYCLE:
            return self.schedule_review(chosen[1])
        return self.schedule(day=self.selected_day)

    def schedule(self, day: dt.date | None = None, pupil_id: int | None = None) -> QDialog:
        dialog = MeetingDialog(
            self.ctx,
            self,
            pupil_id=self.current_pupil() if pupil_id is None else pupil_id,
            day=day,
            today=self.today,
        )
        return self._open(dialog, lambda: self._scheduled(dialog))

    def schedule_review(self, cycle_id: int) -> QDialog:
        """Schedule the review on the plan's agreed date (the day can still be changed)."""
        found = next(
            (r for r in meetings.reviews_to_schedule(self.ctx.sessions) if r.cycle_id == cycle_id),
            None,
        )
        dialog = MeetingDialog(
            self.ctx,
            self,
            pupil_id=found.pupil_id if found else self.current_pupil(),
            day=found.review_date if found else None,
            cycle_id=cycle_id,
            today=self.today,
        )
        return self._open(dialog, lambda: self._scheduled(dialog))

    def _scheduled(self, dialog: MeetingDialog) -> None:
        if dialog.scheduled is None:
            return
        self.select_meeting(dialog.scheduled.meeting_id)
        self._changed("Meeting scheduled", dialog.scheduled.warnings)

    def move_selected(self) -> QDialog | None:
        meeting = self.selected_meeting()
        if meeting is None or meeting.status != "planned":
            return None
        dialog = MeetingDialog(self.ctx, self, moving=meeting, today=self.today)

        def moved() -> None:
            if dialog.scheduled is not None:
                self.select_meeting(dialog.scheduled.meeting_id)
                self._changed("Meeting moved", dialog.scheduled.warnings)

        return self._open(dialog, moved)

    def cancel_selected(self) -> bool:
        meeting = self.selected_meeting()
        if meeting is None or meeting.status != "planned":
            return False
        answer = QMessageBox.question(
            self,
            "Cancel meeting",
            f"Cancel the {in_sentence(meeting.kind_label)} for {meeting.pupil_name} on "
            f"{when(meeting)}? It stays in the record as cancelled.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            meetings.cancel(self.ctx.sessions, meeting.id)
        except SendeskError as exc:
            errors.explain(self, exc)
            return False
        self._changed("Meeting cancelled")
        return True

    def hold_selected(self) -> QDialog | None:
        meeting = self.selected_meeting()
        if meeting is None or meeting.status != "planned":
            return None
        dialog = HeldDialog(self.ctx, meeting, self, today=self.today)

        def held() -> None:
            if dialog.held is None:
                return
            self._changed("Meeting marked held")
            if calendar.opens_review_wizard(dialog.held.kind):
                self.review_held.emit(dialog.held.pupil_id, dialog.held.id)

        return self._open(dialog, held)

    # --- print and export -------------------------------------------------------------------

    def print_week(self) -> Path | None:
        return save_week_schedule(self, self.ctx, self.selected_day, self.saved.emit)

    def print_plans(self, day: dt.date) -> object:
        """The support plans for the review meetings of the week `day` falls in."""
        self.plans_batch = calendar_exports.print_plans_for_week(
            self, self.ctx, day, self.saved.emit
        )
        return self.plans_batch

    def choose_plans_week(self) -> QDialog:
        from ui.week_dialog import WeekDialog

        chooser = WeekDialog(self.today(), self, start=self.selected_day)
        chooser.chosen.connect(self.print_plans)  # told after it is accepted, with the day
        return self._open(chooser, lambda: None)

    def invitation_letter(self) -> object:
        meeting = self.selected_meeting()
        if meeting is None:
            return None
        self.preview = calendar_exports.preview_invitation(
            self, self.ctx, meeting.id, self.saved.emit
        )
        return self.preview

    def invitation_email(self) -> str:
        meeting = self.selected_meeting()
        if meeting is None:
            return ""
        return calendar_exports.copy_invitation_email(self, self.ctx, meeting.id, self.saved.emit)

    def export_ics(self) -> Path | None:
        """Export the school year shown as iCalendar, with the detail the settings allow."""
        return calendar_exports.export_school_year(self, self.ctx, self.month, self.saved.emit)
