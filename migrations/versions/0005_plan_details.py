"""what the printed plans, passports and evidence packs hold

The pupil's home language and interpreter need, key adults and "what is important to me"; where
and when a provision happens and its expected impact; the actions agreed at a review; a request
for an EHC needs assessment's parental consent and the SENCo's sign-off.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 05:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _columns() -> dict[str, list[sa.Column[object]]]:
    return {
        "pupil": [
            sa.Column("home_language", sa.String(60), nullable=True),
            sa.Column(
                "interpreter_needed", sa.Boolean(), nullable=False, server_default=sa.false()
            ),
            sa.Column("class_teacher", sa.String(120), nullable=True),
            sa.Column("key_worker", sa.String(120), nullable=True),
            sa.Column("important_to_me", sa.Text(), nullable=True),
        ],
        "provision": [
            sa.Column("where_when", sa.String(200), nullable=True),
            sa.Column("expected_impact", sa.Text(), nullable=True),
        ],
        "review": [sa.Column("actions", sa.Text(), nullable=True)],
        "referral": [
            sa.Column("parent_consent_on", sa.Date(), nullable=True),
            sa.Column("signed_off_on", sa.Date(), nullable=True),
        ],
    }


def upgrade() -> None:
    for table, columns in _columns().items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.add_column(column)


def downgrade() -> None:
    for table, columns in _columns().items():
        with op.batch_alter_table(table) as batch:
            for column in reversed(columns):
                batch.drop_column(column.name)
