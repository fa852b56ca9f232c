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
from reportlab.graphics.widgets.markers import makeMarker  # type: ignore[import-untyped, unused-ignore]
from reportlab.lib import colors  # type: ignore[import-untyped, unused-ignore]
from reportlab.pdfbase.pdfmetrics import stringWidth  # type: ignore[import-untyped, unused-ignore]

from sendesk.documents import style
from sendesk.documents.scripts import BOLD, FONT
from sendesk.documents.style import INK, RULE, register_fonts

BAR = colors.HexColor("#2F6F9F")
CYCLE_MARK = colors.HexColor("#9AA3AD")
EXPECTED = colors.HexColor("#B5651D")  # apart from the scores in colour, and dashed in grey print
EXPECTED_WORDS = "Expected for the year group"
SHORTEST_SPAN = 120  # days: the least a progress chart's time axis spans


def _drawing(width: float, height: float, text_size: float) -> Drawing:
    """An empty drawing whose text starts in SENDesk's embedded font at the chart's text size:
    ReportLab's default state names an unembedded Helvetica at 10 points."""
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT
    drawing.initialFontSize = text_size
    return drawing


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
    drawing = _drawing(width, height, 8)
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


def _month_starts(low_day: int, high_day: int, most: int = 6) -> list[int]:
    """The first days of months on a time axis, every month or every few, at most `most`."""
    first = dt.date.fromordinal(low_day).replace(day=1)
    starts = []
    while first.toordinal() <= high_day:
        if first.toordinal() >= low_day:
            starts.append(first.toordinal())
        first = (first + dt.timedelta(days=32)).replace(day=1)
    step = -(-len(starts) // most) if starts else 1
    return starts[::step]


def progress_lines(
    title: str,
    points: Sequence[tuple[dt.date, float]],
    cycles: Sequence[tuple[int, dt.date]],
    width: float,
    height: float = 150,
    expected: Sequence[tuple[dt.date, float]] = (),
    text_size: float = 7,
) -> Drawing:
    """One measure over time, with a dashed line where each cycle began and, when the school
    records them, the values expected for the pupil's year group on the same days (dashed).

    `text_size` is the smallest text on the chart (a large-print document's is 16 points); the
    chart grows to keep its plot the same height.
    """
    register_fonts()
    title_size = text_size * 10 / 7
    legend = text_size * 1.6 if expected else 0.0
    height += (text_size - 7) * 4 + legend
    drawing = _drawing(width, height, text_size)
    drawing.add(
        String(
            0,
            height - title_size,
            style.clean(title),
            fontName=BOLD,
            fontSize=title_size,
            fillColor=INK,
        )
    )
    if len(points) < 1:
        drawing.add(
            String(
                0,
                height - 2.8 * text_size,
                style.clean("No scores yet."),
                fontName=FONT,
                fontSize=text_size,
            )
        )
        return drawing
    days = [_day(d) for d, _v in points] + [_day(d) for _n, d in cycles]
    low_day, high_day = min(days), max(days)
    if high_day - low_day < SHORTEST_SPAN:  # a score or two: a few months of axis around them
        middle = (low_day + high_day) // 2
        low_day, high_day = middle - SHORTEST_SPAN // 2, middle + SHORTEST_SPAN // 2
    values = [v for _d, v in points] + [v for _d, v in expected]
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    plot = LinePlot()
    plot.x, plot.y = text_size * 5.2, text_size * 3.4 + legend
    plot.width = width - plot.x - text_size * 2
    plot.height = height - plot.y - (title_size * 2.6 if title else text_size)
    plot.data = [[(_day(d), v) for d, v in points]]
    if expected:
        plot.data.append([(_day(d), v) for d, v in expected])
        plot.lines[1].strokeColor = EXPECTED
        plot.lines[1].strokeWidth = 1.5
        plot.lines[1].strokeDashArray = [5, 3]
        plot.lines[1].symbol = None
    plot.lines[0].strokeColor = BAR
    plot.lines[0].strokeWidth = 1.5
    plot.lines[0].symbol = makeMarker("FilledCircle", size=4, fillColor=BAR, strokeColor=BAR)
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = low_day, high_day
    plot.xValueAxis.valueSteps = _month_starts(low_day, high_day)
    plot.xValueAxis.labels.fontName = FONT
    plot.xValueAxis.labels.fontSize = text_size
    plot.xValueAxis.labelTextFormat = lambda n: style.clean(
        dt.date.fromordinal(int(n)).strftime("%b %y")
    )
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = low, high
    plot.yValueAxis.labels.fontName = FONT
    plot.yValueAxis.labels.fontSize = text_size
    drawing.add(plot)
    if expected:
        y = text_size * 0.3
        drawing.add(
            Line(0, y + text_size / 3, 18, y + text_size / 3, strokeColor=BAR, strokeWidth=1.5)
        )
        drawing.add(
            String(22, y, style.clean("Scores"), fontName=FONT, fontSize=text_size, fillColor=INK)
        )
        left = 30 + text_size * 4
        drawing.add(
            Line(left, y + text_size / 3, left + 18, y + text_size / 3, strokeColor=EXPECTED,
                 strokeWidth=1.5, strokeDashArray=[5, 3])
        )  # fmt: skip
        drawing.add(
            String(
                left + 22,
                y,
                style.clean(EXPECTED_WORDS),
                fontName=FONT,
                fontSize=text_size,
                fillColor=INK,
            )
        )
    span = high_day - low_day
    for number, opened in cycles:
        x = plot.x + plot.width * (_day(opened) - low_day) / span
        drawing.add(
            Line(x, plot.y, x, plot.y + plot.height, strokeColor=CYCLE_MARK, strokeDashArray=[3, 2])
        )
        label = style.clean(f"Cycle {number}")
        wide = stringWidth(label, FONT, text_size)
        # Right of its line, unless that runs past the plot: then to the left of it.
        left = x + 2 if x + 2 + wide <= plot.x + plot.width else x - 2 - wide
        drawing.add(
            String(
                left,
                plot.y + plot.height - text_size - 1,
                label,
                fontName=FONT,
                fontSize=text_size,
                fillColor=CYCLE_MARK,
            )
        )
    return drawing
