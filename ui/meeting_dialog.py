"""Schedule a meeting, or move one: pupil, kind, day, time, length, place, who is invited.

Warnings about the day (weekend, bank holiday, outside term) show as it is typed; they never block.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sendesk import calendar, codes
from sendesk.errors import BadInput, SendeskError
from sendesk.pupil_row import PupilRow
from sendesk.services import meetings, pupils
from sendesk.services.meetings import MeetingDetails, MeetingView, Scheduled
from sendesk.text import search_terms
from sendesk.wording import in_sentence
from ui.context import FileContext
from ui.typed_guard import AsksBeforeDiscarding
from ui.widgets import (
    CodeCombo,
    DateField,
    LiveLabel,
    add_row,
    problem_label,
    show_problems,
    text_area,
    text_field,
)


class PupilPicker(QComboBox):
    """Choose a pupil by typing any part of their name, accents or not, as in the register:
    "zoe bron" finds Zoë Brontë."""

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Pupil")
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.keys: list[str] = []  # each entry's folded search text, as the register has it
        self.matches = QStringListModel(self)
        self.finder = QCompleter(self.matches, self)
        self.finder.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCompleter(self.finder)
        self.finder.activated.connect(self._chosen)
        editor = self.lineEdit()
        if editor is not None:
            editor.setPlaceholderText("Type part of a name")
            editor.textEdited.connect(self._find)

    def fill(self, rows: Sequence[PupilRow], pupil_id: int) -> None:
        """The register's pupils; the one shown (`pupil_id`) chosen, else none."""
        self.addItem("", 0)  # no pupil is chosen for the user: a blank first entry
        self.keys = [""]
        for row in rows:
            self.addItem(f"{row.display_name} ({codes.year_group_label(row.year_group)})", row.id)
            self.keys.append(row.search_text)
        self.setCurrentIndex(max(self.findData(pupil_id), 0))

    def _find(self, typed: str) -> None:
        terms = search_terms(typed)
        found = [
            self.itemText(i)
            for i, key in enumerate(self.keys)
            if i and terms and all(t in key for t in terms)
        ]
        self.matches.setStringList(found)
        if found:
            self.finder.complete()

    def _chosen(self, label: str) -> None:
        self.setCurrentIndex(max(self.findText(label), 0))


