"""Sessions: a teaching assistant records the week's sessions of the provisions they deliver.

Shown instead of the Cycles tab to a login that may record sessions but not read the cycle
(`ui.server_roles`). One row of day boxes says a session was held, the other that the pupil
attended; a session already saved cannot be removed by this login, only marked not attended."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sendesk import cycle as rules
from sendesk import dates
from sendesk.errors import BadInput, SendeskError, StaleEdit, ValidationFailed
from sendesk.services import delivery
from sendesk.services.cycles import SessionEntry
from ui.context import FileContext
from ui.record.base import RecordTab
from ui.widgets import DateField, add_row, problem_label, show_problems

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
SAVED_TIP = "Saved already: untick Attended if the pupil missed it; the SENCo can remove it."


class ProvisionWeek(QGroupBox):
    """One provision's week: a Held and an Attended box for each school day."""

    def __init__(self, shown: delivery.DeliveredProvision, monday: dt.date, today: dt.date):
        where = f", {shown.where_when}" if shown.where_when else ""
        planned = f"{shown.sessions_per_week:g} a week{where}"
        super().__init__(f"Cycle {shown.cycle_number}: {shown.description} ({planned})")
        self.shown = shown
        self.monday = monday
        stored = {e.held_on: e.attended for e in shown.week}
        grid = QGridLayout(self)
        grid.addWidget(QLabel("Held"), 1, 0)
        grid.addWidget(QLabel("Attended"), 2, 0)
        self.held: list[QCheckBox] = []
        self.attended: list[QCheckBox] = []
        for index, name in enumerate(DAYS):
            day = monday + dt.timedelta(days=index)
            grid.addWidget(QLabel(name), 0, index + 1, Qt.AlignmentFlag.AlignHCenter)
            held, attended = QCheckBox(), QCheckBox()
            held.setAccessibleName(f"{shown.description}: session held on {name}")
            attended.setAccessibleName(f"{shown.description}: attended on {name}")
            held.setChecked(day in stored)
            attended.setChecked(stored.get(day, False))
            held.setEnabled(day <= today and day not in stored)
            attended.setEnabled(day in stored)
            if day in stored:
                held.setToolTip(SAVED_TIP)
            held.toggled.connect(attended.setEnabled)
            held.toggled.connect(attended.setChecked)  # a session held is attended unless unticked
            grid.addWidget(held, 1, index + 1, Qt.AlignmentFlag.AlignHCenter)
            grid.addWidget(attended, 2, index + 1, Qt.AlignmentFlag.AlignHCenter)
            self.held.append(held)
            self.attended.append(attended)

    def entries(self) -> list[SessionEntry]:
        return [
            SessionEntry(self.shown.id, self.monday + dt.timedelta(days=i), attended.isChecked())
            for i, (held, attended) in enumerate(zip(self.held, self.attended, strict=True))
            if held.isChecked()
        ]

    def changed(self) -> bool:
        return {(e.held_on, e.attended) for e in self.entries()} != {
            (e.held_on, e.attended) for e in self.shown.week
        }

    def boxes(self) -> list[QCheckBox]:
        return [*self.held, *self.attended]

    def set_marks(self, marks: rules.Marks) -> None:
        """Tick the week as `marks` says, as the user would (a saved session stays held)."""
        for index, (held, attended) in enumerate(zip(self.held, self.attended, strict=True)):
            day = self.monday + dt.timedelta(days=index)
            if held.isEnabled():
                held.setChecked(day in marks)
            if day in marks and attended.isEnabled():
                attended.setChecked(marks[day])


