"""A printable schedule of a week's meetings (A4 landscape).

Names print exactly as typed, in the bundled fonts the other documents use (embedded). However
many meetings the week holds, the text stays the size of the other documents: a crowded week
runs onto more pages, each with the letterhead and "Page n of N".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable  # type: ignore[import-untyped, unused-ignore]

from sendesk import codes
from sendesk.documents import style
from sendesk.documents.style import DocumentOptions, Letterhead, para, styles, table

TITLE = "Meetings this week"


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


def render_week(
    school: str,
    monday: dt.date,
    lines: Sequence[ScheduleLine],
    printed_on: dt.date | None = None,
    options: DocumentOptions | None = None,
) -> bytes:
    """The PDF of the week starting `monday`."""
    options = options or DocumentOptions()
    printed_on = printed_on or dt.date.today()
    s = styles(options)
    sunday = monday + dt.timedelta(days=6)
    shown = sorted(
        (line for line in lines if line.status != "moved"), key=lambda line: line.starts_at
    )
    story: list[Flowable] = [
        para(f"Meetings for the week of {monday:%A} {monday.day} {monday:%B %Y}", s.title),
        para(
            f"{dates_span(monday, sunday)}: {len(shown)} meeting{'s' if len(shown) != 1 else ''}. "
            "Confidential: contains pupils' names; shred when done.",
            s.small,
        ),
    ]
    if shown:
        rows = []
        for line in shown:
            end = line.starts_at + dt.timedelta(minutes=line.duration_minutes)
            rows.append(
                (
                    line.starts_at.strftime("%a %d/%m"),
                    f"{line.starts_at:%H:%M}–{end:%H:%M}",
                    line.pupil_name,
                    codes.MEETING_KINDS.get(line.kind, line.kind),
                    line.place or "",
                    line.invited or "",
                    codes.MEETING_STATUSES.get(line.status, line.status),
                )
            )
        story += table(
            ("Day", "Time", "Pupil", "Meeting", "Where", "Invited", "Status"), rows, s, wide=True
        )
    else:
        story.append(para("No meetings are planned for this week.", s.body))
    return style.render(story, Letterhead(school, printed_on), options, TITLE, wide=True)


def render(
    school: str,
    monday: dt.date,
    lines: Sequence[ScheduleLine],
    printed_on: dt.date | None = None,
) -> bytes:
    """The week in the standard layout (the calendar's print)."""
    return render_week(school, monday, lines, printed_on)


def dates_span(monday: dt.date, sunday: dt.date) -> str:
    return f"{monday:%d/%m/%Y} to {sunday:%d/%m/%Y}"
