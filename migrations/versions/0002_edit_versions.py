"""a version counter on every table the user edits

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 05:00:00

Each save adds one to the row's version; a save made over a newer version than the one the user
saw is refused, never silently applied. Rows already in the file start at version 1.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSIONED_TABLES = (
    "school_settings",
    "pupil",
    "contact",
    "note",
    "cycle",
    "assessment_evidence",
    "outcome",
    "provision",
    "strategy",
    "review",
    "meeting",
    "referral",
)


def upgrade() -> None:
    for table in VERSIONED_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in reversed(VERSIONED_TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
