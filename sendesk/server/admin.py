"""What the person who runs a team server does: create, upgrade, fill, export, add staff.

Each function works in one transaction: a failure leaves the server as it was.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from psycopg import sql
from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from sendesk import __version__, atomic, backup, codes, passphrase, schema
from sendesk.cipher import RawKey
from sendesk.errors import BadInput, FileProblem, NotAllowed, ValidationFailed
from sendesk.models import AuditEvent, Meta, Staff, first_rows
from sendesk.server import access, copy
from sendesk.server.address import ServerAddress
from sendesk.server.database import ServerDatabase, engine_for, explain_connect_failure
from sendesk.vault import Vault, _engine

LOGIN = re.compile(r"^[a-z][a-z0-9._-]{0,62}$")
MIN_PASSWORD = 12


@contextlib.contextmanager
def _admin(address: ServerAddress, password: str | None) -> Iterator[Connection]:
    """One transaction as the server's administrator; committed only if everything worked."""
    engine: Engine = engine_for(address, password)
    try:
        try:
            conn = engine.connect()
        except OperationalError as exc:
            raise explain_connect_failure(address, exc) from exc
        with conn, conn.begin():
            yield conn
    except NotAllowed as exc:  # the server's engine sorts refusals (errors.from_database)
        raise BadInput(
            f"The login {address.login} may not do this on the server: it must own the "
            "database and be allowed to create roles (see docs/server.md). Nothing was changed."
        ) from exc
    finally:
        engine.dispose()


