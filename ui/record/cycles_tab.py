"""Cycles: a timeline of every Assess-Plan-Do-Review cycle with its outcomes and ratings."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout

from sendesk import codes, dates
from sendesk.services import timeline
from ui.context import FileContext
from ui.record.base import RecordTab


class CyclesTab(RecordTab):
    title = "C&ycles"

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        layout = QVBoxLayout(self)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Cycle and outcomes", "Stage or rating", "Dates"])
        self.tree.setAccessibleName("Cycles timeline")
        layout.addWidget(self.tree)
        self.empty = QLabel("No Assess–Plan–Do–Review cycles recorded for this pupil yet.")
        layout.addWidget(self.empty)

    def load(self) -> None:
        self.tree.clear()
        cycles = timeline.cycles(self.ctx.sessions, self.pupil_id) if self.pupil_id else []
        for cycle in cycles:
            stage = cycle.stage.capitalize()
            if cycle.next_step:
                stage += f": {codes.NEXT_STEP_LABELS[cycle.next_step].split(':')[0]}"
            span = f"{dates.show(cycle.opened_on)} – {dates.show(cycle.closed_on) or 'open'}"
            item = QTreeWidgetItem([f"Cycle {cycle.number}", stage, span])
            for outcome in cycle.outcomes:
                rating = codes.RATING_LABELS.get(outcome.rating or "", "Not yet reviewed")
                item.addChild(QTreeWidgetItem([outcome.description, rating, ""]))
            self.tree.addTopLevelItem(item)
        newest = self.tree.topLevelItem(0)
        if newest is not None:
            newest.setExpanded(True)
        self.tree.resizeColumnToContents(0)
        self.empty.setVisible(not cycles)
