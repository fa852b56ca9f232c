"""drafts belong to the login that typed them

On a team server several staff may start the same stage wizard for the same pupil: each keeps a
draft of their own, and nobody is offered another login's unsaved typing. `owner` is the login on
a server and empty in a record file (its one user). Drafts already kept in a file stay its user's;
on a server they had no owner and are nobody's (a draft is never a record).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("wizard_draft") as batch:
        batch.add_column(sa.Column("owner", sa.String(63), nullable=False, server_default=""))
        batch.drop_constraint("uq_wizard_draft_pupil_stage", type_="unique")
        batch.create_unique_constraint(
            "uq_wizard_draft_pupil_stage_owner", ["pupil_id", "stage", "owner"]
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # The server's row rule for drafts reads `owner` (sendesk.server.access); an older
        # SENDesk's `server upgrade` sets its own rules afresh.
        op.execute("DROP POLICY IF EXISTS own_drafts ON wizard_draft")
    # One draft per pupil and stage again: the file's own user's, else the latest kept.
    op.execute(
        "DELETE FROM wizard_draft WHERE id NOT IN (SELECT max(id) FROM wizard_draft "
        "GROUP BY pupil_id, stage)"
    )
    with op.batch_alter_table("wizard_draft") as batch:
        batch.drop_constraint("uq_wizard_draft_pupil_stage_owner", type_="unique")
        batch.create_unique_constraint("uq_wizard_draft_pupil_stage", ["pupil_id", "stage"])
        batch.drop_column("owner")
