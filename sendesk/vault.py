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

from sendesk import __version__, backup, cipher, measure_models, passphrase, schema
from sendesk.cipher import RawKey
from sendesk.errors import CannotUnlock, DamagedFile, FileProblem, NewerFile, ValidationFailed
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


def _engine(path: Path, key: RawKey, *, foreign_keys: bool = True) -> Engine:
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

    return engine


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
        self.engine = _engine(path, key)
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
                    session.add_all(measure_models.examples())
                    session.add(AuditEvent(action="file.created", summary="Record file created"))
            finally:
                engine.dispose()
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
        key = RawKey.derive(passphrase_text, salt)
        revision, written_by = _identify(path, key)
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
        saved = backup.automatic_backup(self.path, self._key, "before-passphrase-change")
        new_key = RawKey.derive(new, self._key.salt)
        self.engine.dispose()
        try:
            # A verified copy under the new key replaces the file in one rename.
            backup.reencrypt(self.path, self._key, new_key)
            self._key = new_key
        finally:
            self.engine = _engine(self.path, self._key)
            self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        with self.session() as session:
            session.add(AuditEvent(action="passphrase.changed", summary="Passphrase changed"))
        return saved

    def verify(self) -> list[str]:
        """Every problem the cipher, SQLite and foreign-key checks find; empty when sound."""
        conn = cipher.connect(self.path, self._key)
        try:
            return cipher.integrity_problems(conn)
        except cipher.DatabaseError as exc:
            return [f"the file could not be read to the end ({exc})"]
        finally:
            conn.close()

    def backup_to(self, dest: Path, dest_passphrase: str | None = None) -> Path:
        """A verified copy at `dest`, under the same passphrase or its own."""
        dest_key = RawKey.fresh(dest_passphrase) if dest_passphrase else None
        saved = backup.make_backup(self.path, self._key, dest, dest_key)
        with self.session() as session:
            passphrase_note = "its own passphrase" if dest_passphrase else "the same passphrase"
            session.add(
                AuditEvent(action="file.backup", summary=f"Backup made with {passphrase_note}")
            )
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

    Any failure to read (wrong key, not SQLCipher, truncated, not a SENDesk file) is `CannotUnlock`;
    damage past the first pages is found by the quick check and reported as `DamagedFile`.
    """
    conn = cipher.connect(path, key)
    try:
        cipher.probe(conn)
        # Page 1 decrypted and passed its HMAC, so the key is right: a failure from here on
        # is damage, not a wrong passphrase.
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
        try:
            quick = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
        except cipher.DatabaseError as exc:
            raise DamagedFile(_DAMAGED, [str(exc)]) from exc
        if quick != ["ok"]:
            raise DamagedFile(_DAMAGED, quick)
    finally:
        conn.close()
    return (str(revision[0]) if revision else None), str(written[0])


_DAMAGED = (
    "The record file is damaged and was not changed. Open your newest backup instead, "
    "and keep the damaged file for your IT support."
)


def _upgrade(path: Path, key: RawKey, script_location: Path) -> None:
    """Run the migrations in one transaction; any orphaned row found afterwards undoes it all."""
    engine = _engine(path, key, foreign_keys=False)
    try:
        with engine.begin() as conn:
            schema.upgrade(conn, script_location=script_location)
            orphans = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            if orphans:
                raise DamagedFile("The upgrade would leave broken links; the file was not changed.")
    except DBAPIError as exc:
        raise DamagedFile(f"The upgrade failed and the file was not changed: {exc.orig}") from exc
    finally:
        engine.dispose()
