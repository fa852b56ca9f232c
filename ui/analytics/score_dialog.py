"""Record a score for the pupil shown: a measure, the day, when in the cycle, and the value.

A small form of its own, opened from the pupil's progress view, for any score (the Assess and
Review wizards ask for the baselines and exit scores themselves): a score taken during a cycle is
linked to the pupil's open cycle.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from sendesk.errors import SendeskError, ValidationFailed
from sendesk.measure_models import SCORE_POINTS
from sendesk.services import cycles, measures
from sendesk.services.measures import ScoreEntry
from ui import errors
from ui.context import FileContext
from ui.typed_guard import AsksBeforeDiscarding
from ui.widgets import problem_label, show_problems

# Which point in the cycle a stage's score usually is.
POINT_OF_STAGE = {"assess": "baseline", "plan": "baseline", "do": "during", "review": "exit"}


class ScoreDialog(AsksBeforeDiscarding):
    def __init__(
        self,
        ctx: FileContext,
        pupil_id: int,
        parent: QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.pupil_id = ctx, pupil_id
        self.today = today or dt.date.today()
        self.setWindowTitle("Record a score")
        self.saved_id: int | None = None
        self.cycle_id = cycles.open_cycle_id(ctx.sessions, pupil_id)
        stage = cycles.load(ctx.sessions, self.cycle_id).stage if self.cycle_id else None
        form = QFormLayout()
        self.measure = QComboBox()
        self.measure.setAccessibleName("Measure")
        for m in measures.list_measures(ctx.sessions):
            self.measure.addItem(f"{m.details.name} ({m.details.unit})", m.id)
        self.day = QDateEdit(QDate(self.today.year, self.today.month, self.today.day))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.point = QComboBox()
        for code, label in SCORE_POINTS.items():
            self.point.addItem(label, code)
        self.point.setCurrentIndex(self.point.findData(POINT_OF_STAGE.get(stage or "", "baseline")))
        self.value = QDoubleSpinBox()
        self.value.setRange(-1_000_000, 1_000_000)
        self.value.setDecimals(1)
        self.value.setAccessibleName("Score")
        self.note = QLineEdit()
        self.note.setMaxLength(500)
        form.addRow("&Measure:", self.measure)
        form.addRow("&Date:", self.day)
        form.addRow("&When:", self.point)
        form.addRow("S&core:", self.value)
        form.addRow("&Note:", self.note)
        self.problems = problem_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)

    def save(self) -> None:
        if self.measure.currentData() is None:
            show_problems(self.problems, "Add a measure in Assessment measures first.")
            return
        day = self.day.date()
        entry = ScoreEntry(
            measure_id=int(self.measure.currentData()),
            recorded_on=dt.date(day.year(), day.month(), day.day()),
            point=str(self.point.currentData()),
            value=self.value.value(),
            cycle_id=self.cycle_id,
            note=self.note.text(),
        )
        try:
            self.saved_id = measures.record_score(
                self.ctx.sessions, self.pupil_id, entry, self.today
            )
        except ValidationFailed as exc:
            show_problems(self.problems, exc.problems)
            return
        except SendeskError as exc:
            errors.explain(self, exc, "Record a score")
            return
        self.accept()
