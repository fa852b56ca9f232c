"""Bar and line charts drawn with QPainter.

A plotting library would add tens of megabytes to the installer (QtCharts is not in
PySide6-Essentials; pyqtgraph needs NumPy; Matplotlib more still) for two kinds of chart, so these
two small widgets draw them. They only draw figures the services computed.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#2F6F9F")
MARK = QColor("#9AA3AD")
ROW = 22


class BarChart(QWidget):
    """Horizontal bars, one per label, each with its value written at its end."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.labels: list[str] = []
        self.values: list[float] = []
        self.shown: Callable[[float], str] = lambda v: f"{v:g}"
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(title)

    def set_data(
        self,
        labels: Sequence[str],
        values: Sequence[float],
        shown: Callable[[float], str] | None = None,
    ) -> None:
        self.labels, self.values = list(labels), [float(v) for v in values]
        if shown is not None:
            self.shown = shown
        self.setFixedHeight(self.sizeHint().height())
        self.setToolTip(
            "\n".join(
                f"{k}: {self.shown(v)}" for k, v in zip(self.labels, self.values, strict=True)
            )
        )
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(400, 30 + ROW * max(1, len(self.labels)))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.drawText(0, metrics.ascent() + 2, self.title)
        painter.setFont(self.font())
        if not self.labels:
            painter.drawText(0, 24 + metrics.ascent(), "Nothing to show.")
            return
        label_width = min(
            self.width() // 3, max(metrics.horizontalAdvance(t) for t in self.labels) + 14
        )
        value_width = max(metrics.horizontalAdvance(self.shown(v)) for v in self.values) + 14
        room = max(10, self.width() - label_width - value_width)
        top = max([*self.values, 0.0]) or 1.0
        for i, (label, value) in enumerate(zip(self.labels, self.values, strict=True)):
            y = 24 + i * ROW
            text = label
            if metrics.horizontalAdvance(label) > label_width - 6:
                text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width - 6)
            painter.setPen(self.palette().windowText().color())
            painter.drawText(
                QRectF(0, y, label_width - 4, ROW - 4),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            length = room * max(0.0, value) / top
            painter.fillRect(QRectF(label_width, y + 3, length, ROW - 10), BAR)
            painter.drawText(
                QRectF(label_width + length + 4, y, value_width, ROW - 4),
                Qt.AlignmentFlag.AlignVCenter,
                self.shown(value),
            )
        painter.end()


class LineChart(QWidget):
    """One measure over time, with a dashed line where each cycle began."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = ""
        self.points: list[tuple[dt.date, float]] = []
        self.cycles: list[tuple[int, dt.date]] = []
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(
        self,
        title: str,
        points: Sequence[tuple[dt.date, float]],
        cycles: Sequence[tuple[int, dt.date]],
    ) -> None:
        self.title, self.points, self.cycles = title, sorted(points), list(cycles)
        self.setAccessibleName(title)
        self.setToolTip("\n".join(f"{d.strftime('%d/%m/%Y')}: {v:g}" for d, v in self.points))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        painter.drawText(0, metrics.ascent() + 2, self.title)
        if not self.points:
            painter.drawText(0, 24 + metrics.ascent(), "No scores yet.")
            return
        days = [d.toordinal() for d, _ in self.points] + [d.toordinal() for _, d in self.cycles]
        first, last = min(days), max(days)
        span = max(1, last - first)
        values = [v for _, v in self.points]
        low, high = min(values), max(values)
        if low == high:
            low, high = low - 1, high + 1
        # Margins in the font's own measure (any scaling): the scale's figures at the left, the
        # dates below, and above the highest score a band for the cycles' names, so no name
        # is drawn over a score (from the GUI trial: "Cycle 1" over the first point).
        line = float(metrics.lineSpacing())
        left = max(metrics.horizontalAdvance(f"{v:g}") for v in (low, high)) + 10.0
        top, right, bottom = line + 6.0, self.width() - 12.0, self.height() - line - 8.0
        scores_top = top + line + 4.0

        def at(day: dt.date, value: float) -> QPointF:
            x = left + (right - left) * (day.toordinal() - first) / span
            y = bottom - (bottom - scores_top) * (value - low) / (high - low)
            return QPointF(x, y)

        painter.setPen(QPen(MARK))
        painter.drawLine(QPointF(left, bottom), QPointF(right, bottom))
        painter.drawLine(QPointF(left, top), QPointF(left, bottom))
        half = line / 2
        painter.drawText(
            QRectF(0, scores_top - half, left - 4, line), Qt.AlignmentFlag.AlignRight, f"{high:g}"
        )
        painter.drawText(
            QRectF(0, bottom - half, left - 4, line), Qt.AlignmentFlag.AlignRight, f"{low:g}"
        )
        dashed = QPen(MARK)
        dashed.setStyle(Qt.PenStyle.DashLine)
        for number, opened in self.cycles:
            x = at(opened, low).x()
            painter.setPen(dashed)
            painter.drawLine(QPointF(x, top), QPointF(x, bottom))
            label = f"Cycle {number}"
            width = metrics.horizontalAdvance(label)
            # Near the right edge the label goes to the left of its line, so it is never cut.
            at_x = x + 3 if x + 3 + width <= self.width() else x - 3 - width
            painter.drawText(QPointF(at_x, top + metrics.ascent()), label)
        painter.setPen(QPen(BAR, 2))
        shown = [at(d, v) for d, v in self.points]
        for a, b in itertools.pairwise(shown):
            painter.drawLine(a, b)
        painter.setBrush(BAR)
        for point in shown:
            painter.drawEllipse(point, 3, 3)
        painter.setPen(QPen(self.palette().windowText().color()))
        painter.drawText(QPointF(left, self.height() - 6), self.points[0][0].strftime("%b %Y"))
        end = self.points[-1][0].strftime("%b %Y")
        painter.drawText(QPointF(right - metrics.horizontalAdvance(end), self.height() - 6), end)
        painter.end()
