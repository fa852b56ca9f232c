"""Verified encrypted copies of a record file, and the rolling automatic backups beside it.

A backup is itself a `.sendesk` file made with `sqlcipher_export()` into a temporary file in the
target folder, opened and checked (the cipher's check of every page, SQLite's check of every tree,
the foreign keys, the same row count in every table), flushed to disk and only then renamed into
place. A failure at any point leaves no partial file. Under the same key the copy is the file's
own bytes, so its checks are the file's; if they fail, an export is tried, checked as any copy.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

from sendesk import FILE_SUFFIX, atomic, cipher, file_bytes, seal
from sendesk.cipher import RawKey
from sendesk.errors import DamagedFile, FileProblem, SendeskError, known_failure
from sendesk.meanwhile import Meanwhile

BACKUP_FOLDER = "backups"
KEEP_AUTOMATIC = 10  # the newest ten are always kept
KEEP_DAILY_DAYS = 31  # then the newest of each day for a month
KEEP_WEEKLY_WEEKS = 52  # then the newest of each week for a year
# The tag of the last automatic backup under the old passphrase.
BEFORE_PASSPHRASE_CHANGE = "before-passphrase-change"  # noqa: S105 - a file-name tag
_REASON = re.compile(r"[^a-z0-9-]+")


def backup_folder(record_file: Path) -> Path:
    return record_file.parent / BACKUP_FOLDER


def suggested_backup(record_file: Path, now: dt.datetime) -> Path:
    """Where a backup made by hand is first offered: beside the file until the user chooses a
    stick or another drive, named to the minute so that next week's never meets this week's
    (a free name, -2, -3..., within the minute)."""
    stem = f"{record_file.stem}-backup-{now:%Y-%m-%d-%H%M}"
    candidate = record_file.with_name(f"{stem}{FILE_SUFFIX}")
    number = 2
    while candidate.exists():
        candidate = record_file.with_name(f"{stem}-{number}{FILE_SUFFIX}")
        number += 1
    return candidate


def name_for(school: str) -> str:
    """A school's name as the start of a file name: its letters and digits, each run of anything
    else one dash ("Oakfield Primary (demo)" is Oakfield-Primary-demo)."""
    return _NOT_IN_A_NAME.sub("-", school).strip("-") or "school"


_NOT_IN_A_NAME = re.compile(r"[\W_]+")  # letters of any language are kept


def make_backup(source: Path, key: RawKey, dest: Path, dest_key: RawKey | None = None) -> Path:
    """Copy `source` to `dest` (which must not exist), verified; `dest_key` defaults to `key`.

    With the default key the copy keeps the source's salt, so the same passphrase opens it: it
    is then the source's own bytes (`copy_verified`); under another key, an export.
    """
    if atomic.check_kind(dest, "The backup") is not None:  # a link, even to nowhere, is refused
        raise FileProblem(f"{dest} already exists; choose another name.")
    if dest_key is None or dest_key == key:
        _into_place(dest, "The backup", lambda tmp: _copy_or_export(source, key, tmp))
    else:
        _export_into_place(source, key, dest, dest_key, "The backup")
    return dest


def _copy_or_export(source: Path, key: RawKey, tmp: Path) -> None:
    """The source's own bytes at `tmp` (`copy_verified`); if they fail the checks, an export
    instead, checked as a new file: `sqlcipher_export` leaves behind some faults (free pages
    lost track of, say), so a file with only those still gets its backup."""
    if not (found := copy_verified(source, key, tmp)):
        return
    remove_temporary(tmp)
    try:
        seal_and_verify(tmp, key, export_unverified(source, key, tmp, key))
    except DamagedFile as exc:
        # The file's own bytes failed first: the fault is the file's, not the copy's.
        raise DamagedFile(
            f"{source.name} failed its integrity check, so it was not copied: a copy would carry "
            "the same fault. Restore its most recent backup; `sendesk verify` gives the details.",
            found,
        ) from exc


def _export_into_place(source: Path, key: RawKey, dest: Path, dest_key: RawKey, what: str) -> None:
    """`export_unverified` and `seal_and_verify`, into place (`_into_place`)."""

    def export(tmp: Path) -> None:
        expected = export_unverified(source, key, tmp, dest_key)
        seal_and_verify(tmp, dest_key, expected)

    _into_place(dest, what, export)


def _into_place(dest: Path, what: str, make: Callable[[Path], None]) -> None:
    """`make` a verified copy at a temporary file beside `dest`, flush it, then rename it over
    `dest`. Whatever goes wrong, `dest` is either untouched or the complete, verified copy."""
    sweep_temporaries(dest.parent)
    tmp = temporary_name(dest)
    try:
        with write_errors_explained(dest.parent, what):
            make(tmp)
            fsync_file(tmp)
            tmp.replace(dest)
            fsync_folder(dest.parent)
    except BaseException:
        remove_temporary(tmp)
        raise


def temporary_name(dest: Path) -> Path:
    """A hidden name beside `dest` that says which process is writing it.

    A process killed outright cannot tidy up after itself; the process id in the name lets the
    next backup, restore or open in that folder remove what a dead process left behind.
    """
    return dest.with_name(f".{dest.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def sweep_temporaries(folder: Path) -> list[Path]:
    """Remove temporary files that a killed SENDesk left in `folder`; returns what was removed."""
    return atomic.sweep(folder)


def remove_temporary(tmp: Path) -> None:
    """Remove a temporary file and any journal SQLite left beside it."""
    for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
        with contextlib.suppress(OSError):
            leftover.unlink()


@contextlib.contextmanager
def write_errors_explained(folder: Path, what: str) -> Iterator[None]:
    """Turn a failed write (disk full, file too large, unplugged stick, read-only or busy) into a
    plain sentence, by the one mapping in `sendesk.errors`; anything else goes through as it is."""
    try:
        yield
    except SendeskError:
        raise
    except Exception as exc:
        known = known_failure(exc, f"{what} could not be written to {folder}")
        if known is None or isinstance(known, DamagedFile):
            raise
        raise known from exc


def reencrypt(path: Path, key: RawKey, new_key: RawKey) -> None:
    """Replace `path` by a verified copy under `new_key`; if interrupted, the file is untouched.

    Unlike `PRAGMA rekey`, which rewrites every page in place, the new file is built beside the
    old one and renamed over it, so a crash or a full disk can never leave a half-rekeyed file.
    The file must be closed (no open connection) when this is called.
    """
    _export_into_place(path, key, path, new_key, "The re-encrypted file")


def automatic_backup(source: Path, key: RawKey, reason: str) -> Path:
    """A backup in the `backups` folder beside the file, then those `to_keep` leaves out removed."""
    folder = backup_folder(source)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise FileProblem(f"Cannot create the backup folder {folder}: {exc.strerror}.") from exc
    # UTC, so the names sort in the order they were made even when the clocks go back.
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
    tag = _REASON.sub("-", reason.lower()).strip("-") or "backup"
    dest = make_backup(source, key, folder / f"{source.stem}-{stamp}Z-{tag}.sendesk")
    made = automatic_backups(source)
    # Only after the new one is verified, and never the one just made.
    keep = to_keep([made_at(source, p) for p in made], made_at(source, dest))
    for old in made:
        if made_at(source, old) not in keep and old != dest:
            with contextlib.suppress(OSError):
                old.unlink()
    return dest


def to_keep(made: list[dt.datetime], now: dt.datetime) -> set[dt.datetime]:
    """Which automatic backups to keep, by when they were made (UTC): history by time.

    The newest ten; the newest of each day for the last month; the newest of each week for the
    last year. So a day of many locks never rotates out last week's good copy, and a file that
    is hardly used keeps its old copies as long as they fall in a window.
    """
    newest_first = sorted(made, reverse=True)
    keep = set(newest_first[:KEEP_AUTOMATIC])
    days: set[dt.date] = set()
    weeks: set[tuple[int, int]] = set()
    for when in newest_first:
        age = now - when
        if age <= dt.timedelta(days=KEEP_DAILY_DAYS) and when.date() not in days:
            days.add(when.date())
            keep.add(when)
        week = when.isocalendar()[:2]
        if age <= dt.timedelta(weeks=KEEP_WEEKLY_WEEKS) and week not in weeks:
            weeks.add(week)
            keep.add(when)
    return keep


def made_at(source: Path, automatic: Path) -> dt.datetime:
    """When an automatic backup was begun, from its name (UTC, naive)."""
    return dt.datetime.strptime(automatic.name[len(source.stem) + 1 :][:22], "%Y%m%d-%H%M%S-%f")


def automatic_backups(source: Path) -> list[Path]:
    """The automatic backups of this file (not of another file with a longer name), oldest first."""
    folder = backup_folder(source)
    if not folder.is_dir():
        return []
    ours = re.compile(re.escape(source.stem) + r"-\d{8}-\d{6}-\d{6}Z-[a-z0-9-]+\.sendesk")
    return sorted(p for p in folder.iterdir() if ours.fullmatch(p.name))


def changed_since_last_automatic_backup(source: Path) -> bool:
    """Whether the file was written after its newest automatic backup was begun (or has none)."""
    made = automatic_backups(source)
    if not made:
        return True
    stamp = made_at(source, made[-1])
    try:
        written = dt.datetime.fromtimestamp(source.stat().st_mtime, dt.UTC).replace(tzinfo=None)
    except OSError:
        return True
    return written > stamp


def seal_and_verify(path: Path, key: RawKey, expected: dict[str, int]) -> None:
    """Seal a new private copy (its pages are new: it gets its own digest) and prove it sound and
    complete, or raise `DamagedFile`.

    The digest is worked out on a thread while SQLite checks the same pages, and recorded once
    they pass; page 1, which recording it writes, is then read back. Nothing else writes the copy.
    """
    hashing = Meanwhile(functools.partial(seal.digest, private=True), path)
    try:
        verify_copy(path, key, expected)  # unsealed yet: there is no digest to compare
    except BaseException:
        # The hashing thread holds the copy open: it finishes before the copy is removed
        # (Windows refuses to delete a file that is open).
        with contextlib.suppress(Exception):
            hashing.result()
        raise
    _seal_copy(path, key, hashing.result())


def _seal_copy(path: Path, key: RawKey, value: int) -> None:
    """Record `value`, the digest of a private copy's pages, in its seal, and read it back."""
    seal.seal(path, key, digest_of_copy=value)
    conn = cipher.connect(path, key)
    try:
        cipher.probe(conn)
        if seal.recorded(conn) != value:
            raise DamagedFile(
                "The backup copy failed its integrity check.",
                ["its first page did not read back as it was written"],
            )
    finally:
        conn.close()


