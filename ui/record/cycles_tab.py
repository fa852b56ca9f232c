"""Cycles: the timeline of every Assess-Plan-Do-Review cycle, and the way into each wizard."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sendesk import codes, dates
from sendesk import cycle as rules
from sendesk.errors import SendeskError
from sendesk.services import cycles, timeline
from ui import errors
from ui.context import FileContext
from ui.record.base import RecordTab
from ui.widgets import LiveLabel
from ui.wizards.assess_wizard import AssessWizard
from ui.wizards.base import StageWizard
from ui.wizards.do_wizard import DoWizard
from ui.wizards.plan_wizard import PlanWizard
from ui.wizards.review_wizard import ReviewWizard

if TYPE_CHECKING:
    from types import ModuleType

    from sendesk.documents.style import DocumentOptions
    from sendesk.services.documents import Printable
    from ui.document_preview import DocumentPreview

WIZARDS: dict[str, type[StageWizard]] = {
    "assess": AssessWizard,
    "plan": PlanWizard,
    "do": DoWizard,
    "review": ReviewWizard,
}


class CyclesTab(RecordTab):
    title = "C&ycles"

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self.open_cycle: cycles.CycleState | None = None
        self.wizard: StageWizard | None = None
        layout = QVBoxLayout(self)
        buttons = QHBoxLayout()
        self.start_button = QPushButton("&Start a new cycle")
        self.continue_button = QPushButton()
        self.continue_button.setAccessibleName("Continue the current cycle")
        self.reopen_button = QPushButton("&Reopen a stage…")
        self.reopen_menu = QMenu(self)
        self.reopen_button.setMenu(self.reopen_menu)
        self.discard_button = QPushButton("D&iscard this cycle…")
        self.discard_button.clicked.connect(self.discard_cycle)
        for button in (
            self.start_button, self.continue_button, self.reopen_button, self.discard_button
        ):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch()
        layout.addLayout(buttons)
        self.status = LiveLabel("Current cycle")
        layout.addWidget(self.status)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Cycle and outcomes", "Stage or rating", "Dates"])
        self.tree.setAccessibleName("Cycles timeline")
        self.tree.setWordWrap(True)
        # Stage and Dates are as wide as they need, never cut off; the outcomes take the rest.
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.tree)
        self.empty = QLabel(
            "No Assess–Plan–Do–Review cycles yet. Start one when a concern is raised."
        )
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.start_button.clicked.connect(self.start_cycle)
        self.continue_button.clicked.connect(self.continue_cycle)
        self._add_document_buttons(layout)

    def editors(self) -> list[QWidget]:
        return [self.start_button, self.continue_button, self.reopen_button]

    def load(self) -> None:
        self.tree.clear()
        found = timeline.cycles(self.ctx.sessions, self.pupil_id) if self.pupil_id else []
        for cycle in found:
            stage = rules.STAGE_LABELS[cycle.stage]
            if cycle.next_step:
                stage += f": {codes.NEXT_STEP_LABELS[cycle.next_step].split(':')[0]}"
            span = f"{dates.show(cycle.opened_on)} – {dates.show(cycle.closed_on) or 'open'}"
            texts = [f"Cycle {cycle.number}", stage, span]
            item = QTreeWidgetItem(texts)
            for column, text in enumerate(texts):
                item.setToolTip(column, text)  # whole, where a small screen cuts the column
            self.tree.addTopLevelItem(item)
            for outcome in cycle.outcomes:
                rating = codes.RATING_LABELS.get(outcome.rating or "", "Not yet reviewed")
                # Across the whole row: at 150 % the outcome's own column left "The pupil
                # will …" of every target, beside the stage and dates columns it shares.
                text = f"{rating}: {outcome.description}"
                child = QTreeWidgetItem([text])
                child.setToolTip(0, text)
                item.addChild(child)
                child.setFirstColumnSpanned(True)
        newest = self.tree.topLevelItem(0)
        if newest is not None:
            newest.setExpanded(True)
        self.empty.setVisible(not found)
        open_id = cycles.open_cycle_id(self.ctx.sessions, self.pupil_id) if self.pupil_id else None
        self.open_cycle = cycles.load(self.ctx.sessions, open_id) if open_id else None
        self._update_buttons()
        # A plan, review record or evidence pack needs a cycle to print from; a passport does not.
        has_cycles = bool(found)
        for button in (self.plan_button, self.review_record_button, self.evidence_button):
            button.setEnabled(has_cycles)
        self.passport_button.setEnabled(bool(self.pupil_id))

    def _update_buttons(self) -> None:
        state = self.open_cycle
        self.start_button.setVisible(bool(self.pupil_id) and state is None)
        self.continue_button.setVisible(state is not None)
        self.reopen_button.setVisible(state is not None)
        self.reopen_menu.clear()
        self.discard_button.setVisible(
            state is not None and cycles.can_discard(self.ctx.sessions, state.id)
        )
        if state is None:
            self.status.setText("")
            return
        label = rules.STAGE_LABELS[state.stage]
        self.continue_button.setText(f"&Continue: {label}")
        self.status.setText(f"Cycle {state.number} is at {label}. {state.cost.sentence()}")
        earlier = [s for s in rules.STAGE_ORDER if rules.can_reopen(state.stage, s)]
        for stage in earlier:
            action = self.reopen_menu.addAction(f"Reopen {rules.STAGE_LABELS[stage]} to correct it")
            action.triggered.connect(lambda _=False, s=stage: self.reopen(s))
        self.reopen_button.setEnabled(bool(earlier) and not self.read_only)

    def start_cycle(self) -> None:
        if self.attempt(lambda: cycles.start(self.ctx.sessions, self.pupil_id)):
            self.show_pupil(self.pupil_id)
            self.records_changed.emit()
            self.continue_cycle()

    def continue_cycle(self) -> StageWizard | None:
        state = self.open_cycle
        if state is None:
            return None
        try:
            wizard = WIZARDS[state.stage](self.ctx, self.pupil_id, state.id, self)
            resumed = wizard.resume_draft()
        except SendeskError as exc:
            errors.explain(self, exc)
            return None
        if resumed:
            self.saved.emit("Resumed the draft you left")
        wizard.finished_stage.connect(self._stage_done)
        wizard.continue_next.connect(self.continue_cycle)
        wizard.finished.connect(lambda _: self.show_pupil(self.pupil_id))
        wizard.open()
        self.wizard = wizard
        return wizard

    def _stage_done(self, message: str) -> None:
        self.saved.emit(message)
        self.records_changed.emit()

    def discard_cycle(self) -> bool:
        """Throw away a cycle started by mistake, after asking."""
        state = self.open_cycle
        if state is None:
            return False
        answer = QMessageBox.question(
            self,
            "Discard cycle",
            f"Discard cycle {state.number}? Nothing has been recorded in it yet; the file keeps "
            "a note in its audit log that it was started and discarded.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        if not self.attempt(lambda: cycles.discard(self.ctx.sessions, state.id)):
            return False
        self.show_pupil(self.pupil_id)
        self.records_changed.emit()
        self.saved.emit(f"Cycle {state.number} discarded")
        return True

    def reopen(self, stage: str) -> None:
        state = self.open_cycle
        if state is not None and self.attempt(
            lambda: cycles.reopen(self.ctx.sessions, state.id, stage)
        ):
            self.show_pupil(self.pupil_id)
            self.saved.emit(f"{rules.STAGE_LABELS[stage]} reopened")

    # --- documents to print ------------------------------------------------------------------

    def _add_document_buttons(self, layout: QVBoxLayout) -> None:
        layout.addWidget(QLabel("Documents to print:"))
        row = QGridLayout()  # two by two: all four in reach on a narrow or scaled screen
        self.plan_button = QPushButton("Support pla&n…")
        self.review_record_button = QPushButton("Review recor&d…")
        self.evidence_button = QPushButton("E&vidence pack…")
        self.passport_button = QPushButton("Pupil pass&port…")
        for place, (button, slot) in enumerate(
            (
                (self.plan_button, self.print_plan),
                (self.review_record_button, self.print_review_record),
                (self.evidence_button, self.print_evidence_pack),
                (self.passport_button, self.print_passport),
            )
        ):
            button.clicked.connect(slot)
            row.addWidget(button, place // 2, place % 2)
        row.setColumnStretch(2, 1)
        layout.addLayout(row)

    def _preview(
        self, build: Callable[[ModuleType, int, DocumentOptions], Printable]
    ) -> DocumentPreview | None:
        # ReportLab and Qt's PDF module load when a document is first asked for.
        from sendesk.services import documents
        from ui.document_preview import open_preview

        pupil_id = self.pupil_id
        if not pupil_id:
            return None
        self.preview = open_preview(
            self.ctx, lambda options: build(documents, pupil_id, options), self, self.saved.emit
        )
        return self.preview

    def print_plan(self) -> DocumentPreview | None:
        return self._preview(lambda d, p, o: d.support_plan_pdf(self.ctx.sessions, p, o))

    def print_review_record(self) -> DocumentPreview | None:
        return self._preview(lambda d, p, o: d.review_record_pdf(self.ctx.sessions, p, o))

    def print_evidence_pack(self) -> DocumentPreview | None:
        return self._preview(lambda d, p, o: d.evidence_pack_pdf(self.ctx.sessions, p, o))

    def print_passport(self) -> DocumentPreview | None:
        return self._preview(lambda d, p, o: d.passport_pdf(self.ctx.sessions, p, o))
