"""A printable one-page schedule of a week's meetings (A4 landscape).

Names print exactly as typed, in the bundled Unicode font the other documents use.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepInFrame, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sendesk import codes
from sendesk.documents.style import BOLD, FONT, markup, register_fonts

MAX_ROWS = 60  # beyond this a week is summarised; the table shrinks to fit one page anyway


@dataclass(frozen=True)
class ScheduleLine:
    """One meeting on the printed week."""

    starts_at: dt.datetime
    duration_minutes: int
    pupil_name: str
    kind: str
    place: str | None
    invited: str | None
    status: str


def _styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    title = ParagraphStyle("title", fontName=BOLD, fontSize=15, leading=19)
    sub = ParagraphStyle("sub", fontName=FONT, fontSize=9.5, leading=12)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=10.5)
    head = ParagraphStyle("head", parent=cell, fontName=BOLD)
    return title, sub, cell, head


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup(text), style)


def render(
    school: str,
    monday: dt.date,
    lines: Sequence[ScheduleLine],
    printed_on: dt.date | None = None,
) -> bytes:
    """The PDF of the week starting `monday`: one page, whatever the number of meetings."""
    register_fonts()
    printed_on = printed_on or dt.date.today()
    sunday = monday + dt.timedelta(days=6)
    title, sub, cell, head = _styles()
    shown = sorted(
        (line for line in lines if line.status != "moved"), key=lambda line: line.starts_at
    )
    extra = len(shown) - MAX_ROWS
    shown = shown[:MAX_ROWS]

    rows: list[list[Paragraph]] = [
        [_p(h, head) for h in ("Day", "Time", "Pupil", "Meeting", "Where", "Invited", "Status")]
    ]
    for line in shown:
        end = line.starts_at + dt.timedelta(minutes=line.duration_minutes)
        rows.append(
            [
                _p(line.starts_at.strftime("%a %d/%m"), cell),
                _p(f"{line.starts_at:%H:%M}–{end:%H:%M}", cell),
                _p(line.pupil_name, cell),
                _p(codes.MEETING_KINDS.get(line.kind, line.kind), cell),
                _p(line.place or "", cell),
                _p(line.invited or "", cell),
                _p(codes.MEETING_STATUSES.get(line.status, line.status), cell),
            ]
        )
    widths = [22 * mm, 24 * mm, 48 * mm, 44 * mm, 34 * mm, 70 * mm, 20 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    heading = f"Meetings for the week of {monday:%A} {monday.day} {monday:%B %Y}"
    story = [
        _p(heading, title),
        _p(
            f"{school} · {dates_span(monday, sunday)} · printed {printed_on:%d/%m/%Y} · "
            "Confidential: contains pupils' names; shred when done.",
            sub,
        ),
        Spacer(1, 5 * mm),
    ]
    if shown:
        story.append(table)
    else:
        story.append(_p("No meetings are planned for this week.", sub))
    if extra > 0:
        story.append(Spacer(1, 3 * mm))
        story.append(_p(f"… and {extra} more meetings: see the calendar in SENDesk.", sub))

    buffer = io.BytesIO()
    page = landscape(A4)
    margin = 12 * mm
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=f"Meetings, week of {monday.isoformat()}",
        author="SENDesk",
        creator="SENDesk",
    )
    frame_w, frame_h = page[0] - 2 * margin, page[1] - 2 * margin - 1
    doc.build([KeepInFrame(frame_w, frame_h, story, mode="shrink")])
    return buffer.getvalue()


def dates_span(monday: dt.date, sunday: dt.date) -> str:
    return f"{monday:%d/%m/%Y} to {sunday:%d/%m/%Y}"
