"""A stage wizard's page of scores on the school's measures: the baselines at Assess, the exit
scores at Review (each beside the baseline it is compared with). What is typed is read and
checked by `sendesk.scoring`; the stage's own save stores it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidgetItem, QVBoxLayout

from sendesk import dates, scoring
from sendesk.errors import BadInput
from sendesk.scoring import Scale, StageScore, TypedScore
from sendesk.services import measures as measure_service
from sendesk.services.measures import MeasureView, ScoreView
from ui.wizards.base import StagePage
from ui.wizards.rows_table import Column, RowsTable

MEASURE, EARLIER = 0, 1  # the columns every table has first, and the one beside it at Review


def _label(m: MeasureView) -> str:
    retired = " (retired)" if m.retired else ""
    return f"{m.details.name} ({m.details.unit}){retired}"


class ScoresTable(RowsTable):
    """Rows of measure, score, date (today unless changed) and note; with `earlier`, a column
    beside the measure shows the score taken at an earlier stage, kept up with the measure
    chosen."""

    def __init__(
        self,
        name: str,
        offered: Sequence[MeasureView],
        today: dt.date,
        score_title: str = "Score",
        earlier: tuple[str, Mapping[int, tuple[str, str]]] | None = None,
    ) -> None:
        self.earlier = earlier  # (column title, measure id -> (cell text, its tooltip))
        columns = [
            Column("Measure", [(m.id, _label(m)) for m in offered], blank="Choose…", stretch=True),
            *([Column(earlier[0])] if earlier else []),
            Column(score_title),
            Column("Date (DD/MM/YYYY)", default=dates.show(today)),
            Column("Note"),
        ]
        super().__init__(name, columns, "&Add a score")
        self.score_column = 2 if earlier else 1
        # The measure takes the room left; a note, seldom written, may be widened by hand.
        self.table.horizontalHeader().setSectionResizeMode(
            len(columns) - 1, QHeaderView.ResizeMode.Interactive
        )
        self.changed.connect(self._show_earlier)

    def _show_earlier(self) -> None:
        if self.earlier is None:
            return
        self.table.blockSignals(True)  # its own text is no change of what was typed
        try:
            for row in range(self.table.rowCount()):
                code = self.combo(row, MEASURE).code()
                text, tip = (
                    self.earlier[1].get(code, ("none", "")) if isinstance(code, int) else ("", "")
                )
                item = self.table.item(row, EARLIER)
                if item is None:
                    item = QTableWidgetItem()
                    self.table.setItem(row, EARLIER, item)
                item.setText(text)
                item.setToolTip(tip)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        finally:
            self.table.blockSignals(False)

    def typed(self) -> list[TypedScore]:
        rows = []
        for cells in self.values():
            measure = cells[MEASURE]
            value, day, note = (str(c) for c in cells[self.score_column : self.score_column + 3])
            rows.append(TypedScore(measure if isinstance(measure, int) else None, value, day, note))
        return rows

    def set_scores(self, shown: Sequence[ScoreView]) -> None:
        self.set_values(
            [s.measure_id, *([""] if self.earlier else []), f"{s.value:g}",
             dates.show(s.recorded_on), s.note]
            for s in shown
        )  # fmt: skip

    def offer(self, measure_ids: Sequence[int]) -> None:
        """A row, with no score yet, for each of these measures that has none."""
        present = {cells[MEASURE] for cells in self.values()}
        for measure_id in measure_ids:
            if measure_id not in present and self.combo_has(measure_id):
                self.add_row([measure_id])

    def combo_has(self, measure_id: int) -> bool:
        choices = self.columns[MEASURE].choices or ()
        return any(code == measure_id for code, _label in choices)


class ScoresPage(StagePage):
    """The scores of one stage; `point` is "baseline" or "exit"."""

    def __init__(
        self,
        title: str,
        subtitle: str,
        point: str,
        measures: Sequence[MeasureView],
        stored: Sequence[ScoreView],
        today: dt.date,
        earlier: tuple[str, Mapping[int, tuple[str, str]]] | None = None,
    ) -> None:
        super().__init__(title, subtitle)
        self.point, self.today = point, today
        held = {s.measure_id for s in stored}
        # The school's measures, and a retired one only where this cycle already holds its score.
        offered = [m for m in measures if not m.retired or m.id in held]
        self.scales: dict[int, Scale] = {m.id: m.scale for m in offered}
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems)
        score_title = "Exit score" if point == "exit" else "Baseline"
        self.table = ScoresTable(title, offered, today, score_title, earlier)
        self.table.set_scores(stored)
        if not offered:
            layout.addWidget(QLabel("The school has no measures yet: add them in Settings."))
        layout.addWidget(self.table)
        hint = QLabel("A row with no score is not recorded.")
        hint.setWordWrap(True)
        layout.addWidget(hint)

    def scores(self) -> list[StageScore]:
        """The scores typed; `BadInput`, naming the measure, when one cannot be read."""
        return scoring.read_rows(self.table.typed(), self.scales)

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        try:
            found = self.scores()
        except BadInput as exc:
            return self.complain(exc.message)
        what = measure_service.STAGE_SCORE_WORDS[self.point]
        return self.complain(" ".join(scoring.stage_problems(found, self.scales, what, self.today)))
