"""Migrations match the models; an older file is backed up, then upgraded with its data intact."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from sendesk import backup, cipher, schema
from sendesk.models import Base
from sendesk.services import files, pupils
from sendesk.vault import Vault, _engine
from tests.conftest import PASSPHRASE


def test_a_new_file_is_at_head_and_matches_the_models(vault: Vault) -> None:
    assert vault.schema_revision() == schema.head_revision()
    with vault.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_every_revision_downgrades_and_upgrades_again(tmp_path: Path) -> None:
    key = cipher.RawKey.fresh(PASSPHRASE)
    engine = _engine(tmp_path / "scratch.sendesk", key, foreign_keys=False)
    try:
        with engine.begin() as conn:
            schema.upgrade(conn)
        config = schema.alembic_config()
        from alembic import command

        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
            assert set(inspect(conn).get_table_names()) == {"alembic_version"}
            command.upgrade(config, "head")
            assert "pupil" in inspect(conn).get_table_names()
    finally:
        engine.dispose()


FUTURE_REVISION = '''
"""a test revision that rebuilds the pupil table, as a real column change would"""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pupil", recreate="always") as batch:
        batch.add_column(sa.Column("nickname", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pupil") as batch:
        batch.drop_column("nickname")
'''


@pytest.fixture
def future_migrations(tmp_path: Path) -> Path:
    """This app's migrations plus one newer revision: today's head becomes an 'old' file."""
    folder = tmp_path / "future_migrations"
    shutil.copytree(
        schema.DEFAULT_SCRIPT_LOCATION, folder, ignore=shutil.ignore_patterns("__pycache__")
    )
    (folder / "versions" / "9999_future.py").write_text(
        FUTURE_REVISION.format(head=schema.head_revision()), encoding="utf-8"
    )
    return folder


def test_an_older_file_is_backed_up_then_upgraded_with_its_data_intact(
    demo_file: Path, future_migrations: Path
) -> None:
    with Vault.open(demo_file, PASSPHRASE) as before:
        counts_before = files.info(before).counts
        register_before = pupils.list_register(before.sessions)
    old_revision = schema.head_revision()

    with Vault.open(demo_file, PASSPHRASE, script_location=future_migrations) as upgraded:
        assert upgraded.upgrade is not None
        assert upgraded.upgrade.from_revision == old_revision
        assert upgraded.schema_revision() == "9999"
        # Rebuilding the pupil table must not cascade into its children.
        assert files.info(upgraded).counts == counts_before | {
            "audit_event": counts_before["audit_event"] + 1
        }
        assert pupils.list_register(upgraded.sessions) == register_before
        with upgraded.engine.connect() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("pupil")}
        assert "nickname" in columns
        assert upgraded.verify() == []
        saved = upgraded.upgrade.backup

    assert saved in backup.automatic_backups(demo_file)
    with Vault.open(saved, PASSPHRASE) as copy:  # the backup is the file as it was
        assert copy.schema_revision() == old_revision
        assert files.info(copy).counts == counts_before


def test_a_failing_upgrade_leaves_the_file_as_it_was(
    demo_file: Path, future_migrations: Path
) -> None:
    broken = future_migrations / "versions" / "9999_future.py"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace(
            'batch.add_column(sa.Column("nickname", sa.String(40), nullable=True))',
            'batch.add_column(sa.Column("nickname", sa.String(40), nullable=True))\n'
            '    op.execute("INSERT INTO contact (pupil_id, name, parental_responsibility) '
            "VALUES (999999, 'orphan', 0)\")",
        ),
        encoding="utf-8",
    )
    from sendesk.errors import DamagedFile

    with pytest.raises(DamagedFile, match="not changed"):
        Vault.open(demo_file, PASSPHRASE, script_location=future_migrations)
    with Vault.open(demo_file, PASSPHRASE) as still_old:
        assert still_old.schema_revision() == schema.head_revision()
        with still_old.engine.connect() as conn:
            assert (
                conn.execute(text("SELECT count(*) FROM contact WHERE name = 'orphan'")).scalar()
                == 0
            )
