"""staff logins and roles for the team server, and who did each audited thing

Revision ID: 0009
Revises: 0007
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACCESS_ROLES = "('senco', 'teacher', 'assistant', 'leader')"

# On a server the database itself names who did it: the login, whatever the client sends.
PG_AUDIT_ACTOR = (
    "CREATE FUNCTION audit_event_actor() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN NEW.actor := session_user; RETURN NEW; END $$",
    "CREATE TRIGGER audit_event_actor BEFORE INSERT ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_actor()",
)


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("login", sa.String(63), nullable=True))
        batch.add_column(sa.Column("access_role", sa.String(10), nullable=True))
        batch.add_column(sa.Column("classes", sa.Text(), nullable=True))
        batch.create_unique_constraint("uq_staff_login", ["login"])
        batch.create_check_constraint(
            "access_role", f"access_role IS NULL OR access_role IN {ACCESS_ROLES}"
        )
    with op.batch_alter_table("audit_event") as batch:
        batch.add_column(sa.Column("actor", sa.String(63), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        for statement in PG_AUDIT_ACTOR:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_actor ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_actor()")
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_column("actor")
    with op.batch_alter_table("staff") as batch:
        batch.drop_constraint(op.f("ck_staff_access_role"), type_="check")
        batch.drop_constraint("uq_staff_login", type_="unique")
        batch.drop_column("classes")
        batch.drop_column("access_role")
        batch.drop_column("login")
