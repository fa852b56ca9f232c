"""Bar and line charts for printed reports, drawn with ReportLab's own graphics from figures the
services computed (no plotting library in the installer)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import (  # type: ignore[import-untyped, unused-ignore]
    HorizontalBarChart,
)
from reportlab.graphics.charts.lineplots import LinePlot  # type: ignore[import-untyped, unused-ignore]
from reportlab.graphics.shapes import Drawing, Line, String  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib import colors  # type: ignore[import-untyped, unused-ignore]

from sendesk.documents.scripts import BOLD, FONT
from sendesk.documents.style import INK, RULE, register_fonts

BAR = colors.HexColor("#2F6F9F")
CYCLE_MARK = colors.HexColor("#9AA3AD")


def bars(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    width: float,
    value_label: str = "{:g}",
) -> Drawing:
    """A horizontal bar chart: one bar per label, its value printed at the end of the bar."""
    register_fonts()
    row = 16.0
    height = 28 + row * max(len(labels), 1)
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, title, fontName=BOLD, fontSize=10, fillColor=INK))
    if not labels:
        drawing.add(String(0, height - 28, "Nothing to show.", fontName=FONT, fontSize=9))
        return drawing
    label_width = min(width * 0.4, 6.0 * max(len(label) for label in labels) + 8)
    chart = HorizontalBarChart()
    chart.x = label_width
    chart.y = 4
    chart.width = width - label_width - 60
    chart.height = row * len(labels)
    chart.data = [list(reversed([float(v) for v in values]))]
    chart.categoryAxis.categoryNames = list(reversed(list(labels)))
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.visible = False
    chart.valueAxis.valueMin = min(0.0, *(float(v) for v in values))
    chart.valueAxis.valueMax = max(1.0, *(float(v) for v in values))
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = lambda v: value_label.format(v)
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 8
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def _day(day: dt.date) -> int:
    return day.toordinal()


def progress_lines(
    title: str,
    points: Sequence[tuple[dt.date, float]],
    cycles: Sequence[tuple[int, dt.date]],
    width: float,
    height: float = 150,
) -> Drawing:
    """One measure over time, with a dashed line where each cycle began."""
    register_fonts()
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, title, fontName=BOLD, fontSize=10, fillColor=INK))
    if len(points) < 1:
        drawing.add(String(0, height - 28, "No scores yet.", fontName=FONT, fontSize=9))
        return drawing
    days = [_day(d) for d, _v in points] + [_day(d) for _n, d in cycles]
    low_day, high_day = min(days), max(days)
    if low_day == high_day:
        high_day += 1
    values = [v for _d, v in points]
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    plot = LinePlot()
    plot.x, plot.y = 36, 24
    plot.width, plot.height = width - 50, height - 50
    plot.data = [[(_day(d), v) for d, v in points]]
    plot.lines[0].strokeColor = BAR
    plot.lines[0].strokeWidth = 1.5
    plot.lines[0].symbol = None
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = low_day, high_day
    plot.xValueAxis.labels.fontName = FONT
    plot.xValueAxis.labels.fontSize = 7
    plot.xValueAxis.labelTextFormat = lambda n: dt.date.fromordinal(int(n)).strftime("%b %y")
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = low, high
    plot.yValueAxis.labels.fontName = FONT
    plot.yValueAxis.labels.fontSize = 7
    drawing.add(plot)
    span = high_day - low_day
    for number, opened in cycles:
        x = plot.x + plot.width * (_day(opened) - low_day) / span
        drawing.add(
            Line(x, plot.y, x, plot.y + plot.height, strokeColor=CYCLE_MARK, strokeDashArray=[3, 2])
        )
        drawing.add(
            String(
                x + 2,
                plot.y + plot.height - 8,
                f"Cycle {number}",
                fontName=FONT,
                fontSize=7,
                fillColor=CYCLE_MARK,
            )
        )
    return drawing
