"""Alembic environment: the connection comes from the app, never from a URL in a file.

For a developer writing a revision, `alembic -x url=sqlite:///scratch.db revision --autogenerate`
works against a scratch plain SQLite file that holds no pupil data.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from sendesk.models import Base

config = context.config
target_metadata = Base.metadata


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given = config.attributes.get("connection")
if given is not None:
    run(given)
else:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url or not url.startswith("sqlite"):
        raise SystemExit("Run migrations through SENDesk, or pass -x url=sqlite:///scratch.db")
    with create_engine(url).connect() as scratch:
        run(scratch)
        scratch.commit()
