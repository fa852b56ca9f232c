"""Do: record the week's delivered sessions and attendance against each provision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from sendesk import cycle as rules
from sendesk import dates
from sendesk.errors import BadInput, StaleEdit
from sendesk.services import cycles
from sendesk.services.cycles import SessionEntry
from sendesk.wording import plural
from ui.context import FileContext
from ui.widgets import DateField, add_row, text_area
from ui.wizards.base import StagePage, StageWizard
from ui.wizards.rows_table import Column, RowsTable

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
MARKS = (("attended", "Attended"), ("absent", "Absent"))


class WeekPage(StagePage):
    def __init__(self, ctx: FileContext, state: cycles.CycleState, today: dt.date) -> None:
        super().__init__(
            "Sessions this week",
            "For each provision, mark the days a session was held: attended, or the pupil absent. "
            "A week already recorded shows what was saved, to correct it.",
        )
        self.ctx = ctx
        self.state = state
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        form = QFormLayout()
        self.week = DateField("Week starting")
        add_row(form, "&Week starting (Monday):", self.week)
        layout.addLayout(form)
        # Near the top, in view on a laptop at 150% without scrolling (from the GUI trial: at the
        # foot, under the grid and the notes, it was below the fold and the Review unreachable).
        self.finished = QCheckBox("The plan's time is up: move on to the &Review after this week")
        layout.addWidget(self.finished)
        columns = [Column("Provision", stretch=True)] + [Column(d, MARKS, blank="") for d in DAYS]
        self.grid = RowsTable("Sessions this week", columns)
        self.grid.add_button.hide()
        self.grid.remove_button.hide()
        for p in state.provisions:
            self.grid.add_row([p.plan.description], key=p.id)
        layout.addWidget(self.grid)
        self.recorded = QLabel()
        self.recorded.setWordWrap(True)
        self.recorded.setAccessibleName("Already recorded for this week")
        layout.addWidget(self.recorded)
        self.shown_week: dt.date | None = None
        self.shown_sessions: list[cycles.SessionEntry] = []
        self.week.editingFinished.connect(self.show_week)
        self.week.set_value(dates.monday_of(today))
        self.show_week()
        self.delivered = QLabel(self._delivered_text())
        self.delivered.setWordWrap(True)
        self.delivered.setAccessibleName("Delivered so far")
        layout.addWidget(self.delivered)
        self.note = text_area(
            "Notes on this week's sessions",
            "Optional: how the sessions went, anything to follow up",
        )
        layout.addWidget(self.note)

    def show_week(self) -> None:
        """Fill the grid with what is stored for the week typed, so it can be corrected."""
        try:
            day = self.week.value()
        except BadInput:
            return
        if day is None:
            return
        monday = dates.monday_of(day)
        if monday != day:
            self.week.set_value(monday)
        if monday == self.shown_week:
            return
        self.shown_week = monday
        stored = cycles.week_sessions(self.ctx.sessions, self.state.id, monday)
        self.shown_sessions = stored  # a save checks the week still holds these
        for row, p in enumerate(self.state.provisions):
            self.set_marks(row, _marks(stored, p.id))
        self.recorded.setText(
            f"Already recorded for this week: {len(stored)} "
            f"session{'' if len(stored) == 1 else 's'}; change the marks to correct them."
            if stored
            else ""
        )
        self.recorded.setVisible(bool(stored))

    def set_marks(self, row: int, marks: rules.Marks) -> None:
        """One provision's days as `marks` says (held: attended or absent; else blank)."""
        assert self.shown_week is not None
        for index in range(len(DAYS)):
            held = marks.get(self.shown_week + dt.timedelta(days=index))
            code = "" if held is None else ("attended" if held else "absent")
            self.grid.combo(row, index + 1).set_code(code)

    def _delivered_text(self) -> str:
        lines = []
        for p in self.state.provisions:
            share = p.delivered
            planned = round(p.plan.sessions_per_week * p.plan.weeks)
            part = f"{share:.0%}" if share is not None else "nothing planned"
            lines.append(
                f"{p.plan.description}: {p.sessions_held} of {plural(planned, 'session')} ({part})"
            )
        return "Delivered so far:\n" + "\n".join(lines) if lines else "This plan has no provision."

    def entries(self) -> list[SessionEntry]:
        day = self.week.value()
        if day is None:
            raise BadInput("Give the Monday of the week.")
        monday = dates.monday_of(day)
        found = []
        for provision_id, (_, *marks) in self.grid.keyed_values():
            for index, mark in enumerate(marks):
                if mark and isinstance(provision_id, int):
                    day = monday + dt.timedelta(days=index)
                    found.append(SessionEntry(provision_id, day, mark == "attended"))
        return found

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        try:
            found = self.entries()
        except BadInput as exc:
            return self.complain(exc.message)
        if not found and not self.shown_sessions and not self.finished.isChecked():
            # Recording an empty week saves nothing (from the GUI trial: "0 sessions recorded").
            return self.complain(
                "Nothing is marked for this week: mark each session that was held (attended or "
                "absent), or tick that the plan's time is up. Cancel keeps what you typed."
            )
        return self.complain(None)


