"""The table of a pupil's attendance per term, as the school's MIS reports it.

Imported at the end of `sendesk.models` so the table is always part of the one metadata.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sendesk.attendance import TERMS
from sendesk.codes import sql_in
from sendesk.models import Base, Versioned


class TermAttendance(Versioned, Base):
    """One pupil's sessions possible and attended in one term of one school year."""

    __tablename__ = "term_attendance"
    __table_args__ = (
        CheckConstraint(f"term IN {sql_in(TERMS)}", name="term"),
        CheckConstraint(
            "sessions_possible >= 0 AND sessions_attended >= 0 "
            "AND sessions_attended <= sessions_possible",
            name="sessions",
        ),
        UniqueConstraint("pupil_id", "school_year", "term", name="uq_term_attendance_pupil_term"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The unique constraint's index starts with pupil_id, so it serves lookups by pupil too.
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"))
    school_year: Mapped[int] = mapped_column(Integer)  # the year it starts in: 2025 for 2025/26
    term: Mapped[str] = mapped_column(String(6))
    sessions_possible: Mapped[int] = mapped_column(Integer)
    sessions_attended: Mapped[int] = mapped_column(Integer)
