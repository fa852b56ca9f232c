"""The encrypted record file: create, open (upgrading old files), change passphrase, verify, close.

Everything goes through SQLAlchemy's `sqlite+pysqlcipher` dialect with a creator that keys each new
pooled connection with the raw key derived once at unlock, before any other statement runs
(`sendesk.keyed_engine`). A vault makes that engine when it is first used: opening, checking and
closing a file work on raw connections, so `sendesk verify` imports no SQLAlchemy at all.
"""

from __future__ import annotations

import contextlib
import hmac
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sendesk import (
    __version__,
    atomic,
    backup,
    cipher,
    file_bytes,
    file_info,
    passphrase,
    schema,
    seal,
    text,
)
from sendesk.cipher import RawKey
from sendesk.errors import (
    CannotUnlock,
    DamagedFile,
    FileClosed,
    FileProblem,
    InUse,
    MadeButNotAudited,
    NewerFile,
    SendeskError,
    ValidationFailed,
    known_failure,
)
from sendesk.file_info import FileInfo
from sendesk.filelock import CannotHold, WriteLock
from sendesk.records import OpenRecords

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker


class ReadOnlyFile(SendeskError):
    """A change was attempted in a file opened read-only."""

    exit_code = 5

    def __init__(self) -> None:
        super().__init__("This record file is open read-only; nothing can be changed in it.")


def _engine(path: Path, key: RawKey | Callable[[], RawKey], **options: Any) -> Engine:
    from sendesk.keyed_engine import keyed_engine  # SQLAlchemy, once a query is to run

    return keyed_engine(path, key, **options)


@dataclass(frozen=True)
class Upgrade:
    """What happened when an older file was opened."""

    from_revision: str
    to_revision: str
    backup: Path


