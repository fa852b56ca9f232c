"""The calendar of review meetings: a month view, the week's agenda, and what is due.

Schedule (from a pupil, from a plan's review date, or by double-clicking a day), move, cancel and
mark meetings held. Marking a SEN support review held emits `review_held(pupil_id, meeting_id)`
so the app can open that pupil's Review wizard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sendesk import calendar, codes
from sendesk.errors import SendeskError
from sendesk.services import meetings
from sendesk.services.meetings import MeetingView, ReviewToSchedule
from sendesk.wording import in_sentence, plural
from ui import errors
from ui.context import FileContext
from ui.meeting_dialog import HeldDialog, MeetingDialog

ID_ROLE = Qt.ItemDataRole.UserRole
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# What a row of a list points at: a meeting, or an open cycle whose review date has no meeting.
MEETING, CYCLE = "meeting", "cycle"


def _table(name: str, headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: Sequence[tuple[tuple[str, int], Sequence[str]]]) -> None:
    """Rows of text; the first cell of each remembers what the row points at."""
    table.setRowCount(len(rows))
    for r, (target, values) in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if c == 0:
                item.setData(ID_ROLE, f"{target[0]}:{target[1]}")
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def _target(item: QTableWidgetItem | None) -> tuple[str, int] | None:
    """What a list row points at, from its first cell."""
    value = item.data(ID_ROLE) if item is not None else None
    if not isinstance(value, str) or ":" not in value:
        return None
    kind, number = value.split(":", 1)
    return (kind, int(number)) if int(number) else None


def _when(m: MeetingView) -> str:
    return f"{m.starts_at:%a %d/%m/%Y %H:%M}"


MAX_LINES = 3  # meetings written in a day's cell; the rest are counted


class MonthGrid(QTableWidget):
    """Six weeks of seven days; each cell lists that day's meetings."""

    day_chosen = Signal(object)  # a dt.date: selected
    day_activated = Signal(object)  # a dt.date: double-clicked or Enter

    def __init__(self) -> None:
        super().__init__(6, 7)
        self.setAccessibleName("Month")
        self.setHorizontalHeaderLabels(list(WEEKDAYS))
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setMinimumSize(560, 420)
        self.first_shown = dt.date.today()
        self.currentCellChanged.connect(self._current_changed)
        self.cellActivated.connect(lambda r, c: self.day_activated.emit(self.day_at(r, c)))
        self.cellDoubleClicked.connect(lambda r, c: self.day_activated.emit(self.day_at(r, c)))

    def day_at(self, row: int, column: int) -> dt.date:
        return self.first_shown + dt.timedelta(days=row * 7 + column)

    def cell_of(self, day: dt.date) -> tuple[int, int] | None:
        offset = (day - self.first_shown).days
        return divmod(offset, 7) if 0 <= offset < 42 else None

    def _current_changed(self, row: int, column: int, *_: int) -> None:
        if row >= 0 and column >= 0:
            self.day_chosen.emit(self.day_at(row, column))

    def show_month(
        self, month: dt.date, by_day: dict[dt.date, list[MeetingView]], today: dt.date
    ) -> None:
        first = month.replace(day=1)
        self.first_shown = first - dt.timedelta(days=first.weekday())
        dim = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        for index in range(42):
            day = self.first_shown + dt.timedelta(days=index)
            found = [m for m in by_day.get(day, []) if m.status != "moved"]
            lines = [str(day.day)] + [
                f"{m.starts_at:%H:%M} {m.pupil_name}"
                + (" (cancelled)" if m.status == "cancelled" else "")
                + (" ✓" if m.status == "held" else "")
                + (" ⚠ overdue" if m.overdue(today) else "")
                for m in found[:MAX_LINES]
            ]
            if len(found) > MAX_LINES:
                # A crowded day says how many more rather than being cut off mid-line.
                lines.append(f"+{len(found) - MAX_LINES} more")
            item = QTableWidgetItem("\n".join(lines))
            item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            item.setToolTip("\n".join(f"{_when(m)} {m.kind_label}: {m.pupil_name}" for m in found))
            count = len(found)
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole,
                f"{day:%A %d %B}: {count} meeting{'s' if count != 1 else ''}",
            )
            if day.month != month.month:
                item.setForeground(dim)
            if day == today:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.setItem(index // 7, index % 7, item)


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
        self.month = today().replace(day=1)
        self.selected_day = today()
        self.selected: tuple[str, int] | None = None
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
        self.agenda = _table("Week agenda", ("Day", "Time", "Pupil", "Meeting", "Where", "Status"))
        week_box = QWidget()
        week_layout = QVBoxLayout(week_box)
        week_layout.setContentsMargins(0, 0, 0, 0)
        week_layout.addWidget(self.week_label)
        week_layout.addWidget(self.agenda)
        splitter = QSplitter()
        splitter.addWidget(self.grid)
        splitter.addWidget(week_box)
        splitter.setSizes([640, 520])

        self.upcoming = _table("Upcoming meetings", ("When", "Pupil", "Meeting", "Where"))
        self.overdue = _table("Overdue reviews", ("Due", "Pupil", "What"))
        self.to_schedule = _table("Review dates to schedule", ("Review date", "Pupil", ""))
        self.behind = _table("Pupils behind on reviews", ("Pupil", "Status", "Reviews this year"))
        self.lists = QTabWidget()
        self.lists.addTab(self.upcoming, "&Upcoming (next 4 weeks)")
        self.lists.addTab(self.overdue, "O&verdue")
        self.lists.addTab(self.to_schedule, "Review &dates to schedule")
        self.lists.addTab(self.behind, "&Behind on three a year")
        for table in (self.agenda, self.upcoming, self.overdue, self.to_schedule):
            table.itemSelectionChanged.connect(lambda t=table: self._row_chosen(t))

        buttons = QHBoxLayout()
        self.schedule_button = QPushButton("&Schedule…")
        self.move_button = QPushButton("&Move…")
        self.cancel_button = QPushButton("&Cancel meeting…")
        self.held_button = QPushButton("Mark &held…")
        self.print_button = QPushButton("P&rint week…")
        self.export_button = QPushButton("&Export iCalendar…")
        self.close_button = QPushButton("Close")
        for button in (
            self.schedule_button,
            self.move_button,
            self.cancel_button,
            self.held_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.print_button, self.export_button, self.close_button):
            buttons.addWidget(button)
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
        vertical.setSizes([480, 220])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(vertical, 1)
        layout.addLayout(buttons)
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
        today = self.today()
        sessions = self.ctx.sessions
        self.month_label.setText(f"{self.month:%B %Y}")
        first = self.month - dt.timedelta(days=self.month.weekday())
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
        _fill(
            self.upcoming,
            [
                ((MEETING, m.id), (_when(m), m.pupil_name, m.kind_label, m.place or ""))
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
        _fill(self.overdue, [(t, (f"{d:%a %d/%m/%Y}", *rest)) for d, t, rest in late])
        _fill(self.to_schedule, [self._review_row(r, today) for r in reviews])
        behind = [t for t in meetings.review_tallies(sessions, today) if t.tally.behind]
        _fill(
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
        self.lists.setTabText(3, f"&Behind on three a year ({len(behind)})")
        self._forget_selection_if_gone()
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
        _fill(self.agenda, rows)

    def _day_chosen(self, day: dt.date) -> None:
        self.selected_day = day
        self._show_week()

    # --- what is selected -------------------------------------------------------------------

    def _row_chosen(self, table: QTableWidget) -> None:
        row = table.currentRow()
        item = table.item(row, 0) if row >= 0 and table.selectedItems() else None
        target = _target(item)
        if target:
            self.selected = target
            for other in (self.agenda, self.upcoming, self.overdue, self.to_schedule):
                if other is not table:
                    other.blockSignals(True)
                    other.clearSelection()
                    other.blockSignals(False)
        self._enable()

    def selected_meeting(self) -> MeetingView | None:
        if self.selected is None or self.selected[0] != MEETING or not self.selected[1]:
            return None
        try:
            return meetings.get(self.ctx.sessions, self.selected[1])
        except SendeskError:
            return None

    def select_meeting(self, meeting_id: int) -> None:
        """Select a meeting as if it was clicked in the week agenda (showing its week)."""
        found = meetings.get(self.ctx.sessions, meeting_id)
        self.selected_day = found.starts_at.date()
        self.show_month(self.selected_day)
        for row in range(self.agenda.rowCount()):
            item = self.agenda.item(row, 0)
            if _target(item) == (MEETING, meeting_id):
                self.agenda.selectRow(row)
                self.agenda.setCurrentCell(row, 0)
        self.selected = (MEETING, meeting_id)
        self._enable()

    def _forget_selection_if_gone(self) -> None:
        if self.selected and self.selected[0] == MEETING and self.selected_meeting() is None:
            self.selected = None

    def _enable(self) -> None:
        meeting = self.selected_meeting() if self.ctx.is_open else None
        planned = meeting is not None and meeting.status == "planned"
        self.move_button.setEnabled(planned)
        self.cancel_button.setEnabled(planned)
        self.held_button.setEnabled(planned)

    # --- changes ----------------------------------------------------------------------------

    def _open(self, dialog: QDialog, done: Callable[[], None]) -> QDialog:
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
        if self.selected and self.selected[0] == CYCLE:
            return self.schedule_review(self.selected[1])
        return self.schedule(day=self.selected_day)

    def schedule(self, day: dt.date | None = None, pupil_id: int | None = None) -> QDialog:
        dialog = MeetingDialog(
            self.ctx,
            self,
            pupil_id=self.pupil_id if pupil_id is None else pupil_id,
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
            pupil_id=found.pupil_id if found else self.pupil_id,
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
            f"{_when(meeting)}? It stays in the record as cancelled.",
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
            if dialog.held.kind == "sen_review":
                self.review_held.emit(dialog.held.pupil_id, dialog.held.id)

        return self._open(dialog, held)

    # --- print and export -------------------------------------------------------------------

    def print_week(self) -> Path | None:
        return save_week_schedule(self, self.ctx, self.selected_day, self.saved.emit)

    def export_ics(self) -> Path | None:
        """Export the school year shown as iCalendar, with the detail the settings allow."""
        first, last = calendar.school_year(self.month)
        label = calendar.school_year_label(self.month).replace("/", "-")
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export iCalendar", f"reviews-{label}.ics", "iCalendar (*.ics)"
        )
        if not chosen:
            return None
        path = Path(chosen)
        try:
            data, count = meetings.export_ics(self.ctx.sessions, first, last)
            path.write_bytes(data)
        except SendeskError as exc:
            errors.explain(self, exc)
            return None
        except OSError as exc:
            QMessageBox.warning(self, "Export iCalendar", f"{path} could not be written: {exc}.")
            return None
        self.saved.emit(f"Exported {plural(count, 'meeting')} to {path.name}")
        return path


def save_week_schedule(
    parent: QWidget, ctx: FileContext, day: dt.date, done: Callable[[str], None]
) -> Path | None:
    """Ask where to save the week's schedule as a PDF, then write it."""
    monday, _ = calendar.week_of(day)
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Print week's schedule", f"meetings-{monday.isoformat()}.pdf", "PDF (*.pdf)"
    )
    if not chosen:
        return None
    path = Path(chosen)
    try:
        data, _ = meetings.week_schedule_pdf(ctx.sessions, day)
        path.write_bytes(data)
    except SendeskError as exc:
        errors.explain(parent, exc)
        return None
    except OSError as exc:
        QMessageBox.warning(parent, "Print week's schedule", f"{path} could not be written: {exc}.")
        return None
    done(f"Saved the week's schedule to {path.name}: open it to print")
    return path