class DoWizard(StageWizard):
    stage = "do"

    def __init__(
        self, ctx: FileContext, pupil_id: int, cycle_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, pupil_id, cycle_id, parent)
        self.week_page = WeekPage(ctx, self.state, self.today())
        self.addPage(self.week_page)
        self.setButtonText(StageWizard.WizardButton.FinishButton, "&Record sessions")

    def collect(self) -> dict[str, Any]:
        page = self.week_page
        marks = [
            [page.grid.combo(row, i + 1).code() for i in range(len(DAYS))]
            for row in range(page.grid.table.rowCount())
        ]
        return {
            "week": page.week.text(),
            "marks": marks,
            "note": page.note.toPlainText(),
            "finished": page.finished.isChecked(),
        }

    def restore(self, data: dict[str, Any]) -> None:
        page = self.week_page
        page.week.setText(data.get("week", ""))
        page.show_week()
        for row, marks in enumerate(data.get("marks", [])[: page.grid.table.rowCount()]):
            for i, mark in enumerate(marks[: len(DAYS)]):
                page.grid.combo(row, i + 1).set_code(mark)
        page.note.setPlainText(data.get("note", ""))
        page.finished.setChecked(bool(data.get("finished")))

    def rebased(self, conflict: StaleEdit) -> bool:
        """Someone (a teaching assistant, another window) recorded this week since it was
        shown: show their sessions with the marks changed here put back on them, none lost."""
        page = self.week_page
        if "sessions" not in conflict.differences or page.shown_week is None:
            return False
        mine, seen = page.entries(), page.shown_sessions
        saved = cycles.week_sessions(self.ctx.sessions, self.cycle_id, page.shown_week)
        page.shown_sessions = saved  # the next save checks the week still holds these
        clashes = []
        for row, p in enumerate(self.state.provisions):
            rebased = rules.rebase_week(_marks(seen, p.id), _marks(mine, p.id), _marks(saved, p.id))
            page.set_marks(row, rebased.marks)
            clashes += [f"{p.plan.description} on {dates.show(d)}" for d in rebased.clashes]
        said = (
            "Someone else recorded sessions for this week after you opened it. Their sessions "
            "are shown, with your changes marked again: check the week and record it."
        )
        if clashes:
            said += f" They also changed {', '.join(clashes)}: theirs is shown there."
        page.complain(said)
        return True

    def apply(self) -> str:
        page = self.week_page
        entries = page.entries()  # checks the week first
        day = page.week.value()
        assert day is not None
        monday = dates.monday_of(day)
        done = cycles.record_week(
            self.ctx.sessions,
            self.cycle_id,
            monday,
            entries,
            page.note.toPlainText(),
            page.finished.isChecked(),
            today=self.today(),
            seen=self.seen,
            shown=page.shown_sessions if page.shown_week == monday else None,
        )
        then = "; next, the Review" if page.finished.isChecked() else ""
        week = dates.show(monday)
        return f"Cycle {self.state.number}: {done.sentence()} for the week of {week}{then}"


def _marks(entries: list[SessionEntry], provision_id: int) -> dict[dt.date, bool]:
    return {e.held_on: e.attended for e in entries if e.provision_id == provision_id}