class Vault(OpenRecords):
    """An open record file. Use `Vault.create` or `Vault.open`; close it when done."""

    sql_dialect = "sqlite"

    def __init__(
        self,
        path: Path,
        key: RawKey,
        upgrade: Upgrade | None = None,
        *,
        write_lock: WriteLock | None = None,
        read_only: bool = False,
        parent: Vault | None = None,
        seal_check: seal.OpenCheck | None = None,
    ) -> None:
        self.path = path
        self._key: RawKey | None = key
        self.upgrade = upgrade
        self.write_lock = write_lock
        self.read_only = read_only
        self._parent = parent  # the vault this is a background job's view of
        self._jobs: weakref.WeakSet[Vault] = weakref.WeakSet()
        # Set once this process wrote, or failed part-way: closing then records the digest
        # afresh, since an undone write re-encrypts the pages it had spilled to disk. A job's
        # view shares its vault's, as its writes are the same process's.
        self._rolled_back: list[bool] = parent._rolled_back if parent else []
        # The rollback check begun when the file was opened for changes (a job's view shares it).
        self._seal_check: seal.OpenCheck | None = parent._seal_check if parent else seal_check
        self._connect()
        atomic.records_opened(path)

    def _connect(self) -> None:
        """Forget any engine made: the next use of `engine` or `sessions` makes a new one."""
        self.__dict__.pop("engine", None)
        self.__dict__.pop("sessions", None)
        # The connections in use now, closed by `close` too: disposing an engine leaves them open.
        self._in_use: dict[int, Any] = {}

    if not TYPE_CHECKING:  # the type checker sees `engine` and `sessions` as plain attributes

        def __getattr__(self, name: str) -> Any:
            # Only for `engine` and `sessions` before their first use (attributes found normally
            # after): made here, so that what never queries never imports SQLAlchemy.
            if name not in ("engine", "sessions"):
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            with _making:
                if "engine" not in self.__dict__:
                    self._make_engine()
            return self.__dict__[name]

    def _make_engine(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.orm import sessionmaker

        engine = _engine(
            self.path,
            self._live_key,
            read_only=self.read_only,
            own_connections=bool(self._parent),
            rolled_back=self._rolled_back,
            seal_check=self._seal_check,
        )
        sessions: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)
        in_use = self._in_use
        event.listen(engine, "checkout", lambda conn, *_: in_use.__setitem__(id(conn), conn))
        event.listen(engine, "checkin", lambda conn, *_: in_use.pop(id(conn), None))
        if self.read_only:
            event.listen(sessions, "before_flush", _refuse_flush)
        self.__dict__["sessions"] = sessions
        self.__dict__["engine"] = engine  # last: its presence says both are made

    def _dispose_engine(self) -> None:
        engine = self.__dict__.get("engine")
        if engine is not None:
            engine.dispose()

    def _live_key(self) -> RawKey:
        if self._key is None or (self._parent is not None and self._parent.closed):
            raise FileClosed()
        return self._key

    def is_view_of(self, vault: Vault) -> bool:
        return self._parent is vault

    def for_job(self) -> Vault:
        """This file with an engine of its own, for one background job's thread.

        Made and closed on the job's thread, so no SQLAlchemy object is shared with the GUI
        thread. Closing this vault closes every job's view too.
        """
        job = Vault(self.path, self._live_key(), read_only=self.read_only, parent=self)
        self._jobs.add(job)
        return job

    @property
    def closed(self) -> bool:
        return self._key is None

    # --- lifecycle --------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path,
        new_passphrase: str,
        school_name: str,
        *,
        check_strength: bool = True,
        deriving: cipher.KeyInProgress | None = None,
        fill: Callable[[Session], None] | None = None,
    ) -> Vault:
        """A new, empty record file. Refuses to overwrite anything. A key already being derived
        with a new salt for this passphrase (`deriving`, `KeyInProgress.fresh`) is used.

        `fill`, given the session that makes the file, writes records in the same transaction
        (a demo school): the file appears at `path` whole, sealed once, or not at all.
        """
        path = Path(path)
        school_name = school_name.strip()
        if problem := text.school_name_problem(school_name):
            raise ValidationFailed({"school": problem})
        if path.is_dir():
            raise FileProblem(f"{path} is a folder; give a file name such as school.sendesk.")
        if path.exists():
            raise FileProblem(f"{path} already exists; SENDesk never overwrites a record file.")
        atomic.check_folder(path.parent)
        if check_strength:
            passphrase.check_new(new_passphrase, (school_name,))
        if deriving is not None:
            key = _derive(new_passphrase, deriving.salt, deriving)
        else:
            key = RawKey.fresh(new_passphrase)
        # Built under a temporary name so an interrupted create leaves nothing half-made.
        tmp = backup.temporary_name(path)
        try:
            write_lock = WriteLock.acquire(path)
        except CannotHold as exc:
            raise FileProblem(
                f"A record file cannot be made in the folder {path.parent} ({exc.why}). "
                "Choose a folder of your own, such as Documents."
            ) from exc
        try:
            from sqlalchemy.orm import Session

            from sendesk.models import first_rows

            engine = _engine(tmp, key)
            try:
                # One transaction, so one commit (each waits for the disk, about 20 ms).
                with Session(engine) as session, session.begin():
                    schema.create_at_head(session.connection())
                    session.add_all(first_rows(school_name, "file.created", "Record file created"))
                    if fill is not None:
                        session.flush()  # the first rows are there for `fill` to change
                        fill(session)
            finally:
                engine.dispose()
            seal.seal(tmp, key)
            if path.exists():
                raise FileProblem(f"{path} already exists; SENDesk never overwrites a record file.")
            tmp.replace(path)
        except BaseException:
            backup.remove_temporary(tmp)
            write_lock.release()
            raise
        return cls(path, key, write_lock=write_lock)

    @classmethod
    def open(
        cls,
        path: Path,
        passphrase_text: str,
        *,
        script_location: Path = schema.DEFAULT_SCRIPT_LOCATION,
        read_only: bool = False,
        take_over: bool = False,
        holding: WriteLock | None = None,
        deriving: cipher.KeyInProgress | None = None,
        check_rollback: bool = True,
    ) -> Vault:
        """Unlock a file; an older schema is backed up, then upgraded. Raises `CannotUnlock`.

        Opening for writing holds the file's lock until `close`, or raises `FileInUse` naming
        who holds it; `read_only` takes no lock and never writes (not even an upgrade). An app
        unlocking again passes the lock it kept (`holding`), unless someone took it over since.
        A key already being derived for this passphrase (`deriving`) is used, not derived again.
        Opened for changes, the file is checked for a rollback beside what the caller does next
        (`seal.OpenCheck`), unless `check_rollback` is off: a caller that only reads (a
        command's `info`) loses no evidence and need not wait for it at close.
        """
        path = Path(path)
        try:
            if read_only:
                return cls._open_read_only(path, passphrase_text, script_location, deriving)
            salt = cipher.read_salt(path)
            if holding is not None and holding.held():
                write_lock = holding
            else:
                write_lock = WriteLock.acquire(path, take_over=take_over)
            try:
                return cls._open_locked(
                    path, passphrase_text, salt, script_location, write_lock, deriving,
                    check_rollback,
                )  # fmt: skip
            except BaseException:
                write_lock.release()
                raise
        except BaseException:
            file_bytes.release(path)  # not opened: no connection of it is left
            raise

    @classmethod
    def _open_read_only(
        cls,
        path: Path,
        passphrase_text: str,
        script_location: Path,
        deriving: cipher.KeyInProgress | None,
    ) -> Vault:
        key = _derive(passphrase_text, cipher.read_salt(path), deriving)
        revision, _written_by = _identify(path, key)
        if revision != schema.head_revision(script_location):
            raise FileProblem(
                f"{path.name} needs upgrading to this SENDesk's format, which only a copy of "
                "SENDesk that can change it may do; open it for changes once it is free."
            )
        return cls(path, key, read_only=True)

    @classmethod
    def _open_locked(
        cls,
        path: Path,
        passphrase_text: str,
        salt: bytes,
        script_location: Path,
        write_lock: WriteLock,
        deriving: cipher.KeyInProgress | None,
        check_rollback: bool,
    ) -> Vault:
        for folder in (path.parent, backup.backup_folder(path)):
            backup.sweep_temporaries(folder)  # what a killed backup or restore left behind
        atomic.sweep_remembered()  # and a killed export, wherever it was writing
        key = _derive(passphrase_text, salt, deriving)
        try:
            revision, written_by = _identify(path, key)
        except CannotUnlock as exc:
            raise _damage_or_wrong_passphrase(path, passphrase_text, key) from exc
        head = schema.head_revision(script_location)
        upgrade = None
        if revision != head:
            if revision not in schema.known_revisions(script_location):
                raise NewerFile(
                    f"This file was last written by SENDesk {written_by}, which is newer than "
                    f"this SENDesk ({__version__}). "
                    f"Install SENDesk {written_by} or later to open it."
                )
            saved = backup.automatic_backup(path, key, f"before-upgrade-{revision}")
            _upgrade(path, key, script_location)
            upgrade = Upgrade(revision, head, saved)
        # Checked beside what the caller does next; waited for only before a first write.
        stamping = written_by != __version__ or upgrade is not None  # a write, even for a reader
        check = seal.OpenCheck(path, key) if check_rollback or stamping else None
        vault = cls(path, key, upgrade, write_lock=write_lock, seal_check=check)
        if stamping:
            vault._stamp_version(upgrade)
        return vault

    def close(self) -> None:
        """Close every connection, forget the key and release the lock; nothing is beside the file.

        Any session or engine still held elsewhere fails with `FileClosed` from now on, rather
        than quietly reconnecting with a key still in memory.
        """
        kept = self.close_keeping_lock()
        if kept is not None:
            kept.release()

    def close_keeping_lock(self) -> WriteLock | None:
        """Close as `close` does but keep the write lock (returned), as an app does that locks:
        nobody else starts changing the file while its user is away."""
        key, self._key = self._key, None
        if key is not None:  # closed once, however often `close` is called
            atomic.records_closed(self.path)
        for conn in list(self._in_use.values()):
            with contextlib.suppress(cipher.DatabaseError):
                conn.close()  # a session still holding one fails from now on, never writes
        self._in_use.clear()
        self._dispose_engine()  # one never made is not made now
        for job in list(self._jobs):
            job.close()
        if self._seal_check is not None:
            with contextlib.suppress(Exception):  # the lock is released whatever the check did
                self._seal_check.answer()  # its thread and connection end before the file closes
        if key is not None and self._parent is None and not self.read_only:
            with contextlib.suppress(SendeskError, OSError, cipher.DatabaseError):
                self._seal_with(key)  # best effort: an unsealed file only hides a rollback
        if key is not None:  # no connection of this vault is left: its bytes' reader may go
            file_bytes.release(self.path)
        kept, self.write_lock = self.write_lock, None
        return kept

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- what the file says about itself -----------------------------------------------------

    # --- passphrase and checks ---------------------------------------------------------------

    def check_passphrase(self, candidate: str) -> bool:
        key = self._live_key()
        derived = RawKey.derive(candidate, key.salt)
        return hmac.compare_digest(derived.key, key.key)

    def change_passphrase(self, current: str, new: str) -> Path:
        """Re-encrypt under a new passphrase after a verified backup; returns the backup's path."""
        if not self.check_passphrase(current):
            raise CannotUnlock("The current passphrase is wrong; nothing was changed.")
        if self.read_only or self.write_lock is None or not self.write_lock.held():
            raise ReadOnlyFile()  # another process may have it open: re-keying would break it
        passphrase.check_new(new, (self.meta().school_name,))
        key = self._live_key()
        saved = backup.automatic_backup(self.path, key, backup.BEFORE_PASSPHRASE_CHANGE)
        new_key = RawKey.derive(new, key.salt)
        self._dispose_engine()
        try:
            # A verified copy under the new key replaces the file in one rename.
            backup.reencrypt(self.path, key, new_key)
            self._key = new_key
        finally:
            self._connect()
        from sendesk.models import AuditEvent

        with self.session() as session:
            session.add(AuditEvent(action="passphrase.changed", summary="Passphrase changed"))
        return saved

    def seal(self) -> None:
        """Record the rollback digest now, if anything was written since it was last recorded.

        Done at close; also before a backup on closing, so the seal's own write comes before the
        backup and an unchanged file is not taken for a changed one at the next close.
        """
        self._seal_with(self._live_key())

    def _seal_with(self, key: RawKey) -> None:
        # A rollback found at open needs no write to stay found (the seal still disagrees with
        # the pages, and a damaged file is never written to), unless the digest would be
        # recorded afresh over it: the finding is recorded in its place instead.
        # Raises when the open's check could not read the file: no fresh digest is recorded over
        # a seal nobody compared (close goes on without sealing).
        found = self._seal_check is not None and self._seal_check.answer() == seal.ROLLED_BACK
        afresh = bool(self._rolled_back)
        seal.seal(self.path, key, afresh=afresh and not found, rolled_back=afresh and found)
        self._rolled_back.clear()

    def verify(self) -> list[str]:
        """Every problem the cipher, SQLite, foreign-key and rollback checks find; empty when
        sound. A file not closed cleanly since its last change cannot be checked for rollback."""
        conn = cipher.connect(self.path, self._live_key())
        try:
            conn.execute("BEGIN")  # a read transaction: no commit lands between the checks
            problems = cipher.integrity_problems(conn)
            if (rolled_back := seal.check(conn, self.path)) is not None:
                problems.append(rolled_back)
            conn.execute("COMMIT")
            return problems
        except cipher.DatabaseError as exc:
            known = known_failure(exc, "The check could not finish")
            if isinstance(known, InUse):  # busy is not damage: say so, never call it damage
                raise known from exc
            return [f"the file could not be read to the end ({exc})"]
        finally:
            conn.close()

    def info(self) -> FileInfo:
        """`sendesk.services.files.info` of this file, read without SQLAlchemy (the same answer:
        a test compares them)."""
        with self.reading() as conn:
            return file_info.read(conn)

    @contextlib.contextmanager
    def reading(self) -> Iterator[cipher.Connection]:
        """A keyed raw connection that can only read, for a command that needs no SQLAlchemy."""
        conn = cipher.connect(self.path, self._live_key())
        try:
            conn.execute("PRAGMA query_only = ON")
            yield conn
        finally:
            conn.close()

    def backup_to(self, dest: Path, dest_passphrase: str | None = None) -> Path:
        """A verified copy at `dest`, under the same passphrase or its own."""
        dest_key = RawKey.fresh(dest_passphrase) if dest_passphrase else None
        saved = backup.make_backup(self.path, self._live_key(), dest, dest_key)
        passphrase_note = "its own passphrase" if dest_passphrase else "the same passphrase"
        try:
            if self.read_only:
                raise ReadOnlyFile()
            # A plain statement: the ORM would cost this command more than the audit row.
            try:
                backup.audit(
                    self.path,
                    self._live_key(),
                    "file.backup",
                    f"Backup made with {passphrase_note}",
                )
            except BaseException:
                self._rolled_back.append(True)  # as for a failed write through the engine
                raise
        except Exception as exc:
            # The backup is finished and verified: never report it as a failure.
            known = known_failure(exc, "The audit log could not record it")
            if known is None:
                raise
            raise MadeButNotAudited(
                f"The backup was made and verified: {saved}. {known.message}", saved
            ) from exc
        return saved

    def automatic_backup(self, reason: str) -> Path:
        return backup.automatic_backup(self.path, self._live_key(), reason)

    def _stamp_version(self, upgrade: Upgrade | None) -> None:
        from sqlalchemy import select

        from sendesk import measure_models
        from sendesk.models import AuditEvent, Meta

        with self.session() as session:
            session.execute(select(Meta)).scalar_one().app_version = __version__
            if upgrade:
                session.add(
                    AuditEvent(
                        action="file.upgraded",
                        summary=f"Schema upgraded from {upgrade.from_revision} to "
                        f"{upgrade.to_revision} after a backup to {upgrade.backup.name}",
                    )
                )
                # A file made before measures existed gets the examples a new file starts with.
                added = measure_models.examples_for_an_upgraded_file(session)
                if added:
                    session.add_all(added)
                    session.add(
                        AuditEvent(
                            action="measure.add",
                            summary=f"Added {len(added)} example assessment measures",
                        )
                    )


