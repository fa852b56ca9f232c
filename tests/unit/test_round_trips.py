"""What the command line reads a file with: a fixed, small number of statements, whatever it holds.

Counted, never timed: every statement is a round trip through SQLCipher (decrypting pages) and,
for the ORM, a compiled query; one per table made `sendesk info` pay once per table.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from sendesk.models import Base
from sendesk.records import Records
from sendesk.services import files


def _statements(records: Records, action: Any) -> list[str]:
    engine = records.sessions.kw["bind"]
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        seen.append(sql)

    event.listen(engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return seen


def test_info_counts_every_table_in_one_statement(demo_vault: Records) -> None:
    found: list[files.FileInfo] = []
    statements = _statements(demo_vault, lambda: found.append(files.info(demo_vault)))
    counts = found[0].counts
    assert set(counts) == {t.name for t in Base.metadata.sorted_tables}
    assert counts["pupil"] > 0 and counts["cycle"] > 0
    counting = [s for s in statements if "count(" in s.lower()]
    assert len(counting) == 1  # not one per table
    # One transaction: the identity row, the counts, the schema revision (and the table check).
    assert len(statements) <= 5, statements
