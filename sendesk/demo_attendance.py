"""The demo school's attendance by term and its age-related expectations, so the evidence pack
of a made-up pupil shows what a real one would (made-up figures, never a real school's)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from sendesk.attendance import year_of
from sendesk.attendance_models import TermAttendance
from sendesk.demo_rows import insert_rows
from sendesk.measure_models import AssessmentMeasure, MeasureExpectation
from sendesk.models import Pupil

# About how many half-day sessions each term holds, and the month and day it ends.
_TERMS = (("autumn", 140, (12, 20)), ("spring", 120, (3, 31)), ("summer", 130, (7, 20)))
PERSISTENTLY_ABSENT = 0.12  # the share of pupils on SEN support who attend under 90%
# The value expected of a pupil by year group: an age in months at the middle of the year, and
# the mean of a standardised score. A school sets its own; these are examples.
_AGES = {year: 54.0 + 12 * year for year in range(0, 7)}
EXPECTED: dict[str, dict[int, float]] = {
    "Reading age": _AGES,
    "Spelling age": _AGES,
    "Standardised reading score": dict.fromkeys(_AGES, 100.0),
}


def add(session: Session, rng: random.Random, today: dt.date, batch: int) -> None:
    """The finished terms of this school year and the last, for every pupil on SEN support,
    written `batch` pupils at a time."""
    this_year = year_of(today)
    terms = []
    for start in (this_year - 1, this_year):
        for term, possible, (month, day) in _TERMS:
            ends = dt.date(start + (month < 9), month, day)
            if ends < today:
                terms.append((start, term, possible))
    pupils = (
        session.execute(select(Pupil.id).where(Pupil.sen_status.in_(("K", "E"))).order_by(Pupil.id))
        .scalars()
        .all()
    )
    rows: list[dict[str, Any]] = []
    table = cast(Table, TermAttendance.__table__)
    for number, pupil_id in enumerate(pupils, 1):
        usual = rng.uniform(0.8, 0.9) if rng.random() < PERSISTENTLY_ABSENT else rng.uniform(0.9, 1)
        for school_year, term, possible in terms:
            share = min(1.0, max(0.5, usual + rng.uniform(-0.04, 0.04)))
            rows.append(
                {
                    "pupil_id": pupil_id,
                    "school_year": school_year,
                    "term": term,
                    "sessions_possible": possible,
                    "sessions_attended": round(possible * share),
                }
            )
        if number % batch == 0 and rows:
            insert_rows(session.connection(), table, rows)
            rows = []
    if rows:
        insert_rows(session.connection(), table, rows)
    measures = {m.name: m.id for m in session.execute(select(AssessmentMeasure)).scalars()}
    expected = []
    for name, values in EXPECTED.items():
        if name not in measures:
            continue
        expected += [
            {"measure_id": measures[name], "year_group": year, "expected": value}
            for year, value in values.items()
        ]
    if expected:
        session.execute(insert(MeasureExpectation), expected)
