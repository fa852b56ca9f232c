"""an index on every foreign key a query filters or joins on

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 05:10:00

Without them, looking up a cycle's meetings (and the other lookups below) scans the whole child
table once per parent row, so the work grows with the square of the school.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column): each gets the index the models name ix_<table>_<column>.
FOREIGN_KEYS = (
    ("cycle", "previous_cycle_id"),
    ("outcome", "carried_forward_from_id"),
    ("provision", "outcome_id"),
    ("provision", "staff_id"),
    ("review", "meeting_id"),
    ("wizard_draft", "pupil_id"),
    ("wizard_draft", "cycle_id"),
    ("meeting", "cycle_id"),
    ("meeting", "moved_to_id"),
    ("referral", "cycle_id"),
)


def upgrade() -> None:
    for table, column in FOREIGN_KEYS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def downgrade() -> None:
    for table, column in reversed(FOREIGN_KEYS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
