"""assessment measures the school defines, pupils' dated scores, and a provision's measure

A measure has a unit, a direction (higher or lower is better) and an optional scale; a score is
one pupil's value on one day, at the Assess baseline, during Do or at the Review exit, with the
measure's name and unit as recorded (so a score that moves with a transferred pupil keeps its
meaning in a school with other measures). A provision
can name the measure whose entry and exit scores show its impact. The schema only: a new file
gets the example measures when it is made (`sendesk.measure_models.examples`), and an older one
is offered them in the app, so a copy between a file and a server never meets seeded rows.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POINTS = "('baseline', 'during', 'exit')"


def upgrade() -> None:
    op.create_table(
        "assessment_measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("higher_is_better", sa.Boolean(), nullable=False),
        sa.Column("scale_min", sa.Float(), nullable=True),
        sa.Column("scale_max", sa.Float(), nullable=True),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_assessment_measure_name_given")),
        sa.CheckConstraint(
            "scale_min IS NULL OR scale_max IS NULL OR scale_min < scale_max",
            name=op.f("ck_assessment_measure_scale"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_measure")),
        sa.UniqueConstraint("name", name=op.f("uq_assessment_measure_name")),
    )
    op.create_table(
        "measure_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=True),
        sa.Column("measure_name", sa.String(length=120), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("point", sa.String(length=10), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(f"point IN {POINTS}", name=op.f("ck_measure_score_point")),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["cycle.id"],
            name=op.f("fk_measure_score_cycle_id_cycle"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["assessment_measure.id"],
            name=op.f("fk_measure_score_measure_id_assessment_measure"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupil.id"],
            name=op.f("fk_measure_score_pupil_id_pupil"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_score")),
    )
    with op.batch_alter_table("measure_score") as batch:
        batch.create_index(
            "ix_measure_score_pupil_measure", ["pupil_id", "measure_id", "recorded_on"]
        )
        batch.create_index(batch.f("ix_measure_score_measure_id"), ["measure_id"])
        batch.create_index(batch.f("ix_measure_score_cycle_id"), ["cycle_id"])
    with op.batch_alter_table("provision") as batch:
        batch.add_column(sa.Column("measure_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_provision_measure_id"), ["measure_id"])
        batch.create_foreign_key(
            batch.f("fk_provision_measure_id_assessment_measure"),
            "assessment_measure",
            ["measure_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("provision") as batch:
        batch.drop_index(batch.f("ix_provision_measure_id"))
        batch.drop_constraint(
            batch.f("fk_provision_measure_id_assessment_measure"), type_="foreignkey"
        )
        batch.drop_column("measure_id")
    with op.batch_alter_table("measure_score") as batch:
        batch.drop_index(batch.f("ix_measure_score_cycle_id"))
        batch.drop_index(batch.f("ix_measure_score_measure_id"))
        batch.drop_index("ix_measure_score_pupil_measure")
    op.drop_table("measure_score")
    op.drop_table("assessment_measure")
