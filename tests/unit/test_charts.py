"""The PDF charts keep every label inside the drawing."""

from __future__ import annotations

import datetime as dt

from reportlab.graphics.shapes import String
from reportlab.pdfbase.pdfmetrics import stringWidth

from sendesk.documents import charts, style
from sendesk.documents.style import DocumentOptions


def test_a_cycle_that_opens_at_the_end_of_the_chart_keeps_its_label_inside() -> None:
    style.styles(DocumentOptions())  # registers the fonts the chart draws with
    days = [dt.date(2026, 1, 5) + dt.timedelta(weeks=4 * n) for n in range(8)]
    points = [(day, 80.0 + n) for n, day in enumerate(days)]
    cycles = [(1, days[0]), (2, days[3]), (3, days[-1])]  # the last opens on the last score
    for size in (7.0, 12.0, 16.0):
        drawing = charts.progress_lines("Reading age", points, cycles, 400, text_size=size)
        labels = [s for s in drawing.contents if isinstance(s, String)]
        assert {s.text for s in labels} >= {"Cycle 1", "Cycle 2", "Cycle 3"}
        for label in labels:
            right = label.x + stringWidth(label.text, label.fontName, label.fontSize)
            assert label.x >= 0 and right <= drawing.width, (label.text, size)
