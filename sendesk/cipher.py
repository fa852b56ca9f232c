"""SQLCipher at the lowest level: key derivation and keyed raw connections.

The key is SQLCipher 4's own PBKDF2-HMAC-SHA512 of the passphrase with the file's salt (its first
16 bytes), so any SQLCipher 4 tool can open a file with the passphrase. Deriving it here once, and
handing SQLCipher the raw key afterwards, means a second connection (a worker thread, a backup)
costs no second key derivation.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import sqlcipher3

from sendesk import file_bytes
from sendesk.errors import (
    CannotUnlock,
    DamagedFile,
    FileProblem,
    NotARecordFile,
    SendeskError,
    known_failure,
)
from sendesk.meanwhile import Meanwhile

KDF_ITERATIONS = 256_000  # SQLCipher 4 default
KEY_BYTES = 32
SALT_BYTES = 16
PAGE_SIZE = 4096  # SQLCipher 4 default
PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"

DatabaseError: type[Exception] = sqlcipher3.DatabaseError


class Cursor(Protocol):
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    """The part of a `sqlcipher3` connection SENDesk uses (the same API as `sqlite3`)."""

    @property
    def in_transaction(self) -> bool: ...
    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Cursor: ...
    def close(self) -> None: ...


@dataclass(frozen=True, repr=False)
class RawKey:
    """A derived key and the salt it belongs to. Never printed, logged or written anywhere."""

    key: bytes
    salt: bytes

    @classmethod
    def derive(cls, passphrase: str, salt: bytes) -> RawKey:
        # NFC: "é" typed as one character or as e + accent is the same passphrase.
        secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
        key = hashlib.pbkdf2_hmac("sha512", secret, salt, KDF_ITERATIONS, KEY_BYTES)
        return cls(key, salt)

    @classmethod
    def fresh(cls, passphrase: str) -> RawKey:
        """A key with a new random salt, for a new file or a backup with its own passphrase."""
        return cls.derive(passphrase, secrets.token_bytes(SALT_BYTES))

    def sql_literal(self) -> str:
        # Raw key with explicit salt: SQLCipher skips its KDF and writes this salt to a new file.
        return f"\"x'{self.key.hex()}{self.salt.hex()}'\""

    def __repr__(self) -> str:
        return "RawKey(<hidden>)"


class KeyInProgress:
    """A file's key being derived on a thread of its own, while the caller imports what it needs.

    PBKDF2 runs in OpenSSL without Python's lock, so on a machine with two cores the derivation
    (about 0.1 s) and a command's imports (SQLAlchemy alone is about 0.2 s) overlap instead of
    adding up. It gives its key only for the passphrase and salt it was started with.
    """

    def __init__(self, passphrase: str, salt: bytes) -> None:
        self.salt = salt
        self._secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
        self._deriving = Meanwhile(RawKey.derive, passphrase, salt)

    @classmethod
    def fresh(cls, passphrase: str) -> KeyInProgress:
        """A key with a new random salt, for a new file, as `RawKey.fresh` makes one."""
        return cls(passphrase, secrets.token_bytes(SALT_BYTES))

    @classmethod
    def start(cls, passphrase: str, path: Path) -> KeyInProgress | None:
        """Begun for the file at `path`, or None where its salt cannot be read: opening the
        file then says why, as it would have without this."""
        try:
            return cls(passphrase, read_salt(path))
        except (SendeskError, OSError):
            return None

    def key_for(self, passphrase: str, salt: bytes) -> RawKey | None:
        """The key, once derived, if it is for this passphrase and salt; otherwise None."""
        secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
        if salt != self.salt or not hmac.compare_digest(secret, self._secret):
            return None
        return self._deriving.result()


_IMPORTED = " Pupils are brought in from it with Import (sendesk import)."
# The first bytes of files that are often picked by mistake. An encrypted file's first bytes
# are its random salt, which could match one by chance (once in billions): so these are asked
# only of a file that fails to open anyway, to say what it is instead of blaming the passphrase
# or calling it damaged.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF document", ""),
    (b"PK\x03\x04", "a ZIP file (or a Word or Excel document)", ""),
    (b"\xd0\xcf\x11\xe0", "an older Word or Excel document", ""),
    (b"\xef\xbb\xbf<?xml", "an XML file, such as a Common Transfer File", _IMPORTED),
    (b"<?xml", "an XML file, such as a Common Transfer File", _IMPORTED),
)


def not_a_record_file(path: Path) -> NotARecordFile | None:
    """What a file that would not open is instead, from its first bytes; None when they are
    no known kind (then it may be a record file with a wrong passphrase, or damaged)."""
    try:
        with path.open("rb") as f:
            head = f.read(64)
    except OSError:
        return None
    for signature, what, hint in _SIGNATURES:
        if head.startswith(signature):
            return NotARecordFile(path.name, what, hint)
    text = head.removeprefix(b"\xef\xbb\xbf")
    if len(text) >= 32 and all(32 <= b < 127 or b in (9, 10, 13) for b in text):
        return NotARecordFile(path.name, "a text file, such as a CSV export", _IMPORTED)
    return None


def read_salt(path: Path) -> bytes:
    """The salt at the start of an encrypted file, after the checks that need no key.

    A plain SQLite database is refused here, before SQLCipher sees it; an empty file or one that
    is not made of whole pages is damage (a SENDesk file always is whole pages), whatever the
    passphrase.
    """
    try:
        # Beside SQLite's locks: a file this process has open is read without letting go of them.
        with file_bytes.opened(path) as (read, size):
            head = read(0, SALT_BYTES)
    except FileNotFoundError as exc:
        raise FileProblem(f"There is no file at {path}.") from exc
    except IsADirectoryError as exc:
        raise FileProblem(f"{path} is a folder, not a SENDesk file.") from exc
    except OSError as exc:
        known = known_failure(exc, f"{path} cannot be read")
        raise known or FileProblem(f"{path} cannot be read: {exc.strerror}.") from exc
    if head == PLAIN_SQLITE_HEADER:
        raise CannotUnlock()
    if size == 0:
        raise DamagedFile(DAMAGED, ["the file is empty (0 bytes)"])
    if size % PAGE_SIZE:
        if (other := not_a_record_file(path)) is not None:
            raise other
        raise DamagedFile(
            DAMAGED,
            [
                f"the file is {size:,} bytes, not a whole number of {PAGE_SIZE}-byte pages: "
                "it was cut short or added to"
            ],
        )
    return head


DAMAGED = (
    "The record file is damaged and was not changed. Open your newest backup instead, "
    "and keep the damaged file for your IT support."
)


@contextmanager
def writing(conn: Connection) -> Iterator[None]:
    """A write transaction taken at once (no other writer between its reads and its writes):
    committed when the block ends, rolled back when it raises."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def connect(path: Path, key: RawKey) -> Connection:
    """A keyed connection with SENDesk's pragmas, in driver autocommit mode.

    Transactions are begun explicitly (SQLAlchemy emits BEGIN), so the driver's own implicit
    transaction handling never interferes. Setting the journal mode reads page 1: a wrong key (or
    a damaged page 1, which looks the same) fails here as `CannotUnlock`; a page 1 that decrypts
    but describes a different file (a truncation) is `DamagedFile`.
    """
    # A journal left by a killed writer is rolled back on the first read below; that writes the
    # old pages again, freshly encrypted, so the rollback digest (sendesk.seal) no longer holds.
    hot = path.with_name(path.name + "-journal").exists()
    conn: Connection = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {key.sql_literal()}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA journal_mode = DELETE")
        # What a change or a delete frees is overwritten with zeros, so an old version of a
        # record lingers neither in the file's free space nor in a backup (its own bytes).
        conn.execute("PRAGMA secure_delete = ON")
        if hot and not path.with_name(path.name + "-journal").exists():
            _unseal(conn)
    except DatabaseError as exc:
        conn.close()
        if "malformed" in str(exc):  # page 1 decrypted with this key, so the key is right
            raise DamagedFile(DAMAGED, [str(exc)]) from exc
        known = known_failure(exc, f"{path.name} cannot be opened")
        if known is not None and not isinstance(known, DamagedFile):  # busy, full, read-only
            raise known from exc
        raise CannotUnlock() from exc
    return conn


