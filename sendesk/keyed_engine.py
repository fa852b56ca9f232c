"""The SQLAlchemy engine over a record file: keyed connections, and the seal kept at each commit.

Apart from `sendesk.vault` so that opening a file, and the commands that need no queries (`verify`),
import no SQLAlchemy: a vault makes its engine when it is first used.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlcipher import SQLiteDialect_pysqlcipher
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.pool import NullPool

from sendesk import cipher, seal
from sendesk.cipher import RawKey


class KeyedCipherDialect(SQLiteDialect_pysqlcipher):
    """pysqlcipher without its URL passphrase: our creator has keyed the connection already.

    The stock dialect would run `PRAGMA key` with the URL's password, which would put the
    passphrase in a URL and re-key an already keyed connection.
    """

    supports_statement_cache = True

    def on_connect_url(self, url: Any) -> Any:
        return SQLiteDialect_pysqlite.on_connect_url(self, url)


registry.register("sqlite.sendeskcipher", __name__, "KeyedCipherDialect")


def keyed_engine(
    path: Path,
    key: RawKey | Callable[[], RawKey],
    *,
    foreign_keys: bool = True,
    read_only: bool = False,
    own_connections: bool = False,
    rolled_back: list[bool] | None = None,
    seal_check: seal.OpenCheck | None = None,
) -> Engine:
    def connect() -> cipher.Connection:
        # A callable key refuses once the vault is closed, so a captured engine cannot reconnect.
        conn = cipher.connect(path, key if isinstance(key, RawKey) else key())
        if not foreign_keys:
            conn.execute("PRAGMA foreign_keys = OFF")  # a batch migration copies tables
        if read_only:
            conn.execute("PRAGMA query_only = ON")  # SQLite itself refuses every write
        return conn

    # hide_parameters keeps pupil data out of error messages and logs.
    engine = create_engine(
        "sqlite+sendeskcipher://",
        creator=connect,
        hide_parameters=True,
        # A job's engine pools nothing: each session opens and closes its own connection.
        **({"poolclass": NullPool} if own_connections else {}),
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")
        conn.info["changes_at_begin"] = total_changes(conn)

    if seal_check is not None:

        @event.listens_for(engine, "before_cursor_execute")
        def _before_write(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
            # The open's rollback check is waited for before a transaction's first change, while
            # this connection holds no write lock yet: at commit, its lock would keep every other
            # writer waiting for the hash too.
            if statement.lstrip()[:6].upper() in _CHANGES:
                seal_check.answer()

    @event.listens_for(engine, "commit")
    def _commit(conn: Any) -> None:
        # A transaction that wrote unseals the file in the same transaction (see sendesk.seal).
        if total_changes(conn) != conn.info.get("changes_at_begin"):
            if rolled_back is not None:
                rolled_back.append(True)  # should the commit itself fail, see _rollback
            raw = conn.connection.dbapi_connection
            if seal_check is not None:
                seal_check.before_unseal(raw)  # a rollback found is kept, not cleared with it
            seal.clear(raw)

    @event.listens_for(engine, "handle_error")
    def _error(context: Any) -> None:
        if rolled_back is not None:
            rolled_back.append(True)  # a failed statement may have been a write: see _rollback

    @event.listens_for(engine, "rollback")
    def _rollback(conn: Any) -> None:
        # Undoing a write that had spilled pages to disk re-encrypts them (new IVs): the same
        # records in new bytes. Noted, so that closing records the digest afresh.
        try:
            wrote = total_changes(conn) != conn.info.get("changes_at_begin")
        except Exception:
            wrote = True
        if wrote and rolled_back is not None:
            rolled_back.append(True)

    return engine


_CHANGES = ("INSERT", "UPDATE", "DELETE", "REPLAC")  # the statements that write rows


def total_changes(conn: Any) -> int:
    return int(conn.connection.dbapi_connection.execute("SELECT total_changes()").fetchone()[0])
