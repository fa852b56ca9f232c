"""The encrypted record file: create, open (upgrading old files), change passphrase, verify, close.

Everything goes through SQLAlchemy's `sqlite+pysqlcipher` dialect with a creator that keys each new
pooled connection with the raw key derived once at unlock, before any other statement runs.
"""

from __future__ import annotations

import contextlib
import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlcipher import SQLiteDialect_pysqlcipher
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from sendesk import __version__, atomic, backup, cipher, passphrase, schema, seal
from sendesk.cipher import RawKey
from sendesk.errors import (
    CannotUnlock,
    DamagedFile,
    FileProblem,
    InUse,
    MadeButNotAudited,
    NewerFile,
    SendeskError,
    ValidationFailed,
    known_failure,
)
from sendesk.models import AuditEvent, Meta, SchoolSettings, new_uuid, utcnow


class KeyedCipherDialect(SQLiteDialect_pysqlcipher):
    """pysqlcipher without its URL passphrase: our creator has keyed the connection already.

    The stock dialect would run `PRAGMA key` with the URL's password, which would put the
    passphrase in a URL and re-key an already keyed connection.
    """

    supports_statement_cache = True

    def on_connect_url(self, url: Any) -> Any:
        return SQLiteDialect_pysqlite.on_connect_url(self, url)


registry.register("sqlite.sendeskcipher", __name__, "KeyedCipherDialect")


def _engine(
    path: Path,
    key: RawKey,
    *,
    foreign_keys: bool = True,
    rolled_back: list[bool] | None = None,
) -> Engine:
    def connect() -> cipher.Connection:
        conn = cipher.connect(path, key)
        if not foreign_keys:
            conn.execute("PRAGMA foreign_keys = OFF")  # a batch migration copies tables
        return conn

    # hide_parameters keeps pupil data out of error messages and logs.
    engine = create_engine("sqlite+sendeskcipher://", creator=connect, hide_parameters=True)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")
        conn.info["changes_at_begin"] = _total_changes(conn)

    @event.listens_for(engine, "commit")
    def _commit(conn: Any) -> None:
        # A transaction that wrote unseals the file in the same transaction (see sendesk.seal).
        if _total_changes(conn) != conn.info.get("changes_at_begin"):
            if rolled_back is not None:
                rolled_back.append(True)  # should the commit itself fail, see _rollback
            seal.clear(conn.connection.dbapi_connection)

    @event.listens_for(engine, "handle_error")
    def _error(context: Any) -> None:
        if rolled_back is not None:
            rolled_back.append(True)  # a failed statement may have been a write: see _rollback

    @event.listens_for(engine, "rollback")
    def _rollback(conn: Any) -> None:
        # Undoing a write that had spilled pages to disk re-encrypts them (new IVs): the same
        # records in new bytes. Noted, so that closing records the digest afresh.
        try:
            wrote = _total_changes(conn) != conn.info.get("changes_at_begin")
        except Exception:
            wrote = True
        if wrote and rolled_back is not None:
            rolled_back.append(True)

    return engine


def _total_changes(conn: Any) -> int:
    return int(conn.connection.dbapi_connection.execute("SELECT total_changes()").fetchone()[0])


@dataclass(frozen=True)
class Upgrade:
    """What happened when an older file was opened."""

    from_revision: str
    to_revision: str
    backup: Path


