"""Do: record the week's delivered sessions and attendance against each provision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from sendesk import dates
from sendesk.errors import BadInput
from sendesk.services import cycles, notes
from sendesk.services.cycles import SessionEntry
from sendesk.wording import plural
from ui.context import FileContext
from ui.widgets import DateField, add_row, text_area
from ui.wizards.base import StagePage, StageWizard
from ui.wizards.rows_table import Column, RowsTable

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
MARKS = (("attended", "Attended"), ("absent", "Absent"))


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


class WeekPage(StagePage):
    def __init__(self, state: cycles.CycleState) -> None:
        super().__init__(
            "Sessions this week",
            "For each provision, mark the days a session was held: attended, or the pupil absent.",
        )
        self.state = state
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        form = QFormLayout()
        self.week = DateField("Week starting")
        self.week.set_value(monday_of(dt.date.today()))
        add_row(form, "&Week starting (Monday):", self.week)
        layout.addLayout(form)
        columns = [Column("Provision", stretch=True)] + [Column(d, MARKS, blank="") for d in DAYS]
        self.grid = RowsTable("Sessions this week", columns)
        self.grid.add_button.hide()
        self.grid.remove_button.hide()
        for p in state.provisions:
            self.grid.add_row([p.plan.description], key=p.id)
        layout.addWidget(self.grid)
        self.delivered = QLabel(self._delivered_text())
        self.delivered.setWordWrap(True)
        self.delivered.setAccessibleName("Delivered so far")
        layout.addWidget(self.delivered)
        self.note = text_area(
            "Notes on this week's sessions",
            "Optional: how the sessions went, anything to follow up",
        )
        layout.addWidget(self.note)
        self.finished = QCheckBox("The plan's time is up: move on to the &Review")
        layout.addWidget(self.finished)

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
        monday = self.week.value()
        if monday is None:
            raise BadInput("Give the Monday of the week.")
        found = []
        for provision_id, (_, *marks) in self.grid.keyed_values():
            for index, mark in enumerate(marks):
                if mark and isinstance(provision_id, int):
                    day = monday + dt.timedelta(days=index)
                    found.append(SessionEntry(provision_id, day, mark == "attended"))
        return found

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        try:
            self.entries()
        except BadInput as exc:
            return self.complain(exc.message)
        return self.complain(None)


class DoWizard(StageWizard):
    stage = "do"

    def __init__(
        self, ctx: FileContext, pupil_id: int, cycle_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, pupil_id, cycle_id, parent)
        self.week_page = WeekPage(self.state)
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
        for row, marks in enumerate(data.get("marks", [])[: page.grid.table.rowCount()]):
            for i, mark in enumerate(marks[: len(DAYS)]):
                page.grid.combo(row, i + 1).set_code(mark)
        page.note.setPlainText(data.get("note", ""))
        page.finished.setChecked(bool(data.get("finished")))

    def apply(self) -> str:
        page = self.week_page
        added = cycles.record_sessions(
            self.ctx.sessions, self.cycle_id, page.entries(), page.finished.isChecked()
        )
        if page.note.toPlainText().strip():
            monday = page.week.value() or dt.date.today()
            notes.add(
                self.ctx.sessions,
                self.pupil_id,
                min(monday + dt.timedelta(days=4), dt.date.today()),
                "observation",
                f"Sessions, week of {dates.show(monday)}: {page.note.toPlainText().strip()}",
            )
        then = "; next, the Review" if page.finished.isChecked() else ""
        week = dates.show(page.week.value())
        return (
            f"Cycle {self.state.number}: {plural(added, 'session')} recorded for the week of "
            f"{week}{then}"
        )
