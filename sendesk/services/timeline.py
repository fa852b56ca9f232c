"""Read-only views of a pupil's cycles and meetings for the record's tabs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sendesk.models import Cycle, Meeting
from sendesk.services import Sessions


@dataclass(frozen=True)
class OutcomeLine:
    description: str
    rating: str | None


@dataclass(frozen=True)
class CycleSummary:
    id: int
    number: int
    stage: str
    opened_on: dt.date
    closed_on: dt.date | None
    review_date: dt.date | None
    next_step: str | None
    outcomes: list[OutcomeLine]


@dataclass(frozen=True)
class MeetingRow:
    id: int
    kind: str
    starts_at: dt.datetime
    duration_minutes: int
    place: str | None
    status: str


def cycles(sessions: Sessions, pupil_id: int) -> list[CycleSummary]:
    """Every cycle of a pupil, newest first, with its outcomes and their ratings."""
    with sessions() as session:
        found = session.execute(
            select(Cycle)
            .where(Cycle.pupil_id == pupil_id)
            .options(selectinload(Cycle.outcomes))
            .order_by(Cycle.number.desc())
        ).scalars()
        return [
            CycleSummary(
                c.id,
                c.number,
                c.stage,
                c.opened_on,
                c.closed_on,
                c.review_date,
                c.next_step,
                [OutcomeLine(o.description, o.rating) for o in c.outcomes],
            )
            for c in found
        ]


def meetings(sessions: Sessions, pupil_id: int) -> list[MeetingRow]:
    with sessions() as session:
        found = session.execute(
            select(Meeting).where(Meeting.pupil_id == pupil_id).order_by(Meeting.starts_at.desc())
        ).scalars()
        return [
            MeetingRow(m.id, m.kind, m.starts_at, m.duration_minutes, m.place, m.status)
            for m in found
        ]