class Vault:
    """An open record file. Use `Vault.create` or `Vault.open`; close it when done."""

    def __init__(self, path: Path, key: RawKey, upgrade: Upgrade | None = None) -> None:
        self.path = path
        self._key = key
        self.upgrade = upgrade
        # Set once this process wrote, or failed part-way: closing then records the digest
        # afresh, since an undone write re-encrypts the pages it had spilled to disk.
        self._rolled_back: list[bool] = []
        self.engine = _engine(path, key, rolled_back=self._rolled_back)
        self.sessions: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)

    # --- lifecycle --------------------------------------------------------------------------

    @classmethod
    def create(
        cls, path: Path, new_passphrase: str, school_name: str, *, check_strength: bool = True
    ) -> Vault:
        """A new, empty record file. Refuses to overwrite anything."""
        path = Path(path)
        school_name = school_name.strip()
        if not school_name:
            raise ValidationFailed({"school": "Give the school's name."})
        if path.is_dir():
            raise FileProblem(f"{path} is a folder; give a file name such as school.sendesk.")
        if path.exists():
            raise FileProblem(f"{path} already exists; SENDesk never overwrites a record file.")
        if not path.parent.is_dir():
            raise FileProblem(f"The folder {path.parent} does not exist.")
        if check_strength:
            passphrase.check_new(new_passphrase, (school_name,))
        key = RawKey.fresh(new_passphrase)
        # Built under a temporary name so an interrupted create leaves nothing half-made.
        tmp = backup.temporary_name(path)
        try:
            engine = _engine(tmp, key)
            try:
                with engine.begin() as conn:
                    schema.upgrade(conn)
                with Session(engine) as session, session.begin():
                    session.add(
                        Meta(
                            id=1,
                            file_id=new_uuid(),
                            school_name=school_name,
                            created_at=utcnow(),
                            app_version=__version__,
                        )
                    )
                    session.add(SchoolSettings(id=1))
                    session.add(AuditEvent(action="file.created", summary="Record file created"))
            finally:
                engine.dispose()
            seal.seal(tmp, key)
            if path.exists():
                raise FileProblem(f"{path} already exists; SENDesk never overwrites a record file.")
            tmp.replace(path)
        except BaseException:
            backup.remove_temporary(tmp)
            raise
        return cls(path, key)

    @classmethod
    def open(
        cls,
        path: Path,
        passphrase_text: str,
        *,
        script_location: Path = schema.DEFAULT_SCRIPT_LOCATION,
    ) -> Vault:
        """Unlock a file; an older schema is backed up, then upgraded. Raises `CannotUnlock`."""
        path = Path(path)
        salt = cipher.read_salt(path)
        for folder in (path.parent, backup.backup_folder(path)):
            backup.sweep_temporaries(folder)  # what a killed backup or restore left behind
        atomic.sweep_remembered()  # and a killed export, wherever it was writing
        key = RawKey.derive(passphrase_text, salt)
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
        vault = cls(path, key, upgrade)
        if written_by != __version__ or upgrade:
            vault._stamp_version(upgrade)
        return vault

    def close(self) -> None:
        """Close every connection; the file is complete on disk with nothing beside it."""
        self.engine.dispose()
        with contextlib.suppress(SendeskError, OSError, cipher.DatabaseError):
            self.seal()  # best effort: an unsealed file is only one whose rollback goes unseen

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- what the file says about itself -----------------------------------------------------

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session inside one transaction: committed on success, rolled back on error."""
        with self.sessions() as session, session.begin():
            yield session

    def meta(self) -> Meta:
        with self.sessions() as session:
            return session.execute(select(Meta)).scalar_one()

    def schema_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return schema.current_revision(conn)

    # --- passphrase and checks ---------------------------------------------------------------

    def check_passphrase(self, candidate: str) -> bool:
        derived = RawKey.derive(candidate, self._key.salt)
        return hmac.compare_digest(derived.key, self._key.key)

    def change_passphrase(self, current: str, new: str) -> Path:
        """Re-encrypt under a new passphrase after a verified backup; returns the backup's path."""
        if not self.check_passphrase(current):
            raise CannotUnlock("The current passphrase is wrong; nothing was changed.")
        passphrase.check_new(new, (self.meta().school_name,))
        saved = backup.automatic_backup(self.path, self._key, backup.BEFORE_PASSPHRASE_CHANGE)
        new_key = RawKey.derive(new, self._key.salt)
        self.engine.dispose()
        try:
            # A verified copy under the new key replaces the file in one rename.
            backup.reencrypt(self.path, self._key, new_key)
            self._key = new_key
        finally:
            self.engine = _engine(self.path, self._key, rolled_back=self._rolled_back)
            self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        with self.session() as session:
            session.add(AuditEvent(action="passphrase.changed", summary="Passphrase changed"))
        return saved

    def seal(self) -> None:
        """Record the rollback digest now, if anything was written since it was last recorded.

        Done at close; also before a backup on closing, so the seal's own write comes before the
        backup and an unchanged file is not taken for a changed one at the next close.
        """
        seal.seal(self.path, self._key, afresh=bool(self._rolled_back))
        self._rolled_back.clear()

    def verify(self) -> list[str]:
        """Every problem the cipher, SQLite, foreign-key and rollback checks find; empty when
        sound. A file not closed cleanly since its last change cannot be checked for rollback."""
        conn = cipher.connect(self.path, self._key)
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

    def backup_to(self, dest: Path, dest_passphrase: str | None = None) -> Path:
        """A verified copy at `dest`, under the same passphrase or its own."""
        dest_key = RawKey.fresh(dest_passphrase) if dest_passphrase else None
        saved = backup.make_backup(self.path, self._key, dest, dest_key)
        passphrase_note = "its own passphrase" if dest_passphrase else "the same passphrase"
        try:
            with self.session() as session:
                session.add(
                    AuditEvent(action="file.backup", summary=f"Backup made with {passphrase_note}")
                )
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
        return backup.automatic_backup(self.path, self._key, reason)

    def _stamp_version(self, upgrade: Upgrade | None) -> None:
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
            if cipher.read_salt(candidate) != key.salt:
                continue  # another lineage (a restored file), or the salt itself is damaged
            cipher.connect(candidate, key).close()
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
    return CannotUnlock()


_BACKUPS_TO_TRY = 3
_DAMAGED = cipher.DAMAGED


def _upgrade(path: Path, key: RawKey, script_location: Path) -> None:
    """Run the migrations in one transaction; any orphaned row found afterwards undoes it all."""
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