def copy_verified(source: Path, key: RawKey, tmp: Path) -> list[str]:
    """The source's bytes copied to the new file `tmp`, proved the same and sound, then sealed;
    or, if they are the same but not sound, what the checks found (nothing sealed).

    The bytes are copied, and their digest worked out beside, in one read transaction on the
    source (a writer waits a moment, as for any reader). The copy, which nothing else opens, is
    then checked in full (`cipher.copy_problems`) while its digest is worked out again from the
    disk: being the source's own bytes, it is sound exactly when the source is. Raises
    `DamagedFile` for a rolled-back source, as the export does, and for a copy that did not
    read back as the source's bytes or whose salt is not the key's (SQLCipher's checks do not
    cover the salt, and the passphrase would then not open the copy).
    """
    conn = cipher.connect(source, key)
    try:
        cipher.probe(conn)
        conn.execute("BEGIN")
        try:
            sealed_as = seal.recorded(conn)
            expected = cipher.row_counts(conn)  # from here the read lock is held
            hashing = Meanwhile(seal.digest, source)
            try:
                first_page = _copy_bytes(source, tmp)
            finally:  # its thread reads the source: waited for whatever happened
                pages = hashing.result()
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
    finally:
        conn.close()
        file_bytes.release(source)  # unless a vault of this process has it open
    if (rolled := seal.verdict(sealed_as, pages)) is not None:
        raise DamagedFile(f"{source.name} was not copied: {rolled}.", [rolled])
    copy_hashing = Meanwhile(functools.partial(seal.digest, private=True), tmp)
    try:
        copy = cipher.connect(tmp, key)
        try:
            cipher.probe(copy)
            found = cipher.copy_problems(copy, tmp, key)
            counts = cipher.row_counts(copy)  # from the pages the check has just read
        finally:
            copy.close()
    finally:  # its thread holds the copy open (Windows cannot remove an open file)
        copied = _waited_digest(copy_hashing)
    if copied != pages or _first_page(tmp) != first_page:
        raise DamagedFile(
            "The backup copy failed its integrity check.",
            ["it did not read back as the file's own bytes"],
        )
    if first_page[: cipher.SALT_BYTES] != key.salt:
        raise DamagedFile(
            f"{source.name} was not copied: the start of its first page is damaged.",
            ["the file's salt is not the one its key was made with"],
        )
    if found:
        return found
    if counts != expected:
        raise DamagedFile("The backup copy does not hold every row of the original.")
    _seal_copy(tmp, key, pages)
    return []


