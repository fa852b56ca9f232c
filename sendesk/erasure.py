"""Deleting records so they do not linger where the database keeps freed space.

In a record file SQLite's `secure_delete` overwrites freed space with zeros, so a deleted pupil
is not left in the file's free space (every connection has it on: `cipher.connect`; it is asked
for here again so that an erasure never depends on that). A PostgreSQL server keeps no such
pages the app can reach: dead rows are reclaimed by the server's autovacuum, and the server's own
disk encryption and backups are its administrator's to manage (docs/server.md says so).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlalchemy.orm import Session


@contextlib.contextmanager
def overwriting_deletes(session: Session) -> Iterator[None]:
    """Deletes made inside overwrite the freed space, where the back end can."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql("PRAGMA secure_delete = ON")  # and left on, as connect leaves it
    yield
