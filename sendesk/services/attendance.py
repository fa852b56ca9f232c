"""A pupil's attendance per term: record a term's figures from the MIS, or replace them.

Each term has one row per pupil (sessions possible, sessions attended). A save states the version
of the term's figures the user saw, or None when they saw none: figures someone else recorded or
changed in the meantime are never overwritten unseen (`StaleEdit`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from sendesk import attendance
from sendesk.attendance import MOST_SESSIONS, TERMS, TermFigures
from sendesk.attendance_models import TermAttendance
from sendesk.errors import NotFound, StaleEdit, ValidationFailed
from sendesk.models import Pupil
from sendesk.services import Sessions, audit, versions
from sendesk.services.archived import ensure_editable

EARLIEST_YEAR = 2000  # no pupil on a roll today has attendance from before it
__all__ = ["TermFigures", "TermRow", "check", "list_for", "record", "remove"]


@dataclass(frozen=True)
class TermRow:
    id: int
    figures: TermFigures
    version: int

    @property
    def year_label(self) -> str:
        return attendance.year_label(self.figures.school_year)

    @property
    def term_label(self) -> str:
        return TERMS.get(self.figures.term, self.figures.term)

    @property
    def percent(self) -> str:
        f = self.figures
        return attendance.percent_words(f.sessions_attended, f.sessions_possible)

    @property
    def persistently_absent(self) -> bool:
        f = self.figures
        return attendance.persistently_absent(f.sessions_attended, f.sessions_possible)


def check(figures: TermFigures, today: dt.date) -> None:
    problems: dict[str, str] = {}
    if figures.term not in TERMS:
        problems["term"] = "Choose the autumn, spring or summer term."
    this_year = attendance.year_of(today)
    if not EARLIEST_YEAR <= figures.school_year <= this_year:
        problems["school_year"] = (
            f"Choose a school year from {attendance.year_label(EARLIEST_YEAR)} to "
            f"{attendance.year_label(this_year)}."
        )
    possible, attended = figures.sessions_possible, figures.sessions_attended
    if not 0 < possible <= MOST_SESSIONS:
        problems["sessions_possible"] = (
            f"Sessions possible is a whole number from 1 to {MOST_SESSIONS} (a morning or an "
            "afternoon is one session)."
        )
    if attended < 0:
        problems["sessions_attended"] = "Sessions attended cannot be below 0."
    elif attended > possible:
        problems["sessions_attended"] = "A pupil cannot attend more sessions than were possible."
    if problems:
        raise ValidationFailed(problems)


def _row(r: TermAttendance) -> TermRow:
    figures = TermFigures(r.school_year, r.term, r.sessions_possible, r.sessions_attended)
    return TermRow(r.id, figures, r.version)


def list_for(sessions: Sessions, pupil_id: int) -> list[TermRow]:
    """A pupil's figures, oldest term first."""
    with sessions() as session:
        rows = session.execute(
            select(TermAttendance).where(TermAttendance.pupil_id == pupil_id)
        ).scalars()
        found = [_row(r) for r in rows]
    return sorted(found, key=lambda r: attendance.term_order(r.figures.school_year, r.figures.term))


def _what(figures: TermFigures) -> str:
    term = TERMS.get(figures.term, figures.term).lower()
    return f"the {term} term {attendance.year_label(figures.school_year)} attendance"


def _existing(session: Session, pupil_id: int, figures: TermFigures) -> TermAttendance | None:
    return session.execute(
        select(TermAttendance).where(
            TermAttendance.pupil_id == pupil_id,
            TermAttendance.school_year == figures.school_year,
            TermAttendance.term == figures.term,
        )
    ).scalar_one_or_none()


def record(
    sessions: Sessions, pupil_id: int, figures: TermFigures, seen: int | None, today: dt.date
) -> int:
    """Record a term's figures, or replace them; the row's new version.

    `seen` is the version of this term's figures the user saw, None if they saw none.
    """
    check(figures, today)
    what = _what(figures)
    try:
        with sessions.begin() as session:
            pupil = session.get(Pupil, pupil_id)
            if pupil is None:
                raise NotFound("That pupil is no longer in this file.")
            ensure_editable(pupil)
            row = _existing(session, pupil_id, figures)
            if row is None:
                row = TermAttendance(
                    pupil_id=pupil_id, school_year=figures.school_year, term=figures.term,
                    **figures.values(),
                )  # fmt: skip
                session.add(row)
            else:
                if seen is None:  # recorded by someone else since the user looked
                    raise StaleEdit(what, row.version, versions.differences(row, figures.values()))
                versions.ensure_seen(row, seen, figures.values(), what)
                for name, value in figures.values().items():
                    setattr(row, name, value)
            audit.record(session, "attendance.record", "Recorded a term's attendance", pupil.uuid)
            session.flush()
            return row.version
    except (StaleDataError, IntegrityError) as exc:
        # Another save of the same term got there first (a changed row, or a second new one).
        with sessions() as session:
            theirs = _existing(session, pupil_id, figures)
            if theirs is None:
                raise
            raise StaleEdit(
                what, theirs.version, versions.differences(theirs, figures.values())
            ) from exc


def remove(sessions: Sessions, row_id: int, seen: int) -> None:
    """Remove a term's figures typed in error, as the user saw them."""
    with sessions.begin() as session:
        row = session.get(TermAttendance, row_id)
        if row is None:
            raise NotFound("Those attendance figures are no longer in this file.")
        pupil = session.get(Pupil, row.pupil_id)
        assert pupil is not None  # the row belongs to a pupil
        ensure_editable(pupil)
        figures = _row(row).figures
        versions.ensure_seen(row, seen, figures.values(), _what(figures))
        session.delete(row)
        audit.record(session, "attendance.remove", "Removed a term's attendance", pupil.uuid)
