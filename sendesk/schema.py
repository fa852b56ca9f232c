"""Alembic driven from code: the schema revision of a file, and upgrading it to this app's head."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

import migrations

DEFAULT_SCRIPT_LOCATION = Path(migrations.__file__).resolve().parent


def alembic_config(script_location: Path = DEFAULT_SCRIPT_LOCATION) -> Config:
    """A configuration with no URL: `migrations/env.py` takes the connection it is given."""
    config = Config()
    config.set_main_option("script_location", str(script_location))
    return config


def head_revision(script_location: Path = DEFAULT_SCRIPT_LOCATION) -> str:
    head = ScriptDirectory.from_config(alembic_config(script_location)).get_current_head()
    if head is None:
        raise RuntimeError("the migrations folder holds no revision")
    return head


def known_revisions(script_location: Path = DEFAULT_SCRIPT_LOCATION) -> list[str]:
    """Every revision this app knows, oldest first."""
    script = ScriptDirectory.from_config(alembic_config(script_location))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(
    connection: Connection,
    target: str = "head",
    script_location: Path = DEFAULT_SCRIPT_LOCATION,
) -> None:
    """Bring the schema to `target` on the given connection, in one transaction."""
    config = alembic_config(script_location)
    config.attributes["connection"] = connection
    command.upgrade(config, target)


def downgrade(
    connection: Connection, target: str, script_location: Path = DEFAULT_SCRIPT_LOCATION
) -> None:
    """Take the schema back to `target` (developers and tests; the app never downgrades a file)."""
    config = alembic_config(script_location)
    config.attributes["connection"] = connection
    command.downgrade(config, target)
