"""Writing the demo school's made-up rows: many at once, as a Core insert would store them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, Connection, Date, Dialect, Table
from sqlalchemy.types import TypeEngine


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """One executemany of plain SQL for rows that all have the same keys, each value stored as
    a Core insert would store it (the column type's own conversion; the column's default where
    the rows leave a column out). Core's handling of each row's parameters cost more than
    SQLite's writing of the rows (0.4 s of 0.7 s at 2,000 pupils)."""
    dialect = conn.dialect
    names = list(rows[0])
    defaults = [c for c in table.c if c.default is not None and c.name not in rows[0]]
    if any(not c.default.is_scalar for c in defaults):  # type: ignore[union-attr]
        raise TypeError(f"give every {table.name} row its {', '.join(c.name for c in defaults)}")
    processors = [_stored_form(table.c[name].type, dialect) for name in names]
    converted = [(i, to) for i, to in enumerate(processors) if to is not None]
    fixed = []
    for column in defaults:
        to = _stored_form(column.type, dialect)
        value = column.default.arg  # type: ignore[union-attr]
        fixed.append(value if to is None else to(value))
    get = itemgetter(*names)
    values: list[tuple[Any, ...]] = []
    for row in rows:
        found = get(row)
        one = list(found) if len(names) > 1 else [found]
        for i, to in converted:
            one[i] = to(one[i])
        values.append((*one, *fixed))
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in (*names, *(c.name for c in defaults)))
    marks = ", ".join("?" * (len(names) + len(defaults)))
    statement = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})"  # noqa: S608
    conn.exec_driver_sql(statement, values)  # the names are the models' own, quoted


def _stored_form(kind: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """How a value of this column type is stored; None where the driver stores it as it is.

    A date and a flag, most of the demo's converted values, are done in C: SQLAlchemy's SQLite
    form of a date is its ISO form, and the driver stores True and False as 1 and 0, as
    SQLAlchemy does. Everything else goes through the type's own conversion."""
    if type(kind) is Date:
        return _iso_date
    if type(kind) is Boolean:
        return None
    return kind._cached_bind_processor(dialect)


def _iso_date(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()
