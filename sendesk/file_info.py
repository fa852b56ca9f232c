"""What a record file says about itself: identity, versions, and how much it holds.

The value type both back ends answer with (`sendesk.services.files.info`), and the reading of it
straight from a record file's keyed connection, so `sendesk info` needs no SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass

from sendesk import __version__, cipher

# Alembic's own table: the schema revision, not records (the models do not map it).
_NOT_RECORDS = frozenset({"alembic_version"})


@dataclass(frozen=True)
class FileInfo:
    file_id: str
    school: str
    app_version: str  # the SENDesk that last wrote the file
    schema_revision: str | None
    counts: dict[str, int]

    def as_json(self) -> dict[str, object]:
        return {
            "file_id": self.file_id,
            "school": self.school,
            "app_version": self.app_version,
            "schema_revision": self.schema_revision,
            "counts": self.counts,
        }


def read(conn: cipher.Connection) -> FileInfo:
    """The file's facts, in one read transaction so the figures agree with each other."""
    conn.execute("BEGIN")
    try:
        file_id, school, app_version = conn.execute(
            "SELECT file_id, school_name, app_version FROM meta"
        ).fetchone()
        found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        counts = {
            name: n for name, n in cipher.row_counts(conn).items() if name not in _NOT_RECORDS
        }
    finally:
        conn.execute("COMMIT")
    return FileInfo(
        file_id=str(file_id),
        school=str(school),
        app_version=app_version or __version__,
        schema_revision=None if found is None else str(found[0]),
        counts=dict(sorted(counts.items())),
    )
