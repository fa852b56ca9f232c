"""Assess: the concern, areas of need, evidence, baseline scores on the school's measures, and the
views of parents, pupil and teacher."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from sendesk import codes, dates
from sendesk import cycle as rules
from sendesk.cycle import AssessData, EvidenceItem
from sendesk.errors import BadInput
from sendesk.services import cycles, measures
from ui.context import FileContext
from ui.widgets import add_row, text_area
from ui.wizards.base import StagePage, StageWizard
from ui.wizards.rows_table import Column, RowsTable
from ui.wizards.scores_page import ScoresPage


class ConcernPage(StagePage):
    def __init__(self) -> None:
        super().__init__("What is the concern?", "In a few sentences, as you would tell a parent.")
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        self.concern = text_area("Concern", "What have you and the class teacher noticed?")
        layout.addWidget(self.concern)

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        return self.complain(rules.concern_problem(self.concern.toPlainText()))


class NeedsPage(StagePage):
    def __init__(self) -> None:
        super().__init__("Areas of need", "Tick the census types of need this concern is about.")
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        self.needs = QListWidget()
        self.needs.setAccessibleName("Areas of need")
        for need in codes.NEED_TYPES:
            area = codes.area_of_need(need.code)
            item = QListWidgetItem(
                f"{need.code}: {need.label}" + (f" ({area.label})" if area else "")
            )
            item.setData(Qt.ItemDataRole.UserRole, need.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.needs.addItem(item)
        layout.addWidget(self.needs)

    def checked(self) -> list[str]:
        return [
            str(self.needs.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.needs.count())
            if self.needs.item(i).checkState() == Qt.CheckState.Checked
        ]

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        return self.complain(rules.needs_problem(self.checked()))

    def set_checked(self, chosen: list[str]) -> None:
        for i in range(self.needs.count()):
            item = self.needs.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


EVIDENCE_COLUMNS = (
    Column("Type", tuple(codes.EVIDENCE_KINDS.items()), default="observation"),
    Column("Date (DD/MM/YYYY)"),
    Column("Source"),
    Column("Score"),
    Column("Note", stretch=True),
)


class EvidencePage(StagePage):
    def __init__(self) -> None:
        super().__init__(
            "Evidence", "Tests, observations, work samples, teacher assessments, outside reports."
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        self.table = RowsTable("Evidence", EVIDENCE_COLUMNS, "&Add evidence")
        layout.addWidget(self.table)

    def items(self) -> list[EvidenceItem]:
        found = []
        for kind, day, source, score, note in self.table.values():
            found.append(
                EvidenceItem(
                    str(kind), dates.parse_optional(str(day)), str(source), str(score), str(note)
                )
            )
        return found

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        try:
            self.items()
        except BadInput as exc:
            return self.complain(exc.message)
        return self.complain(None)


class ViewsPage(StagePage):
    def __init__(self) -> None:
        super().__init__("Views", "What the parents, the pupil and the class teacher say.")
        form = QFormLayout(self)
        self.parents = text_area("Parents' views")
        self.pupil = text_area("Pupil's views", "In their own words")
        self.teacher = text_area("Teacher's views")
        add_row(form, "&Parents:", self.parents)
        add_row(form, "P&upil:", self.pupil)
        add_row(form, "&Teacher:", self.teacher)


class AssessWizard(StageWizard):
    stage = "assess"
    continue_text = "Finish and continue to &Plan"

    def __init__(
        self, ctx: FileContext, pupil_id: int, cycle_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, pupil_id, cycle_id, parent)
        self.concern_page = ConcernPage()
        self.needs_page = NeedsPage()
        self.evidence_page = EvidencePage()
        self.scores_page = ScoresPage(
            "Baseline scores",
            "Where the pupil starts on the school's measures: the scores each provision's impact "
            "is measured from at the Review.",
            "baseline",
            measures.list_measures(ctx.sessions, include_retired=True),
            measures.stage_scores(ctx.sessions, cycle_id, "baseline"),
            self.today(),
        )
        self.views_page = ViewsPage()
        pages = (
            self.concern_page,
            self.needs_page,
            self.evidence_page,
            self.scores_page,
            self.views_page,
        )
        for page in pages:
            self.addPage(page)
        self.setButtonText(StageWizard.WizardButton.FinishButton, "&Finish Assess")
        self._show(self.state.assess)
        # A new cycle starts from the needs already recorded for the pupil.
        needs = rules.needs_to_assess(self.state.assess.needs, self.pupil_needs)
        self.needs_page.set_checked(needs)

    def _show(self, data: AssessData) -> None:
        self.concern_page.concern.setPlainText(data.concern)
        self.needs_page.set_checked(data.needs)
        self.evidence_page.table.set_values(
            [e.kind, dates.show(e.recorded_on), e.source, e.score, e.note] for e in data.evidence
        )
        self.views_page.parents.setPlainText(data.parent_views)
        self.views_page.pupil.setPlainText(data.pupil_views)
        self.views_page.teacher.setPlainText(data.teacher_views)

    def data(self) -> AssessData:
        return AssessData(
            concern=self.concern_page.concern.toPlainText(),
            needs=self.needs_page.checked(),
            evidence=self.evidence_page.items(),
            parent_views=self.views_page.parents.toPlainText(),
            pupil_views=self.views_page.pupil.toPlainText(),
            teacher_views=self.views_page.teacher.toPlainText(),
            baselines=self.scores_page.scores(),
        )

    def collect(self) -> dict[str, Any]:
        return {
            "concern": self.concern_page.concern.toPlainText(),
            "needs": self.needs_page.checked(),
            "evidence": self.evidence_page.table.values(),
            "baselines": self.scores_page.table.values(),
            "parents": self.views_page.parents.toPlainText(),
            "pupil": self.views_page.pupil.toPlainText(),
            "teacher": self.views_page.teacher.toPlainText(),
        }

    def restore(self, data: dict[str, Any]) -> None:
        self.concern_page.concern.setPlainText(data.get("concern", ""))
        self.needs_page.set_checked(data.get("needs", []))
        self.evidence_page.table.set_values(data.get("evidence", []))
        if "baselines" in data:  # a draft from before baselines were asked for has none
            self.scores_page.table.set_values(data["baselines"])
        self.views_page.parents.setPlainText(data.get("parents", ""))
        self.views_page.pupil.setPlainText(data.get("pupil", ""))
        self.views_page.teacher.setPlainText(data.get("teacher", ""))

    def apply(self) -> str:
        cycles.save_assess(
            self.ctx.sessions,
            self.cycle_id,
            self.data(),
            complete=True,
            seen=self.seen,
            today=self.today(),
        )
        return f"Cycle {self.state.number}: Assess complete; next, the Plan"
