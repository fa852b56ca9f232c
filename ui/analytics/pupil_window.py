"""One pupil's progress and inspection trace: each measure over time with the cycles marked, the
outcome ratings of each cycle, and the golden thread from need to next step."""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from sendesk import codes, dates, figures
from sendesk.cycle import pounds
from sendesk.services import analytics_documents, trace
from sendesk.services.documents import Printable
from ui import background, saving
from ui.analytics.charts import BarChart, LineChart
from ui.analytics.impact_measures_dialog import ImpactMeasuresDialog
from ui.analytics.score_dialog import ScoreDialog
from ui.context import FileContext


def trace_html(found: figures.PupilTrace) -> str:
    """The trace as simple HTML for a text browser (every value escaped)."""
    e = escape
    parts = [
        f"<h2>{e(found.name)}</h2>",
        f"<p>{e(found.year_group)} {e(found.class_name)} · {e(found.status)} · "
        f"{e(', '.join(found.needs) or 'no need recorded')}</p>",
    ]
    if not found.cycles:
        parts.append("<p>No cycle of Assess, Plan, Do, Review yet.</p>")
    for c in found.cycles:
        closed = f" to {dates.show(c.closed_on)}" if c.closed_on else ""
        parts.append(f"<h3>Cycle {c.number}: {e(c.stage)}, {dates.show(c.opened_on)}{closed}</h3>")
        parts.append(
            f"<p><b>Need:</b> {e(', '.join(c.needs) or 'not recorded')}. "
            f"<b>Concern:</b> {e(c.concern or 'not recorded')}</p>"
        )
        parts.append("<p><b>Outcomes</b></p><ul>")
        for o in c.outcomes:
            comment = f": {e(o.comment)}" if o.comment else ""
            parts.append(
                f"<li>{e(o.description)} (<i>{e(o.success_criteria)}</i>) — "
                f"<b>{e(o.rating)}</b>{comment}</li>"
            )
        parts.append("</ul><p><b>Provision</b></p><ul>")
        for p in c.provisions:
            measured = ""
            if p.measure:
                measured = f"; {e(p.measure)}: " + (
                    f"{p.entry:g} → {p.exit:g} ({p.change:+g})"
                    if p.entry is not None and p.exit is not None and p.change is not None
                    else "no entry and exit scores yet"
                )
            impact = f"; impact: {e(p.impact)}" if p.impact else ""
            parts.append(
                f"<li>{e(p.description)} ({e(p.delivered_by or 'not said')}), "
                f"{p.sessions_delivered} of {p.sessions_planned} sessions, "
                f"{pounds(p.cost_pence)}{measured}{impact}</li>"
            )
        parts.append("</ul>")
        if c.reviewed_on:
            parts.append(
                f"<p><b>Review</b> {dates.show(c.reviewed_on)}: "
                f"{e(c.review_summary or 'no summary')}</p>"
            )
        if c.next_step:
            parts.append(f"<p><b>Next step:</b> {e(c.next_step)}</p>")
    return "\n".join(parts)


class PupilAnalytics(QDialog):
    scores_changed = Signal()
    saved = Signal(str)  # "Saved trace.pdf", for the main window's status bar

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
        self.resize(900, 700)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        caption = QLabel("&Measure:")
        self.measure = QComboBox()
        self.measure.setAccessibleName("Measure")
        self.measure.currentIndexChanged.connect(self._show_series)
        caption.setBuddy(self.measure)
        row.addWidget(caption)
        row.addWidget(self.measure, 1)
        self.record_button = QPushButton("&Record a score…")
        self.record_button.clicked.connect(self.record_score)
        row.addWidget(self.record_button)
        self.measures_button = QPushButton("&Impact measures…")
        self.measures_button.clicked.connect(self.choose_measures)
        row.addWidget(self.measures_button)
        self.pdf_button = QPushButton("Save trace as &PDF…")
        self.pdf_button.clicked.connect(self.save_pdf)
        row.addWidget(self.pdf_button)
        layout.addLayout(row)
        split = QSplitter()
        charts = QWidget()
        column = QVBoxLayout(charts)
        self.line = LineChart()
        self.ratings = BarChart("Outcomes achieved or at good progress, by cycle")
        column.addWidget(self.line, 1)
        column.addWidget(self.ratings)
        self.trace = QTextBrowser()
        self.trace.setObjectName("trace")
        split.addWidget(charts)
        split.addWidget(self.trace)
        layout.addWidget(split, 1)
        self.reload()

    def reload(self) -> None:
        self.progress = trace.progress(self.ctx.sessions, self.pupil_id)
        self.setWindowTitle(f"Progress and trace: {self.progress.name}")
        chosen = self.measure.currentText()
        self.measure.blockSignals(True)
        self.measure.clear()
        for series in self.progress.series:
            self.measure.addItem(series.measure)
        index = self.measure.findText(chosen)
        self.measure.setCurrentIndex(max(0, index))
        self.measure.blockSignals(False)
        self._show_series()
        good = {codes.Rating.ACHIEVED, codes.Rating.GOOD_PROGRESS}
        self.ratings.set_data(
            [f"Cycle {c.number}" for c in self.progress.cycles],
            [sum(n for r, n in c.ratings.items() if r in good) for c in self.progress.cycles],
        )
        self.trace.setHtml(trace_html(trace.build(self.ctx.sessions, self.pupil_id)))

    def _show_series(self) -> None:
        cycles = [(c.number, c.opened_on) for c in self.progress.cycles]
        index = self.measure.currentIndex()
        if index < 0 or index >= len(self.progress.series):
            # The chart itself says "No scores yet." beneath: not said twice (the GUI trial).
            self.line.set_data("Scores on the school's measures", [], [])
            return
        series = self.progress.series[index]
        better = "higher" if series.higher_is_better else "lower"
        self.line.set_data(
            f"{series.measure} ({series.unit}; {better} is better)",
            [(d, v) for d, v, _p in series.points],
            cycles,
        )

    def record_score(self) -> None:
        dialog = ScoreDialog(self.ctx, self.pupil_id, self, self.today)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()
            self.scores_changed.emit()

    def choose_measures(self) -> None:
        dialog = ImpactMeasuresDialog(self.ctx, self.pupil_id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def save_pdf(self) -> background.Job[Printable]:
        """The trace made and saved off the GUI thread (ReportLab takes a while on a long one)."""
        pupil_id, today = self.pupil_id, self.today
        return saving.make_and_save(
            self,
            self.ctx,
            "the inspection trace",
            lambda sessions: analytics_documents.trace_doc(sessions, pupil_id, today),
            lambda written: self.saved.emit(f"Saved {written.name}"),
        )