def _copy_bytes(source: Path, tmp: Path) -> bytes:
    """Copy `source` to the new file `tmp`, SQLite's lock-byte page as zeros (it holds no data,
    and Windows refuses to read it while a write is waiting); returns the first page. The source
    is read beside SQLite's locks (`file_bytes`)."""
    lock = seal.LOCK_PAGE
    with file_bytes.opened(source) as (read, size), tmp.open("xb") as out:
        first = read(0, cipher.PAGE_SIZE)
        out.write(first)
        offset = len(first)
        while offset < size:
            if offset in lock:
                out.write(bytes(min(len(lock), size - offset)))  # the copy as long as the file
                offset = min(lock.stop, size)
                continue
            end = min(size, lock.start) if offset < lock.start else size
            chunk = read(offset, min(_COPY_CHUNK, end - offset))
            if not chunk:
                break  # cut short meanwhile: the copy's digest will not match
            out.write(chunk)
            offset += len(chunk)
    return first


def _waited_digest(hashing: Meanwhile[int]) -> int | None:
    # A copy that cannot be read back is not the file's bytes: said so by the caller.
    try:
        return hashing.result()
    except OSError:
        return None


def _first_page(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(cipher.PAGE_SIZE)


_COPY_CHUNK = 1 << 20


def export_unverified(source: Path, key: RawKey, tmp: Path, dest_key: RawKey) -> dict[str, int]:
    """`sqlcipher_export()` of `source` into the new file `tmp`; returns the source's row counts."""
    conn = cipher.connect(source, key)
    try:
        cipher.probe(conn)
        literal = str(tmp).replace("'", "''")
        conn.execute(f"ATTACH DATABASE '{literal}' AS backup KEY {dest_key.sql_literal()}")
        try:
            # One read transaction: the counts describe exactly what was exported.
            conn.execute("BEGIN")
            # The source's digest is worked out while it is exported; a copy of a rolled-back
            # file is then thrown away, never kept.
            rolled_back = seal.check_meanwhile(conn, source)
            try:
                expected = cipher.row_counts(conn)
                conn.execute("SELECT sqlcipher_export('backup')")
            finally:
                # Waited for whatever happened (its thread reads the source); a rolled-back
                # source is said first, before a failure of the copy it would explain.
                if (found := rolled_back()) is not None:
                    raise DamagedFile(f"{source.name} was not copied: {found}.", [found])
            conn.execute("COMMIT")
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.execute("DETACH DATABASE backup")
    finally:
        conn.close()
        file_bytes.release(source)  # unless a vault of this process has it open
    return expected


def verify_copy(path: Path, key: RawKey, expected: dict[str, int]) -> None:
    """Open a copy and prove it sound and complete, or raise `DamagedFile`."""
    conn = cipher.connect(path, key)
    try:
        cipher.probe(conn)
        problems = cipher.copy_problems(conn, path, key)
        counts = cipher.row_counts(conn)  # from the pages the check has just read
        if (rolled_back := seal.check(conn, path)) is not None:
            problems.append(rolled_back)
    finally:
        conn.close()
    if problems:
        raise DamagedFile("The backup copy failed its integrity check.", problems)
    if counts != expected:
        raise DamagedFile("The backup copy does not hold every row of the original.")


def audit(path: Path, key: RawKey, action: str, summary: str) -> None:
    """Add one audit event to the file with a plain statement, in a transaction of its own.

    For the commands that otherwise need no SQLAlchemy (a backup): the row is the one the
    `AuditEvent` model writes (naive UTC as SQLAlchemy stores it, no actor in a file), and the
    same transaction marks the file unsealed, as every write does (`sendesk.seal`).
    """
    conn = cipher.connect(path, key)
    try:
        with cipher.writing(conn):
            seal.clear(conn)
            conn.execute(
                "INSERT INTO audit_event (at, action, pupil_uuid, summary) VALUES (?, ?, NULL, ?)",
                (_utcnow().strftime("%Y-%m-%d %H:%M:%S.%f"), action, summary),
            )
    finally:
        conn.close()


def _utcnow() -> dt.datetime:
    # Naive UTC, the convention for audit times (sendesk.models.utcnow, without SQLAlchemy).
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def fsync_file(path: Path) -> None:
    # Read-write: Windows refuses to flush a handle opened read-only.
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    atomic.fsync_folder(folder)