def _refuse_flush(session: Session, *_: object) -> None:
    if session.new or session.dirty or session.deleted:
        raise ReadOnlyFile()


_making = threading.Lock()  # one engine per vault, whichever thread asks first


def _derive(passphrase_text: str, salt: bytes, deriving: cipher.KeyInProgress | None) -> RawKey:
    found = deriving.key_for(passphrase_text, salt) if deriving is not None else None
    return found or RawKey.derive(passphrase_text, salt)


def _identify(path: Path, key: RawKey) -> tuple[str | None, str]:
    """The schema revision and the app version that last wrote the file, read with `key`.

    This reads page 1 and the schema, and nothing that grows with the file: the full check is
    `Vault.verify` (the app runs it in the background after unlocking; a backup checks its copy).
    A wrong key fails on page 1 as `CannotUnlock`; a page 1 that decrypts proves the key right,
    so every later failure is `DamagedFile`.
    """
    conn = cipher.connect(path, key)
    try:
        cipher.probe(conn)
        try:
            names = set(cipher.table_names(conn))
            if not {"meta", "alembic_version"} <= names:
                raise CannotUnlock()
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            written = conn.execute("SELECT app_version FROM meta").fetchone()
        except cipher.DatabaseError as exc:
            raise DamagedFile(_DAMAGED, [str(exc)]) from exc
        if written is None:
            raise DamagedFile(_DAMAGED, ["the file's identity row is missing"])
    finally:
        conn.close()
    return (str(revision[0]) if revision else None), str(written[0])


