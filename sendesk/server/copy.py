"""Copying a whole SENDesk database between a record file and a server, verified row for row.

`sendesk server import` moves a laptop's file into an empty server database; `sendesk server
export` makes an encrypted record file of a whole server database (its backup and handover).
Either way the copy is made in one transaction and compared, table by table and row by row, with
its source before it is committed or renamed into place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, func, select, text, update

from sendesk.errors import DamagedFile
from sendesk.models import Base

BATCH_ROWS = 1000


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    digest: str


def tables() -> list[Table]:
    """Every table in an order that inserts a row after the rows it refers to."""
    return list(Base.metadata.sorted_tables)


def _self_references(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _rows(conn: Connection, table: Table) -> Iterator[dict[str, Any]]:
    order = list(table.primary_key.columns)
    result = conn.execute(select(table).order_by(*order)).mappings()
    while batch := result.fetchmany(BATCH_ROWS):
        yield from (dict(row) for row in batch)


def _canonical(value: object) -> bytes:
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, bytes):
        return b"b:" + hashlib.sha256(value).digest()
    return repr(value).encode("utf-8")


def digest(conn: Connection, table: Table, *, up_to_id: int | None = None) -> TableCopy:
    """The rows of one table and a digest of their values in primary-key order."""
    h = hashlib.sha256()
    count = 0
    names = [c.name for c in table.columns]
    query = select(table).order_by(*table.primary_key.columns)
    if up_to_id is not None:
        query = query.where(table.c.id <= up_to_id)
    rows = conn.execute(query).mappings()
    # String keys sort differently under different collations, so sort those here.
    if not all(c.type.python_type is int for c in table.primary_key.columns):
        rows_list = sorted(
            (dict(r) for r in rows), key=lambda r: tuple(r[c.name] for c in table.primary_key)
        )
    else:
        rows_list = None
    for row in rows_list if rows_list is not None else rows:
        count += 1
        for name in names:
            h.update(_canonical(row[name]))
            h.update(b"\x00")
        h.update(b"\x01")
    return TableCopy(table.name, count, h.hexdigest())


def copy_rows(source: Connection, target: Connection) -> list[TableCopy]:
    """Insert every row of `source` into the empty tables of `target`, keeping ids."""
    copied = []
    for table in tables():
        deferred = _self_references(table)
        later: list[dict[str, Any]] = []
        count = 0
        batch: list[dict[str, Any]] = []
        for row in _rows(source, table):
            if deferred and any(row[c] is not None for c in deferred):
                later.append({"id": row["id"], **{c: row[c] for c in deferred}})
                row = {**row, **dict.fromkeys(deferred)}
            batch.append(row)
            count += 1
            if len(batch) >= BATCH_ROWS:
                target.execute(table.insert(), batch)
                batch = []
        if batch:
            target.execute(table.insert(), batch)
        # A row may point at a newer row of its own table (a moved meeting): link it afterwards.
        for links in later:
            row_id = links.pop("id")
            target.execute(update(table).where(table.c.id == row_id).values(**links))
        copied.append(TableCopy(table.name, count, ""))
    return copied


def compare(source: Connection, target: Connection, audit_up_to: int | None = None) -> list[str]:
    """Every table whose rows differ between the two; empty when the copy is exact."""
    problems = []
    for table in tables():
        limit = audit_up_to if table.name == "audit_event" else None
        a = digest(source, table, up_to_id=limit)
        b = digest(target, table, up_to_id=limit)
        if a.rows != b.rows:
            problems.append(f"{table.name}: {a.rows} rows in the source, {b.rows} in the copy")
        elif a.digest != b.digest:
            problems.append(f"{table.name}: the rows' contents differ")
    return problems


def verified_or_raise(problems: list[str], what: str) -> None:
    if problems:
        raise DamagedFile(f"The {what} did not match its source, so nothing was kept.", problems)


def max_id(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one())


def sequences_follow_ids(conn: Connection) -> None:
    """After rows were inserted with their ids, the next id of each table follows the largest."""
    for table in tables():
        if "id" not in table.c or table.c.id.type.python_type is not int:
            continue
        largest = max_id(conn, table)
        conn.execute(
            text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :n, :used)"),
            {"t": table.name, "n": max(largest, 1), "used": largest > 0},
        )