def _unseal(conn: Connection) -> None:
    # sendesk.seal keeps its digest in these two header fields; 0 means "unsealed", and -1 in
    # both (seal.ROLLBACK_SEEN) that a rollback was found: that is kept.
    high = conn.execute("PRAGMA user_version").fetchone()[0]
    low = conn.execute("PRAGMA application_id").fetchone()[0]
    if (high or low) and (high, low) != (-1, -1):
        conn.execute("PRAGMA user_version = 0")
        conn.execute("PRAGMA application_id = 0")


def probe(conn: Connection) -> None:
    """Read the whole schema. Page 1 passed its HMAC in `connect`, so the key is right: any
    failure now is a damaged page (or another program holding the file), never the passphrase."""
    try:
        conn.execute("SELECT count(*), max(length(sql)) FROM sqlite_master").fetchone()
    except DatabaseError as exc:
        known = known_failure(exc, "The file cannot be read")
        if known is not None and not isinstance(known, DamagedFile):  # busy, full, read-only
            raise known from exc
        raise DamagedFile(DAMAGED, [str(exc)]) from exc


def table_names(conn: Connection, schema: str = "main") -> list[str]:
    rows = conn.execute(
        f"SELECT name FROM {schema}.sqlite_master "  # noqa: S608 - schema is ours, not input
        "WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [str(r[0]) for r in rows]


def row_counts(conn: Connection, schema: str = "main") -> dict[str, int]:
    """Rows in every table; used to prove a copy holds everything its source held."""
    return {
        name: int(
            conn.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0]  # noqa: S608
        )
        for name in table_names(conn, schema)
    }


