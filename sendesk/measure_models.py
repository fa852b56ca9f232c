"""The tables of assessment measures: what a school measures, and each pupil's dated scores.

Imported at the end of `sendesk.models` so the tables are always part of the one metadata.
A measure is school-wide (the school names its own: a reading age, a standardised score, a rating
scale); a score belongs to a pupil and, when it was taken in one, to a cycle.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from sendesk.codes import sql_in
from sendesk.models import Base, Versioned, utcnow

# When a score was taken in the graduated approach: the Assess baseline, during Do, the Review exit.
SCORE_POINTS: dict[str, str] = {
    "baseline": "Baseline (Assess)",
    "during": "During (Do)",
    "exit": "Exit (Review)",
}


class AssessmentMeasure(Versioned, Base):
    """Something the school measures, with its unit and which way is better."""

    __tablename__ = "assessment_measure"
    __table_args__ = (
        CheckConstraint("length(name) > 0", name="name_given"),
        CheckConstraint(
            "scale_min IS NULL OR scale_max IS NULL OR scale_min < scale_max", name="scale"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    unit: Mapped[str] = mapped_column(String(40))
    higher_is_better: Mapped[bool] = mapped_column(Boolean, default=True)
    scale_min: Mapped[float | None] = mapped_column(Float)
    scale_max: Mapped[float | None] = mapped_column(Float)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)

    expectations: Mapped[list[MeasureExpectation]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="MeasureExpectation.year_group"
    )

    @property
    def expected(self) -> dict[int, float]:
        """The value the school expects at each year group it gave one for."""
        return {e.year_group: e.expected for e in self.expectations}


class MeasureExpectation(Base):
    """The value a school expects on a measure of a pupil in one year group (age-related
    expectations, in the measure's unit)."""

    __tablename__ = "measure_expectation"
    __table_args__ = (
        UniqueConstraint("measure_id", "year_group", name="uq_measure_expectation_year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The unique constraint's index starts with measure_id, so it serves lookups by measure too.
    measure_id: Mapped[int] = mapped_column(ForeignKey("assessment_measure.id", ondelete="CASCADE"))
    year_group: Mapped[int] = mapped_column(Integer)  # as `codes.YEAR_GROUPS`: 0 is Reception
    expected: Mapped[float] = mapped_column(Float)


class MeasureScore(Base):
    """One pupil's score on one measure on one day, with the measure's name and unit as recorded."""

    __tablename__ = "measure_score"
    __table_args__ = (
        CheckConstraint(f"point IN {sql_in(SCORE_POINTS)}", name="point"),
        Index("ix_measure_score_pupil_measure", "pupil_id", "measure_id", "recorded_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id", ondelete="CASCADE"))
    # The school's measure; empty once the score has moved to another school's file with the
    # pupil, where the name and unit as recorded keep its meaning.
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment_measure.id", ondelete="RESTRICT"), index=True
    )
    measure_name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(40))
    cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("cycle.id", ondelete="SET NULL"), index=True
    )
    recorded_on: Mapped[dt.date] = mapped_column(Date)
    point: Mapped[str] = mapped_column(String(10))
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# Examples a new file starts with: kinds of thing a school measures, never the items or questions
# of a published instrument. The school edits, adds to or retires them.
EXAMPLES: tuple[tuple[str, str, bool, float | None, float | None], ...] = (
    # (name, unit, higher is better, scale min, scale max)
    ("Reading age", "months", True, None, None),
    ("Spelling age", "months", True, None, None),
    ("Standardised reading score", "standard score", True, 69.0, 141.0),
    ("Words read correctly in a minute", "words per minute", True, None, None),
    ("Number facts recalled in a minute", "facts", True, None, None),
    ("Wellbeing rating (our own scale)", "points", True, 1.0, 10.0),
    ("Times out of class in a week", "times", False, None, None),
)


def examples() -> list[AssessmentMeasure]:
    """The example measures, as new rows (a new file starts with them)."""
    return [
        AssessmentMeasure(
            name=name,
            unit=unit,
            higher_is_better=higher,
            scale_min=low,
            scale_max=high,
            retired=False,
        )
        for name, unit, higher, low, high in EXAMPLES
    ]


def examples_for_an_upgraded_file(session: Session) -> list[AssessmentMeasure]:
    """The examples an upgraded file gets: all of them if it holds no measures at all (it was made
    before measures existed), none if it holds any, so a school's own list is never touched and
    opening the file again never adds a second set."""
    if session.execute(select(AssessmentMeasure.id).limit(1)).first() is not None:
        return []
    return examples()
