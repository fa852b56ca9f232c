"""Rollback detection: a digest of every page but the first, kept in the file's own header.

SQLCipher checks each page on its own (its HMAC covers the page and its number), so a page copied
back from an older copy of the same file passes every check while the records it holds go back
in time. At each clean close SENDesk records a digest of the encrypted bytes of pages 2 to N in the
database header on page 1 (SQLite's `user_version` and `application_id`, 64 bits together, inside
the encryption). Any write clears it, in the same transaction, so a file that was not closed
cleanly is known to be unsealed rather than wrongly called changed.

What it catches: one or more pages after the first replaced by an older (or any other) version, or
pages added or cut off, after a clean close. A file opened for changes is checked beside the work
that follows (`OpenCheck`), and before its first write would clear the seal; a rollback found is
recorded in the seal's place (`ROLLBACK_SEEN`), which no later write or close clears, so the
evidence outlives the next change. What it does not: a change to page 1 alone; a change
made while the file was open or after a crash (the file is then unsealed: `check` says so and
cannot tell); the whole file replaced by an older whole copy (that is a restore, and it is sound).
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Callable
from pathlib import Path

from sendesk import cipher, file_bytes
from sendesk.cipher import Connection, RawKey
from sendesk.meanwhile import Meanwhile

UNSEALED = 0
ROLLBACK_SEEN = -1  # kept in the seal's place once a rollback was found: never cleared
_CHUNK = 1 << 20

ROLLED_BACK = (
    "part of the file does not match the state it was last closed in: pages were replaced by an "
    "older copy (a rollback) or changed outside SENDesk, so some records may be out of date"
)


# SQLite's lock bytes (its "pending byte" page, 1 GiB into the file) hold no data, and Windows
# refuses to read them while another connection holds a write lock: that page is left out.
LOCK_PAGE = range(1 << 30, (1 << 30) + cipher.PAGE_SIZE)


def digest(path: Path, *, private: bool = False) -> int:
    """A 64-bit digest of the encrypted bytes after page 1 (less SQLite's lock-byte page); never
    `UNSEALED` or `ROLLBACK_SEEN`. Read beside SQLite's own locks (`file_bytes`); `private`
    for a file no connection has open."""
    h = hashlib.sha256()
    with file_bytes.opened(path, private=private) as (read, size):
        for start, end in ((cipher.PAGE_SIZE, LOCK_PAGE.start), (LOCK_PAGE.stop, size)):
            offset, end = start, min(end, size)
            while offset < end and (chunk := read(offset, min(_CHUNK, end - offset))):
                h.update(chunk)
                offset += len(chunk)
    value = int.from_bytes(h.digest()[:8], "big", signed=True)
    return value if value not in (UNSEALED, ROLLBACK_SEEN) else 1


def recorded(conn: Connection) -> int:
    high = int(conn.execute("PRAGMA user_version").fetchone()[0])
    low = int(conn.execute("PRAGMA application_id").fetchone()[0])
    return (high << 32) | (low & 0xFFFFFFFF)


def _record(conn: Connection, value: int) -> None:
    high, low = value >> 32, value & 0xFFFFFFFF
    if low >= 1 << 31:
        low -= 1 << 32  # application_id is a signed 32-bit number
    conn.execute(f"PRAGMA user_version = {int(high)}")
    conn.execute(f"PRAGMA application_id = {int(low)}")


def clear(conn: Connection) -> None:
    """Mark the file unsealed; call inside the transaction that writes. A rollback found is
    kept on record."""
    if recorded(conn) not in (UNSEALED, ROLLBACK_SEEN):
        _record(conn, UNSEALED)


def mark_rolled_back(conn: Connection) -> None:
    """Record that a rollback was found, for good; call inside a transaction that writes."""
    _record(conn, ROLLBACK_SEEN)


def seal(
    path: Path,
    key: RawKey,
    *,
    afresh: bool = False,
    digest_of_copy: int | None = None,
    rolled_back: bool = False,
) -> None:
    """Record the digest of an unsealed file; a sealed one is left as it is (no write).

    Call with no transaction open on the file. A file that is sealed but does not match keeps
    its old digest, so the evidence of a rollback is never papered over; `afresh` (only for a
    file this process itself wrote to and rolled back, which re-encrypts pages) records anew.
    `digest_of_copy` is the digest already worked out of a private copy that nothing else
    writes (a backup being made), so it need not be read again. `rolled_back` (an `OpenCheck`
    found one) records `ROLLBACK_SEEN` instead; a file already marked so stays marked.
    """
    conn = cipher.connect(path, key)
    try:
        with cipher.writing(conn):  # no writer can slip in between the digest and the record
            now = recorded(conn)
            if now == ROLLBACK_SEEN:
                return
            if rolled_back:
                mark_rolled_back(conn)
            elif afresh or now == UNSEALED:
                _record(conn, digest(path) if digest_of_copy is None else digest_of_copy)
    finally:
        conn.close()


def check(conn: Connection, path: Path) -> str | None:
    """`ROLLED_BACK` if the file is sealed and its pages do not match; None if they do or if the
    file is unsealed (not closed cleanly since its last change: nothing to compare with)."""
    return check_meanwhile(conn, path)()


def check_meanwhile(conn: Connection, path: Path) -> Callable[[], str | None]:
    """`check`, its digest worked out on a thread while the caller goes on reading the file in
    the same read transaction on `conn` (hashing and SQLite both let go of Python's lock); call
    what it returns for the answer."""
    value = recorded(conn)
    if value in (UNSEALED, ROLLBACK_SEEN):
        return lambda: verdict(value, None)
    hashing = Meanwhile(digest, path)
    return lambda: verdict(value, hashing.result())


def verdict(recorded_value: int, pages: int | None) -> str | None:
    """`ROLLED_BACK` if a file whose seal reads `recorded_value` was rolled back, given the
    `digest` of its pages now; None if they match, or if it is unsealed (nothing to compare)."""
    if recorded_value == UNSEALED:
        return None
    if recorded_value == ROLLBACK_SEEN:
        return ROLLED_BACK
    return None if pages == recorded_value else ROLLED_BACK


class OpenCheck:
    """The rollback check of a file opened for changes, begun at open on a connection of its own
    and worked out on a thread beside what follows (the command's imports, the first screen).

    Its read transaction holds SQLite's shared lock while the pages are hashed, so no write can
    land in the file meanwhile (a write waits, as for any reader, a moment); the thread ends the
    transaction as soon as the hash is done. The answer is waited for before the first write
    would clear the seal (`before_unseal`) and at close; a rollback found is then recorded for
    good, in that write or at close. Safe to ask from any thread.
    """

    def __init__(self, path: Path, key: RawKey) -> None:
        self._lock = threading.Lock()
        self._answer: str | None = None
        self._error: BaseException | None = None
        self._work: Meanwhile[str | None] | None = None
        conn = cipher.connect(path, key)
        try:
            conn.execute("BEGIN")
            value = recorded(conn)  # reading page 1 takes the shared lock
        except BaseException:
            conn.close()
            raise
        if value in (UNSEALED, ROLLBACK_SEEN):  # nothing to hash: unsealed, or known already
            self._answer = ROLLED_BACK if value == ROLLBACK_SEEN else None
            _end(conn)
        else:
            self._work = Meanwhile(_hash_then_end, conn, path, value)

    def answer(self) -> str | None:
        """`ROLLED_BACK` or None, waited for once. Should the file not be read to the end (a
        drive gone), that is raised again at every ask: no write may clear the seal unchecked."""
        with self._lock:
            if self._work is not None:
                work, self._work = self._work, None
                try:
                    self._answer = work.result()
                except BaseException as exc:
                    self._error = exc
            if self._error is not None:
                raise self._error
            return self._answer

    def before_unseal(self, conn: Connection) -> None:
        """In the transaction that is about to clear the seal: a rollback found is recorded."""
        if self.answer() == ROLLED_BACK:
            mark_rolled_back(conn)


def _hash_then_end(conn: Connection, path: Path, value: int) -> str | None:
    try:
        return None if digest(path) == value else ROLLED_BACK
    finally:
        _end(conn)


def _end(conn: Connection) -> None:
    with contextlib.suppress(cipher.DatabaseError):
        conn.execute("COMMIT")
    conn.close()
