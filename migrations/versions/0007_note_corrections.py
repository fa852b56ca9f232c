"""a note can be corrected: the correction points at the note it corrects, which is kept

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 05:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.add_column(sa.Column("corrects_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_note_corrects_id_note"),
            "note",
            ["corrects_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_note_corrects_id"), ["corrects_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_corrects_id"))
        batch_op.drop_constraint(batch_op.f("fk_note_corrects_id_note"), type_="foreignkey")
        batch_op.drop_column("corrects_id")
