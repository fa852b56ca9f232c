"""attendance per term, and the value a school expects on a measure at each year group

For the EHC needs assessment evidence pack. A school's MIS reports each pupil's sessions possible
and sessions attended per term; the SENCo records them for the terms the pack covers (the
percentage is worked out, never stored). A measure may have the value the school expects at each
year group (its age-related expectations), which the pack sets beside the pupil's scores.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TERMS = "('autumn', 'spring', 'summer')"


def upgrade() -> None:
    op.create_table(
        "term_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("school_year", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=6), nullable=False),
        sa.Column("sessions_possible", sa.Integer(), nullable=False),
        sa.Column("sessions_attended", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.CheckConstraint(f"term IN {TERMS}", name=op.f("ck_term_attendance_term")),
        sa.CheckConstraint(
            "sessions_possible >= 0 AND sessions_attended >= 0 "
            "AND sessions_attended <= sessions_possible",
            name=op.f("ck_term_attendance_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
            name=op.f("fk_term_attendance_pupil_id_pupil"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_term_attendance")),
        sa.UniqueConstraint(
            "pupil_id", "school_year", "term", name=op.f("uq_term_attendance_pupil_term")
        ),
    )

    op.create_table(
        "measure_expectation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("year_group", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["assessment_measure.id"],
            name=op.f("fk_measure_expectation_measure_id_assessment_measure"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_expectation")),
        sa.UniqueConstraint("measure_id", "year_group", name=op.f("uq_measure_expectation_year")),
    )


def downgrade() -> None:
    op.drop_table("measure_expectation")
    op.drop_table("term_attendance")
