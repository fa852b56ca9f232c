"""Floor for `sendesk demo`: a raw write of the same rows into a new encrypted file.

    raw_demo.py ROWS.pickle OUT
    raw_demo.py --dump DEMO_FILE ROWS.pickle     (made once by bench/demo_bench.py)

ROWS.pickle holds a demo file's schema (its CREATE statements) and every row of every table,
dumped once by bench/demo_bench.py from a cached demo file (made-up data only). This script
creates OUT with raw sqlcipher3, keyed with the passphrase in $SENDESK_PASSPHRASE (SQLCipher's
own key derivation), runs the schema, and writes every row with one executemany per table in
one transaction. It does not make up the rows: that is the demo's own work, on top of this.
"""

from __future__ import annotations

import os
import pickle
import sys

import sqlcipher3


def dump(source: str, target: str) -> None:
    conn = sqlcipher3.connect(source)
    literal = os.environ["SENDESK_PASSPHRASE"].replace("'", "''")
    conn.execute(f"PRAGMA key = '{literal}'")
    schema = [
        sql
        for (sql,) in conn.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
            " ORDER BY type = 'table' DESC, rowid"
        )
    ]
    tables = {}
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        cursor = conn.execute(f'SELECT * FROM "{name}"')
        tables[name] = ([d[0] for d in cursor.description], cursor.fetchall())
    conn.close()
    with open(target, "wb") as f:  # noqa: PTH123
        pickle.dump((schema, tables), f)


def main() -> int:
    if sys.argv[1] == "--dump":
        dump(sys.argv[2], sys.argv[3])
        return 0
    with open(sys.argv[1], "rb") as f:  # noqa: PTH123
        schema, tables = pickle.load(f)
    conn = sqlcipher3.connect(sys.argv[2], isolation_level=None)
    literal = os.environ["SENDESK_PASSPHRASE"].replace("'", "''")
    conn.execute(f"PRAGMA key = '{literal}'")
    conn.execute("BEGIN")
    for statement in schema:
        conn.execute(statement)
    for table, (columns, rows) in tables.items():
        marks = ", ".join("?" * len(columns))
        conn.executemany(f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})', rows)
    conn.execute("COMMIT")
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