def integrity_problems(conn: Connection) -> list[str]:
    """Everything SQLCipher and SQLite find wrong with the file; empty when it is sound."""
    return [problem for check in _CHECKS for problem in check(conn)]


def _cipher_problems(conn: Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]


def _sqlite_problems(conn: Connection) -> list[str]:
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    return [str(line) for (line,) in rows if line != "ok"]


def _foreign_key_problems(conn: Connection) -> list[str]:
    return [
        f"row {rowid} of {table} points to a missing row in {parent}"
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchall()
    ]


_CHECKS = (_cipher_problems, _sqlite_problems, _foreign_key_problems)

# SQLite's default page cache is 2 MB: the full check of a larger file then decrypts the same
# pages again and again (each index lookup), which costs more than the check itself.
CHECK_CACHE_KIB = 65_536


def copy_problems(conn: Connection, path: Path, key: RawKey) -> list[str]:
    """`integrity_problems` of a private copy that nothing else opens (a backup being made), the
    three checks at once (`_in_parallel`: new connections to a shared file would wait behind a
    writer waiting for the caller's read lock). `conn` runs SQLite's own check and is left with
    its pages cached, for the row counts that follow."""
    return _in_parallel(conn, path, key, _CHECKS, _sqlite_problems)


def _in_parallel(
    conn: Connection,
    path: Path,
    key: RawKey,
    checks: tuple[Callable[[Connection], list[str]], ...],
    on_conn: Callable[[Connection], list[str]],
) -> list[str]:
    """`checks` each on a connection of its own at the same time (the driver lets go of the
    interpreter while SQLite works, so they share the cores), through a page cache large enough
    that each decrypts a page once; `on_conn`, one of them, runs on `conn`."""
    found: dict[int, list[str]] = {}
    failed: list[BaseException] = []

    def run(index: int, on: Connection | None) -> None:
        try:
            own = on is None
            checked = connect(path, key) if on is None else on
            try:
                if checks[index] is not _cipher_problems:  # that one reads past the cache
                    checked.execute(f"PRAGMA cache_size = -{CHECK_CACHE_KIB}")
                found[index] = checks[index](checked)
            finally:
                if own:
                    checked.close()
        except BaseException as exc:  # raised again on the caller's thread
            failed.append(exc)

    mine = checks.index(on_conn)
    workers = [
        threading.Thread(target=run, args=(i, None), name=f"sendesk-check-{i}")
        for i in range(len(checks))
        if i != mine
    ]
    for worker in workers:
        worker.start()
    run(mine, conn)
    for worker in workers:
        worker.join()
    if failed:
        raise failed[0]
    return [problem for i in range(len(checks)) for problem in found[i]]