class MeetingDialog(AsksBeforeDiscarding):
    """Schedule a new meeting (`moving` is None) or move a planned one to a new time."""

    def __init__(
        self,
        ctx: FileContext,
        parent: QWidget | None = None,
        *,
        moving: MeetingView | None = None,
        pupil_id: int = 0,
        day: dt.date | None = None,
        cycle_id: int | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.moving = moving
        self.cycle_id = cycle_id
        self.today = today
        self.scheduled: Scheduled | None = None
        self.setWindowTitle(
            f"Move {in_sentence(moving.kind_label)} for {moving.pupil_name}"
            if moving
            else "Schedule a meeting"
        )
        layout = QVBoxLayout(self)
        self.problems = problem_label()
        layout.addWidget(self.problems)
        form = QFormLayout()

        self.pupil = PupilPicker()
        if moving is None:
            self.pupil.fill(pupils.list_register(ctx.sessions), pupil_id)
            add_row(form, "&Pupil:", self.pupil)
        else:
            form.addRow("Pupil:", QLabel(moving.pupil_name))

        self.kind = CodeCombo("Kind of meeting", codes.MEETING_KINDS.items())
        self.kind.set_code(moving.kind if moving else "sen_review")
        self.kind.setEnabled(moving is None and cycle_id is None)
        add_row(form, "&Meeting:", self.kind)

        self.day = DateField("Day")
        self.day.set_value(day or (moving.starts_at.date() if moving else today()))
        self.day.textChanged.connect(self._check_day)
        add_row(form, "&Day:", self.day)
        self.time = text_field("Start time", 5)
        self.time.setPlaceholderText("HH:MM")
        start = moving.starts_at.time() if moving else meetings.DEFAULT_TIME
        self.time.setText(start.strftime("%H:%M"))
        add_row(form, "&Time:", self.time)
        self.duration = QSpinBox()
        self.duration.setRange(meetings.MIN_MINUTES, meetings.MAX_MINUTES)
        self.duration.setSingleStep(5)
        self.duration.setSuffix(" minutes")
        self.duration.setValue(moving.duration_minutes if moving else meetings.DEFAULT_MINUTES)
        add_row(form, "&Length:", self.duration)
        self.place = text_field("Place", meetings.PLACE_LENGTH)
        self.place.setText(moving.place or "" if moving else "")
        add_row(form, "&Where:", self.place)
        self.invited = text_area("Invited", "e.g. parents; class teacher; SENCo")
        self.notes = text_area("Notes")
        if moving is None:
            add_row(form, "&Invited:", self.invited)
            add_row(form, "&Notes:", self.notes)
        layout.addLayout(form)

        self.warnings = LiveLabel("Warnings about the day")
        self.warnings.hide()
        layout.addWidget(self.warnings)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Move" if moving else "&Schedule")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._check_day()

    def _check_day(self) -> None:
        try:
            day = self.day.value()
        except BadInput:
            day = None
        found = meetings.date_warnings(self.ctx.sessions, day) if day else []
        self.warnings.setText("\n".join(f"⚠ {w}" for w in found))
        self.warnings.setVisible(bool(found))

    def _starts_at(self) -> dt.datetime:
        day = self.day.value()
        if day is None:
            raise BadInput("Give the day of the meeting.")
        return dt.datetime.combine(day, calendar.parse_time(self.time.text()))

    def save(self) -> None:
        try:
            starts_at = self._starts_at()
            if self.moving is not None:
                self.scheduled = meetings.move(
                    self.ctx.sessions,
                    self.moving.id,
                    starts_at,
                    self.duration.value(),
                    self.place.text(),
                    today=self.today(),
                    seen=self.moving.version,
                )
            else:
                pupil_id = self.pupil.currentData()
                if not pupil_id or self.pupil.currentText() != self.pupil.itemText(
                    self.pupil.currentIndex()
                ):
                    raise BadInput("Choose a pupil from the list.")
                details = MeetingDetails(
                    str(self.kind.code()),
                    starts_at,
                    self.duration.value(),
                    self.place.text(),
                    self.invited.toPlainText(),
                    self.notes.toPlainText(),
                    self.cycle_id,
                )
                self.scheduled = meetings.schedule(
                    self.ctx.sessions, int(pupil_id), details, today=self.today()
                )
        except SendeskError as exc:
            show_problems(self.problems, exc.message)
            return
        self.accept()


class HeldDialog(AsksBeforeDiscarding):
    """Mark a planned meeting as held: who attended, and a note."""

    def __init__(
        self,
        ctx: FileContext,
        meeting: MeetingView,
        parent: QWidget | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting = meeting
        self.today = today
        self.held: MeetingView | None = None
        self.setWindowTitle(f"{meeting.kind_label} held — {meeting.pupil_name}")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"{meeting.kind_label} for {meeting.pupil_name} on "
            f"{meeting.starts_at:%d/%m/%Y at %H:%M}. Record who attended."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(intro)
        self.problems = problem_label()
        layout.addWidget(self.problems)
        form = QFormLayout()
        self.attendees = text_area("Who attended", "e.g. Mum; class teacher; SENCo")
        self.attendees.setPlainText(meeting.invited or "")
        add_row(form, "&Attended:", self.attendees)
        self.notes = text_area("Notes")
        add_row(form, "&Notes:", self.notes)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Mark &held")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        try:
            self.held = meetings.mark_held(
                self.ctx.sessions,
                self.meeting.id,
                self.attendees.toPlainText(),
                self.notes.toPlainText(),
                today=self.today(),
                seen=self.meeting.version,
            )
        except SendeskError as exc:
            show_problems(self.problems, exc.message)
            return
        self.accept()
