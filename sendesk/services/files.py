"""What a record file says about itself: identity, versions, and how much it holds."""

from __future__ import annotations

from sqlalchemy import func, select

from sendesk import __version__, schema
from sendesk.file_info import FileInfo
from sendesk.models import Base, Meta
from sendesk.records import Records


def info(records: Records) -> FileInfo:
    tables = Base.metadata.sorted_tables
    # One statement for every table's count: one round trip and one compiled query, not one each.
    every_count = select(*(select(func.count()).select_from(t).scalar_subquery() for t in tables))
    # The table's columns, not the mapped class: reading them configures no ORM mappers, which
    # would cost this command more than its queries.
    meta = Meta.__table__.c
    identity = select(meta.file_id, meta.school_name, meta.app_version)
    with records.sessions() as session:  # one read transaction: the figures agree with each other
        file_id, school_name, app_version = session.execute(identity).one()
        row = session.execute(every_count).one()
        revision = schema.current_revision(session.connection())
    return FileInfo(
        file_id=file_id,
        school=school_name,
        app_version=app_version or __version__,
        schema_revision=revision,
        counts=dict(sorted((table.name, int(n)) for table, n in zip(tables, row, strict=True))),
    )
