"""Choose the measure that shows the impact of each provision in the pupil's latest cycle: its
entry and exit scores on that measure are the provision's impact data."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from sendesk.errors import SendeskError
from sendesk.services import measures
from ui import errors
from ui.context import FileContext


class ImpactMeasuresDialog(QDialog):
    def __init__(self, ctx: FileContext, pupil_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Impact measures")
        self.rows = measures.provision_measures(ctx.sessions, pupil_id)
        choices = measures.list_measures(ctx.sessions, include_retired=True)
        form = QFormLayout()
        self.combos: list[QComboBox] = []
        for row in self.rows:
            combo = QComboBox()
            combo.addItem("No measure", None)
            for m in choices:
                if not m.retired or m.id == row.measure_id:
                    combo.addItem(m.details.name, m.id)
            combo.setCurrentIndex(max(0, combo.findData(row.measure_id)))
            combo.setAccessibleName(f"Measure for {row.description}")
            form.addRow(QLabel(row.description), combo)
            self.combos.append(combo)
        layout = QVBoxLayout(self)
        if not self.rows:
            layout.addWidget(QLabel("This pupil has no provision planned yet."))
        else:
            layout.addWidget(
                QLabel(
                    f"Cycle {self.rows[0].cycle_number}: which measure shows "
                    "the impact of each provision?"
                )
            )
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        try:
            for row, combo in zip(self.rows, self.combos, strict=True):
                chosen = combo.currentData()
                if chosen != row.measure_id:
                    measures.set_provision_measure(self.ctx.sessions, row.provision_id, chosen)
        except SendeskError as exc:
            errors.explain(self, exc, "Impact measures")
            return
        self.accept()
