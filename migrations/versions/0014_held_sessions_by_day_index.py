"""the held-sessions index also holds the day, so a period's count still reads the index alone

Revision ID: 0014
Revises: 0013

The whole-school views count the attended sessions of every provision held in the period (a
term is no longer credited with the sessions of the next). With the day in the index beside
provision_id and attended, that count reads the index alone, as the count over all days did
with migration 0013's index; this one has that one as its prefix, so it replaces it.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("provision_session", schema=None) as batch_op:
        batch_op.drop_index("ix_provision_session_held")
        batch_op.create_index("ix_provision_session_held", ["provision_id", "attended", "held_on"])


def downgrade() -> None:
    with op.batch_alter_table("provision_session", schema=None) as batch_op:
        batch_op.drop_index("ix_provision_session_held")
        batch_op.create_index("ix_provision_session_held", ["provision_id", "attended"])
