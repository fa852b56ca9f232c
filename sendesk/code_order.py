"""How each back end compares text by code point, as SQL text (no SQLAlchemy needed to use it).

SQLite compares text byte by byte, which for UTF-8 is code-point order; a PostgreSQL server
compares by its locale unless told "C". `sendesk.collation.in_code_order` renders this for
SQLAlchemy statements; a statement written as text (`sendesk.register_query`) asks it directly.
"""

from __future__ import annotations


def in_code_order(column_sql: str, dialect: str) -> str:
    """`column_sql` as an ORDER BY term that sorts by code point on the `dialect` named."""
    if dialect == "postgresql":
        return f'({column_sql}) COLLATE "C"'
    return column_sql  # SQLite's BINARY is code-point order
