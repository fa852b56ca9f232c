"""import ownership: when the SENCo set the SEN judgement, and import batches for undo

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 05:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pupil") as batch:
        batch.add_column(sa.Column("sen_set_on", sa.Date(), nullable=True))
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=3), nullable=False),
        sa.Column("source_name", sa.String(length=255), nullable=False),
        sa.Column("source_digest", sa.String(length=64), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("pupils", sa.Integer(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
    )
    with op.batch_alter_table("import_batch") as batch:
        batch.create_index(
            batch.f("ix_import_batch_source_digest"), ["source_digest"], unique=False
        )
    op.create_table(
        "import_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("added", sa.Boolean(), nullable=False),
        sa.Column("values_json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"],
            name=op.f("fk_import_change_batch_id_import_batch"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupil.id"],
            name=op.f("fk_import_change_pupil_id_pupil"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_change")),
    )  # fmt: skip
    with op.batch_alter_table("import_change") as batch:
        batch.create_index(batch.f("ix_import_change_batch_id"), ["batch_id"], unique=False)
        batch.create_index(batch.f("ix_import_change_pupil_id"), ["pupil_id"], unique=False)


def downgrade() -> None:
    op.drop_table("import_change")
    op.drop_table("import_batch")
    with op.batch_alter_table("pupil") as batch:
        batch.drop_column("sen_set_on")
