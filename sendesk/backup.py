"""Verified encrypted copies of a record file, and the rolling automatic backups beside it.

A backup is itself a `.sendesk` file made with `sqlcipher_export()` into a temporary file in the
target folder, opened and checked (both integrity checks, the same row count in every table),
flushed to disk and only then renamed into place. A failure at any point leaves no partial file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
from pathlib import Path

from sendesk import cipher
from sendesk.cipher import RawKey
from sendesk.errors import DamagedFile, FileProblem

BACKUP_FOLDER = "backups"
KEEP_AUTOMATIC = 10
_REASON = re.compile(r"[^a-z0-9-]+")


def backup_folder(record_file: Path) -> Path:
    return record_file.parent / BACKUP_FOLDER


def make_backup(source: Path, key: RawKey, dest: Path, dest_key: RawKey | None = None) -> Path:
    """Copy `source` to `dest` (which must not exist), verified; `dest_key` defaults to `key`.

    With the default key the copy keeps the source's salt, so the same passphrase opens it.
    """
    dest_key = dest_key or key
    if dest.exists():
        raise FileProblem(f"{dest} already exists; choose another name.")
    if not dest.parent.is_dir():
        raise FileProblem(f"The folder {dest.parent} does not exist.")
    tmp = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.tmp")
    try:
        _export(source, key, tmp, dest_key)
        _fsync_file(tmp)
        tmp.replace(dest)
        _fsync_folder(dest.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return dest


def automatic_backup(source: Path, key: RawKey, reason: str) -> Path:
    """A backup in the `backups` folder beside the file, then the oldest beyond ten removed."""
    folder = backup_folder(source)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise FileProblem(f"Cannot create the backup folder {folder}: {exc.strerror}.") from exc
    # UTC, so the names sort in the order they were made even when the clocks go back.
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
    tag = _REASON.sub("-", reason.lower()).strip("-") or "backup"
    dest = make_backup(source, key, folder / f"{source.stem}-{stamp}Z-{tag}.sendesk")
    for old in automatic_backups(source)[:-KEEP_AUTOMATIC]:
        with contextlib.suppress(OSError):
            old.unlink()
    return dest


def automatic_backups(source: Path) -> list[Path]:
    """The automatic backups of this file (not of another file with a longer name), oldest first."""
    folder = backup_folder(source)
    if not folder.is_dir():
        return []
    ours = re.compile(re.escape(source.stem) + r"-\d{8}-\d{6}-\d{6}Z-[a-z0-9-]+\.sendesk")
    return sorted(p for p in folder.iterdir() if ours.fullmatch(p.name))


def _export(source: Path, key: RawKey, tmp: Path, dest_key: RawKey) -> None:
    conn = cipher.connect(source, key)
    try:
        cipher.probe(conn)
        literal = str(tmp).replace("'", "''")
        conn.execute(f"ATTACH DATABASE '{literal}' AS backup KEY {dest_key.sql_literal()}")
        try:
            # One read transaction: the counts describe exactly what was exported.
            conn.execute("BEGIN")
            expected = cipher.row_counts(conn)
            conn.execute("SELECT sqlcipher_export('backup')")
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.execute("DETACH DATABASE backup")
    finally:
        conn.close()
    verify_copy(tmp, dest_key, expected)


def verify_copy(path: Path, key: RawKey, expected: dict[str, int]) -> None:
    """Open a copy and prove it sound and complete, or raise `DamagedFile`."""
    conn = cipher.connect(path, key)
    try:
        cipher.probe(conn)
        problems = cipher.integrity_problems(conn)
        counts = cipher.row_counts(conn)
    finally:
        conn.close()
    if problems:
        raise DamagedFile("The backup copy failed its integrity check.", problems)
    if counts != expected:
        raise DamagedFile("The backup copy does not hold every row of the original.")


def _fsync_file(path: Path) -> None:
    # Read-write: Windows refuses to flush a handle opened read-only.
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    # Makes the rename durable on POSIX; Windows cannot open a folder this way and needs no call.
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