class DeliveryTab(RecordTab):
    title = "&Sessions"

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The sessions of the provisions you deliver to this pupil. Tick the days a session "
            "was held, and untick Attended if the pupil missed it."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.week = DateField("Week starting")
        add_row(form, "&Week starting (Monday):", self.week)
        layout.addLayout(form)
        self.problems = problem_label()
        layout.addWidget(self.problems)
        self.rows = QVBoxLayout()
        layout.addLayout(self.rows)
        self.none = QLabel("You deliver no provision to this pupil in a cycle under way.")
        self.none.setWordWrap(True)
        layout.addWidget(self.none)
        layout.addStretch(1)
        self.save_button = QPushButton("&Save sessions")
        self.save_button.clicked.connect(self.save)
        self.save_button.setProperty("keep_in_view", True)
        layout.addWidget(self.save_button)
        self.weeks: list[ProvisionWeek] = []
        self.monday = dates.monday_of(dt.date.today())
        self.week.set_value(self.monday)
        self.week.editingFinished.connect(self.change_week)

    def change_week(self) -> None:
        try:
            day = self.week.value()
        except BadInput as exc:
            show_problems(self.problems, exc.message)
            return
        if day is None or dates.monday_of(day) == self.monday:
            self.week.set_value(self.monday)
            return
        if self.dirty and not self.save():
            self.week.set_value(self.monday)
            return
        self.monday = dates.monday_of(day)
        self.show_pupil(self.pupil_id)

    def load(self) -> None:
        for old in self.weeks:
            self.rows.removeWidget(old)
            old.deleteLater()
        self.weeks = []
        self.week.set_value(self.monday)
        show_problems(self.problems, None)
        found = (
            delivery.provisions_to_deliver(self.ctx.sessions, self.pupil_id, self.monday)
            if self.pupil_id
            else []
        )
        today = dt.date.today()
        for shown in found:
            row = ProvisionWeek(shown, self.monday, today)
            for box in row.boxes():
                box.toggled.connect(self.mark_dirty)
                box.setEnabled(box.isEnabled() and not self.read_only)
            self.rows.addWidget(row)
            self.weeks.append(row)
        self.none.setVisible(not found)
        self.save_button.setEnabled(bool(found) and not self.read_only)

    def _rebase(self, mine: dict[int, tuple[list[SessionEntry], list[SessionEntry]]]) -> None:
        """Someone saved this week since it was shown: show what they saved, with the user's
        own ticks put back on it (none lost), and say which days both changed."""
        self.show_pupil(self.pupil_id)
        clashes = []
        for row in self.weeks:
            if row.shown.id not in mine:
                continue
            seen, entries = mine[row.shown.id]
            rebased = rules.rebase_week(_marks(seen), _marks(entries), _marks(row.shown.week))
            row.set_marks(rebased.marks)
            clashes += [f"{row.shown.description} on {dates.show(d)}" for d in rebased.clashes]
        said = (
            "Someone else saved sessions for this week while you were recording. What they "
            "saved is shown, with your changes ticked again: check the week and save."
        )
        if clashes:
            said += f" They also changed {', '.join(clashes)}: theirs is kept there."
        show_problems(self.problems, said)

    def editors(self) -> list[QWidget]:
        return [self.save_button, *(box for row in self.weeks for box in row.boxes())]

    def save(self) -> bool:
        """Every changed provision's week in one transaction: all saved, or none."""
        weeks = [
            delivery.WeekOf(row.shown.id, row.entries(), row.shown.week)
            for row in self.weeks
            if row.changed()
        ]
        if not weeks:
            return True
        try:
            done = delivery.record_weeks(self.ctx.sessions, self.monday, weeks, dt.date.today())
        except StaleEdit:
            self._rebase({w.provision_id: (w.seen, w.entries) for w in weeks})
            return False
        except ValidationFailed as exc:
            show_problems(self.problems, exc.problems)
            return False
        except SendeskError as exc:
            show_problems(self.problems, exc.message)
            return False
        self.show_pupil(self.pupil_id)
        self.saved.emit(f"{done.sentence()} for the week of {dates.show(self.monday)}")
        self.records_changed.emit()
        return True


def _marks(entries: list[SessionEntry]) -> dict[dt.date, bool]:
    return {e.held_on: e.attended for e in entries}