def _sendesk_tables(conn: Connection) -> set[str]:
    return set(
        conn.execute(
            text(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        ).scalars()
    )


def _require_empty(conn: Connection, address: ServerAddress) -> None:
    if _sendesk_tables(conn):
        raise BadInput(
            f"The database {address.database} is not empty; SENDesk only sets up an empty "
            "database, so nothing there is ever overwritten."
        )


def init(address: ServerAddress, password: str | None, school_name: str) -> None:
    """A new, empty SENDesk database on the server, with its roles and rules."""
    school_name = school_name.strip()
    if not school_name:
        raise ValidationFailed({"school": "Give the school's name."})
    with _admin(address, password) as conn:
        _require_empty(conn, address)
        schema.upgrade(conn)
        with Session(bind=conn) as session:
            session.add_all(first_rows(school_name, "server.created", "Server database created"))
            session.flush()
        access.apply(conn)


@dataclass(frozen=True)
class Upgraded:
    from_revision: str | None
    to_revision: str


def upgrade(address: ServerAddress, password: str | None) -> Upgraded:
    """Run the newer revisions, then set every grant and policy afresh."""
    with _admin(address, password) as conn:
        if "alembic_version" not in _sendesk_tables(conn):
            raise BadInput(f"{address.label()} is not a SENDesk database; use server init.")
        before = schema.current_revision(conn)
        if before not in schema.known_revisions():
            raise BadInput("The server's database is newer than this SENDesk; nothing was done.")
        schema.upgrade(conn)
        after = schema.head_revision()
        access.apply(conn)
        with Session(bind=conn) as session:
            session.execute(select(Meta)).scalar_one().app_version = __version__
            session.add(
                AuditEvent(
                    action="server.upgraded",
                    summary=f"Schema upgraded from {before} to {after}",
                )
            )
            session.flush()
        return Upgraded(before, after)


def import_file(vault: Vault, address: ServerAddress, password: str | None) -> list[copy.TableCopy]:
    """A laptop's record file into an empty server database, verified row for row."""
    with _admin(address, password) as target:
        _require_empty(target, address)
        schema.upgrade(target)
        with vault.engine.connect() as source:
            file_revision = schema.current_revision(source)
            if file_revision != schema.head_revision():
                raise BadInput("Open the file with this SENDesk first, so it is upgraded.")
            # The file's audit rows keep their own (empty) author; new rows name the login.
            target.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_actor"))
            copied = copy.copy_rows(source, target)
            target.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_actor"))
            copy.sequences_follow_ids(target)
            audit_max = copy.max_id(source, AuditEvent.__table__)  # type: ignore[arg-type]
            copy.verified_or_raise(copy.compare(source, target, audit_max), "copy on the server")
        access.apply(target)
        with Session(bind=target) as session:
            session.add(
                AuditEvent(
                    action="server.imported",
                    summary="Records imported from a record file "
                    f"({sum(c.rows for c in copied)} rows)",
                )
            )
            session.flush()
        return copied


def export_file(
    address: ServerAddress, password: str | None, dest: Path, new_passphrase: str
) -> list[copy.TableCopy]:
    """An encrypted record file of the whole server database, verified before it is kept."""
    dest = Path(dest)
    if dest.exists() or dest.is_symlink():
        raise FileProblem(f"{dest} already exists; SENDesk never overwrites a record file.")
    atomic.check_folder(dest.parent)
    with ServerDatabase.connect(address, password) as server:
        passphrase.check_new(new_passphrase, (server.meta().school_name,))
        key = RawKey.fresh(new_passphrase)
        backup.sweep_temporaries(dest.parent)
        tmp = backup.temporary_name(dest)
        try:
            with backup.write_errors_explained(dest.parent, "export"):
                engine = _engine(tmp, key)
                try:
                    # One snapshot of the server, so the file is one moment of it.
                    with server.engine.connect() as source, engine.begin() as target:
                        source.execute(
                            text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                        )
                        schema.upgrade(target)
                        copied = copy.copy_rows(source, target)
                        copy.verified_or_raise(copy.compare(source, target), "exported file")
                        source.rollback()
                finally:
                    engine.dispose()
                with Vault.open(tmp, new_passphrase) as check:
                    problems = check.verify()
                copy.verified_or_raise(problems, "exported file")
                backup.fsync_file(tmp)
                if dest.exists():
                    raise FileProblem(f"{dest} appeared meanwhile; nothing was overwritten.")
                tmp.replace(dest)
                backup.fsync_folder(dest.parent)
        except BaseException:
            backup.remove_temporary(tmp)
            raise
        with server.session() as session:
            session.add(
                AuditEvent(
                    action="server.exported",
                    summary="Encrypted record file of the whole server database made",
                )
            )
        return copied


def add_user(
    address: ServerAddress,
    password: str | None,
    login: str,
    role: str,
    new_password: str,
    classes: list[str] | None = None,
) -> None:
    """A staff login in one role; the password is hashed here, so the server never sees it."""
    login = login.strip()
    if not LOGIN.match(login):
        raise BadInput(
            f"{login!r} cannot be a login: use lower-case letters, digits, dots, dashes or "
            "underscores, starting with a letter."
        )
    if role not in codes.ACCESS_ROLES:
        raise BadInput(f"The role must be one of {', '.join(codes.ACCESS_ROLES)}; not {role!r}.")
    if len(new_password) < MIN_PASSWORD:
        raise BadInput(f"A staff password needs at least {MIN_PASSWORD} characters.")
    class_list = [c.strip() for c in (classes or []) if c.strip()]
    if role == "teacher" and not class_list:
        raise BadInput("A teacher needs their classes, for example --classes 5B,6W.")
    with _admin(address, password) as conn:
        if "staff" not in _sendesk_tables(conn):
            raise BadInput(f"{address.label()} is not a SENDesk database; use server init.")
        roles = access.role_names(str(conn.execute(text("SELECT current_database()")).scalar_one()))
        dbapi: Any = conn.connection.dbapi_connection
        verifier = dbapi.pgconn.encrypt_password(
            new_password.encode(), login.encode(), b"scram-sha-256"
        ).decode()
        exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": login})
        verb = "ALTER" if exists.first() is not None else "CREATE"
        # Composed by psycopg, which quotes the login and the verifier; the password itself
        # never leaves this computer, only its SCRAM verifier does.
        with dbapi.cursor() as cur:
            who = sql.Identifier(login)
            cur.execute(
                sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(who, sql.Literal(verifier))
            )
            for name in roles.values():
                cur.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(name), who))
            cur.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(roles[role]), who))
        with Session(bind=conn) as session:
            staff = session.execute(select(Staff).where(Staff.login == login)).scalar_one_or_none()
            if staff is None:
                staff = Staff(name=login, login=login)
                session.add(staff)
            staff.access_role = role
            staff.classes = ",".join(class_list) or None
            staff.active = True
            session.add(
                AuditEvent(
                    action="server.user", summary=f"Staff login {login} given the role {role}"
                )
            )
            session.flush()