def _damage_or_wrong_passphrase(path: Path, passphrase_text: str, key: RawKey) -> SendeskError:
    """Page 1 would not decrypt: a wrong passphrase, or a damaged page 1 (they look the same).

    An automatic backup of this file with the same salt, made since the passphrase was last
    changed, that opens with this passphrase tells them apart: then the passphrase is right and
    the file is damaged. Only the newest few are tried, and only as far as their first page, so
    a wrong passphrase is still answered at once and needs no second key derivation.
    """
    for candidate in list(reversed(backup.automatic_backups(path)))[:_BACKUPS_TO_TRY]:
        try:
            try:
                if cipher.read_salt(candidate) != key.salt:
                    continue  # another lineage (a restored file), or the salt itself is damaged
                cipher.connect(candidate, key).close()
            finally:
                file_bytes.release(candidate)  # read no more, and nothing of it is open
        except SendeskError:
            if candidate.name.endswith(f"-{backup.BEFORE_PASSPHRASE_CHANGE}.sendesk"):
                break  # older backups hold the passphrase before the change
            continue
        if candidate.name.endswith(f"-{backup.BEFORE_PASSPHRASE_CHANGE}.sendesk"):
            # It opens with the passphrase from before the last change: not this file's.
            return CannotUnlock(
                "wrong passphrase: that is the passphrase this file had before it was last "
                "changed (it still opens the backup made just before the change)"
            )
        return DamagedFile(
            _DAMAGED,
            [
                "the start of the file cannot be read, though its backup "
                f"{candidate.name} opens with this passphrase"
            ],
        )
    return cipher.not_a_record_file(path) or CannotUnlock()


_BACKUPS_TO_TRY = 3
_DAMAGED = cipher.DAMAGED


def _upgrade(path: Path, key: RawKey, script_location: Path) -> None:
    """Run the migrations in one transaction; any orphaned row found afterwards undoes it all."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    engine = _engine(path, key, foreign_keys=False)
    try:
        with engine.begin() as conn:
            raw: Any = conn.connection.dbapi_connection
            seal.clear(raw)  # DDL is not counted as a change
            schema.upgrade(conn, script_location=script_location)
            orphans = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            if orphans:
                raise DamagedFile("The upgrade would leave broken links; the file was not changed.")
    except DBAPIError as exc:
        raise DamagedFile(f"The upgrade failed and the file was not changed: {exc.orig}") from exc
    finally:
        engine.dispose()
