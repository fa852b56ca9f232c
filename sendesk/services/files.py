"""What a record file says about itself: identity, versions, and how much it holds."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from sendesk import __version__
from sendesk.models import Base
from sendesk.records import Records


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


def info(records: Records) -> FileInfo:
    meta = records.meta()
    with records.sessions() as session:
        counts = {
            table.name: int(session.execute(select(func.count()).select_from(table)).scalar_one())
            for table in Base.metadata.sorted_tables
        }
    return FileInfo(
        file_id=meta.file_id,
        school=meta.school_name,
        app_version=meta.app_version or __version__,
        schema_revision=records.schema_revision(),
        counts=dict(sorted(counts.items())),
    )
