"""Restoring a backup: prove it whole first, then put a verified copy in place in one rename.

A backup is refused before anything is written if it does not open with the passphrase given, if
either integrity check finds a fault (a flipped byte anywhere, a truncated file), or if it is not a
SENDesk file. A file that is replaced is first copied, byte for byte, into the `backups` folder
beside it, so a restore can always be undone. An interrupted restore leaves the target as it was.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from sendesk import atomic, backup, cipher, file_bytes, schema, seal
from sendesk.cipher import RawKey
from sendesk.errors import (
    BadInput,
    CannotUnlock,
    DamagedFile,
    FileProblem,
    NewerFile,
    NotARecordFile,
    SendeskError,
)
from sendesk.filelock import CannotHold, WriteLock
from sendesk.models import utcnow

CANNOT_OPEN = (
    "This backup does not open with that passphrase: the passphrase is wrong, or the file is "
    "damaged or not a SENDesk backup. Nothing was changed."
)


@dataclass(frozen=True)
class BackupFacts:
    """What a backup that passed every check holds."""

    path: Path
    file_id: str
    school: str
    revision: str | None
    counts: dict[str, int]
    transfer: bool = False  # a transfer file of one pupil (sendesk.services.transfer)


@dataclass(frozen=True)
class Restored:
    path: Path
    facts: BackupFacts
    replaced_copy: Path | None  # where the file that was replaced is kept


def check_backup(path: Path, passphrase_text: str) -> tuple[RawKey, BackupFacts]:
    """Open a backup read-only and prove it sound, or raise `CannotUnlock` / `DamagedFile`."""
    path = Path(path)
    try:
        salt = cipher.read_salt(path)
    except NotARecordFile:
        raise  # a PDF or a CSV picked by mistake: said as such
    except CannotUnlock as exc:
        raise CannotUnlock(CANNOT_OPEN) from exc
    except DamagedFile as exc:
        raise DamagedFile(_DAMAGED, exc.problems) from exc
    key = RawKey.derive(passphrase_text, salt)
    return key, check_backup_key(path, key)


def check_backup_key(path: Path, key: RawKey) -> BackupFacts:
    """`check_backup` with the key already derived."""
    try:
        conn = cipher.connect(path, key)
    except CannotUnlock as exc:
        raise cipher.not_a_record_file(path) or CannotUnlock(CANNOT_OPEN) from exc
    except DamagedFile as exc:
        raise DamagedFile(_DAMAGED, exc.problems) from exc
    try:
        try:
            cipher.probe(conn)
        except DamagedFile as exc:
            raise DamagedFile(_DAMAGED, exc.problems) from exc
        try:
            if not {"meta", "alembic_version"} <= set(cipher.table_names(conn)):
                raise CannotUnlock(CANNOT_OPEN)
            problems = cipher.integrity_problems(conn)
            if (rolled_back := seal.check(conn, path)) is not None:
                problems.append(rolled_back)
            if problems:
                raise DamagedFile(_DAMAGED, problems)
            counts = cipher.row_counts(conn)
            meta = conn.execute("SELECT file_id, school_name FROM meta").fetchone()
            transfer = conn.execute(
                "SELECT 1 FROM app_setting WHERE key = ?", (TRANSFER_MARKER_KEY,)
            ).fetchone()
            version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except cipher.DatabaseError as exc:
            raise DamagedFile(_DAMAGED, [str(exc)]) from exc
    finally:
        conn.close()
        file_bytes.release(path)  # a backup's bytes are read no more, unless open here
    if meta is None:
        raise DamagedFile(_DAMAGED, ["the file's identity row is missing"])
    revision = str(version[0]) if version else None
    if revision is not None and revision not in schema.known_revisions():
        raise NewerFile(
            "This backup was made by a newer SENDesk; install the newest SENDesk to restore it. "
            "Nothing was changed."
        )
    return BackupFacts(path, str(meta[0]), str(meta[1]), revision, counts, transfer is not None)


_DAMAGED = (
    "This backup failed its integrity checks (it has been changed or damaged since it was made) "
    "and was not restored. Nothing was changed; try an older backup."
)


# The app_setting row that marks a transfer file (one pupil, for their new school).
TRANSFER_MARKER_KEY = "pupil_transfer"


def restore(
    backup_path: Path, passphrase_text: str, target: Path, *, replace: bool = False
) -> Restored:
    """Restore `backup_path` to `target`; an existing target needs `replace` and is kept.

    The restored file opens with the backup's passphrase.
    """
    backup_path, target = Path(backup_path), Path(target)
    _check_target(backup_path, target, replace)
    # A file being replaced is held as any writer holds it: never while another SENDesk has it
    # open (its changes would go on into the file replaced, and be lost).
    try:
        lock = WriteLock.acquire(target) if target.exists() else None
    except CannotHold as exc:
        raise FileProblem(
            f"{target.name} cannot be replaced: SENDesk cannot write in the folder "
            f"{target.parent} ({exc.why}). Nothing was changed."
        ) from exc
    try:
        key, facts = check_backup(backup_path, passphrase_text)
        if facts.transfer:  # restored, it would be a school's file holding one pupil
            raise BadInput(
                f"{backup_path.name} is a transfer file of one pupil for their new school, not "
                "a backup: the new school receives it (Receive a pupil, or sendesk receive). "
                "Nothing was changed."
            )
        return _restore_checked(backup_path, key, facts, target, replace)
    finally:
        if lock is not None:
            lock.release()


def _check_target(backup_path: Path, target: Path, replace: bool) -> None:
    if target.is_dir() and not target.is_symlink():
        raise FileProblem(f"{target} is a folder; give a file name such as school.sendesk.")
    if atomic.check_kind(target, "The restored file") is not None:  # a link is refused
        if target.resolve() == backup_path.resolve():
            raise FileProblem("A backup cannot be restored over itself; choose another file.")
        if not replace:
            raise FileProblem(
                f"{target} already exists and was not changed. Replacing it needs your "
                "confirmation (on the command line, --replace); it is then kept as a backup."
            )
        if _journal(target).exists():
            raise FileProblem(
                f"{target.name} has an unfinished change from a program that stopped; open it "
                "once in SENDesk (which completes the undo), close it, then restore."
            )


def _restore_checked(
    backup_path: Path, key: RawKey, facts: BackupFacts, target: Path, replace: bool
) -> Restored:
    backup.sweep_temporaries(target.parent)
    tmp = backup.temporary_name(target)
    kept: Path | None = None
    try:
        with backup.write_errors_explained(target.parent, "The restored file"):
            expected = backup.export_unverified(backup_path, key, tmp, key)
            _audit_restore(tmp, key, backup_path)
            expected["audit_event"] = expected.get("audit_event", 0) + 1
            backup.seal_and_verify(tmp, key, expected)
            backup.fsync_file(tmp)
        if target.exists():
            if not replace:  # appeared while we worked
                raise FileProblem(f"{target} already exists and was not changed.")
            kept = keep_copy(target)
        with backup.write_errors_explained(target.parent, "The restored file"):
            tmp.replace(target)
            backup.fsync_folder(target.parent)
    except BaseException:
        backup.remove_temporary(tmp)
        raise
    return Restored(target, facts, kept)


def _audit_restore(path: Path, key: RawKey, source: Path) -> None:
    conn = cipher.connect(path, key)
    try:
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO audit_event (at, action, pupil_uuid, summary) VALUES (?, ?, NULL, ?)",
            (
                utcnow().strftime("%Y-%m-%d %H:%M:%S.%f"),
                "file.restored",
                f"Restored from the backup {source.name}",
            ),
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


def keep_copy(path: Path) -> Path:
    """A byte-for-byte copy of `path` in the `backups` folder beside it, never rotated away."""
    folder = backup.backup_folder(path)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise FileProblem(f"Cannot create the backup folder {folder}: {exc.strerror}.") from exc
    backup.sweep_temporaries(folder)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
    dest = folder / f"{path.stem}-replaced-{stamp}Z{path.suffix}"
    tmp = backup.temporary_name(dest)
    try:
        with backup.write_errors_explained(folder, "The copy of the file being replaced"):
            shutil.copyfile(path, tmp)
            backup.fsync_file(tmp)
            tmp.replace(dest)
            backup.fsync_folder(folder)
    except BaseException:
        backup.remove_temporary(tmp)
        raise
    return dest


def _journal(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


# --- a damaged file: start again from the newest good backup -----------------------------------


def newest_good_backup(record_file: Path, passphrase_text: str) -> BackupFacts | None:
    """The newest automatic backup of this file that opens with the passphrase and is sound."""
    keys: dict[bytes, RawKey] = {}
    for candidate in reversed(backup.automatic_backups(record_file)):
        try:
            salt = cipher.read_salt(candidate)
            key = keys.setdefault(salt, RawKey.derive(passphrase_text, salt))
            return check_backup_key(candidate, key)
        except SendeskError:
            continue
    return None


def recover(record_file: Path, passphrase_text: str, good: BackupFacts | None = None) -> Path:
    """Restore the newest good backup to a new file beside a damaged one; returns its path.

    The damaged file is left exactly as it is, for IT support.
    """
    good = good or newest_good_backup(record_file, passphrase_text)
    if good is None:
        raise FileProblem(
            "No backup of this file opens with this passphrase and passes its checks."
        )
    day = dt.date.today().isoformat()
    target = record_file.with_name(f"{record_file.stem}-recovered-{day}{record_file.suffix}")
    n = 2
    while target.exists():
        target = record_file.with_name(
            f"{record_file.stem}-recovered-{day}-{n}{record_file.suffix}"
        )
        n += 1
    return restore(good.path, passphrase_text, target).path
