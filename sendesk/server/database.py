"""An open team-server database: what the services need (a session factory), like a `Vault`.

Connecting never upgrades the schema: several people use a server at once, so the person who runs
it upgrades it deliberately with `sendesk server upgrade`.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DBAPIError, OperationalError

from sendesk import schema
from sendesk.errors import BadInput, CannotUnlock, NewerFile, from_database
from sendesk.records import OpenRecords
from sendesk.server.address import ServerAddress

if TYPE_CHECKING:  # the ORM is imported when a session is first wanted (see `sessions`)
    import psycopg
    from sqlalchemy.orm import Session, sessionmaker

CONNECT_TIMEOUT_SECONDS = 10


class PasswordNeeded(BadInput):
    """The server asks for a password and none was found (PGPASSWORD, .pgpass): ask the user."""

    def __init__(self, address: ServerAddress) -> None:
        super().__init__(
            f"The server {address.label()} asks for a password: set PGPASSWORD, add it to "
            "your .pgpass file, or run the command in a terminal to be asked."
        )


class LoginRefused(CannotUnlock):
    """Wrong login or password (exit code 3, like a wrong passphrase)."""


class ServerUnreachable(BadInput):
    """No server answered, or its certificate could not be trusted."""


def engine_for(address: ServerAddress, password: str | None = None) -> Engine:
    connect_args: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "application_name": "SENDesk",
    }
    if password is not None:
        connect_args["password"] = password
    # hide_parameters keeps pupil data out of error messages and logs, as for the record file.
    engine = create_engine(
        address.url, connect_args=connect_args, hide_parameters=True, pool_pre_ping=True
    )
    event.listen(engine, "handle_error", _refusals_explained)
    return engine


def _refusals_explained(context: ExceptionContext) -> None:
    """What the server refuses this login (a grant, a row policy) arrives as a sentence the app
    and the command line already show, not as a driver error."""
    known = from_database(context.original_exception)
    if known is not None:
        raise known from context.sqlalchemy_exception


def explain_connect_failure(address: ServerAddress, exc: DBAPIError) -> BadInput | CannotUnlock:
    """The sentence for a failed connection, from libpq's own words."""
    reason = str(exc.orig)
    lowered = reason.lower()
    if "no password supplied" in lowered:
        return PasswordNeeded(address)
    if "password authentication failed" in lowered or (
        "role" in lowered and "does not exist" in lowered
    ):
        return LoginRefused(
            f"The server {address.label()} refused the login: wrong login or password."
        )
    if "database" in lowered and "does not exist" in lowered:
        return BadInput(f"The server has no database called {address.database}.")
    if "certificate" in lowered or "ssl" in lowered:
        return ServerUnreachable(
            f"The connection to {address.url.host} could not be secured: "
            f"{_not_secured(address, reason)}. Check the school's certificate authority file "
            "(sslrootcert) and the server's name with your IT support."
        )
    return ServerUnreachable(
        f"No SENDesk server answered at {address.url.host}:{address.url.port or 5432} "
        "(is it running, and is this computer on the school's network?)."
    )


def _not_secured(address: ServerAddress, reason: str) -> str:
    """Why libpq would not trust the server, in words for the member of staff; its own words
    when the reason is none of the usual ones."""
    lowered = reason.lower()
    ca = address.url.query.get("sslrootcert")
    if "does not support ssl" in lowered:
        return "the server does not offer a secure connection (TLS), so the password was not sent"
    if "does not match host name" in lowered:
        return f"the server's certificate is not for {address.url.host}"
    if "certificate verify failed" in lowered:
        return (
            f"the server's certificate is not signed by the certificate authority in {ca}, "
            "or it has expired"
        )
    if "root certificate file" in lowered:
        return f"the certificate authority file {ca} could not be read as a certificate"
    return reason.strip().rstrip(".")


class ServerDatabase(OpenRecords):
    """A SENDesk database on a PostgreSQL server. Use `connect`; close it when done."""

    kind = "server"
    sql_dialect = "postgresql"
    upgrade = None  # a server is never upgraded on connect

    read_only = False  # what a login may change is decided by its role, on the server

    def __init__(self, address: ServerAddress, engine: Engine, password: str | None = None) -> None:
        self.address = address
        self.engine = engine
        # Kept in memory only while connected, for the engines of background jobs and exports;
        # never written anywhere, and forgotten on close.
        self._password = password
        self.closed = False
        self._parent: ServerDatabase | None = None
        self._views: list[ServerDatabase] = []  # the jobs' connections, closed with this one
        self._role: tuple[str | None] | None = None  # asked once per connection

    if TYPE_CHECKING:
        sessions: sessionmaker[Session]
    else:

        @functools.cached_property
        def sessions(self):
            # Made on first use: a command that only reads the register (`reading`) needs no
            # ORM, which costs more to import than the query takes.
            from sqlalchemy.orm import sessionmaker

            return sessionmaker(self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def reading(self) -> Iterator[psycopg.Connection[Any]]:
        """The driver's own connection for plain SQL, as `Vault.reading` gives a file's; its
        transaction is rolled back when the block ends, so nothing is changed through it."""
        with self.engine.connect() as conn:
            try:
                yield conn.connection.driver_connection  # type: ignore[misc]
            except Exception as exc:  # what the server refuses, said as through the engine
                known = from_database(exc)
                if known is None:
                    raise
                raise known from exc

    @classmethod
    def connect(
        cls, address: ServerAddress, password: str | None = None, *, check_schema: bool = True
    ) -> ServerDatabase:
        engine = engine_for(address, password)
        try:
            with engine.connect() as conn:
                names = set(
                    conn.execute(
                        text(
                            "SELECT table_name FROM information_schema.tables "
                            "WHERE table_schema = current_schema()"
                        )
                    ).scalars()
                )
                revision = schema.current_revision(conn) if "alembic_version" in names else None
        except OperationalError as exc:
            engine.dispose()
            raise explain_connect_failure(address, exc) from exc
        except BaseException:
            engine.dispose()
            raise
        if check_schema:
            try:
                _check_revision(address, names, revision)
            except BaseException:
                engine.dispose()
                raise
        return cls(address, engine, password)

    def close(self) -> None:
        """Disconnect: every pooled connection is closed and the password forgotten."""
        self.engine.dispose()
        self._password = None
        self.closed = True
        views, self._views = self._views, []
        for view in views:  # a worker thread's connection must not outlive the lock
            view.close()

    def for_job(self) -> ServerDatabase:
        """A connection of its own for one background job, made and closed on its thread."""
        if self.closed:
            raise BadInput("The connection to the server is closed.")
        engine = engine_for(self.address, self._password)
        view = ServerDatabase(self.address, engine, self._password)
        view._parent = self
        view._role = self._role
        self._views = [v for v in self._views if not v.closed] + [view]
        return view

    def is_view_of(self, other: ServerDatabase) -> bool:
        return self._parent is other and not other.closed

    def role(self) -> str | None:
        """The SENDesk role of this login ("senco", "teacher", …), or None if it has none.

        The owner of the database (its administrator) counts as the SENCo: it may do everything.
        """
        if self._role is None:
            self._role = (self._ask_role(),)
        return self._role[0]

    def _ask_role(self) -> str | None:
        from sendesk.server import access  # its policy texts are only needed here

        roles = access.role_names(self.database_name())
        with self.engine.connect() as conn:
            owner = conn.execute(
                text(
                    "SELECT pg_has_role(current_user, d.datdba, 'USAGE') FROM pg_database d "
                    "WHERE d.datname = current_database()"
                )
            ).scalar_one()
            if owner:
                return "senco"
            groups = conn.execute(
                text(
                    "SELECT rolname FROM pg_roles WHERE rolname = ANY(:names) "
                    "AND pg_has_role(current_user, oid, 'MEMBER')"
                ),
                {"names": list(roles.values())},
            ).scalars()
            member_of = set(groups)
        for role, group in roles.items():
            if group in member_of:
                return role
        return None

    def database_name(self) -> str:
        with self.engine.connect() as conn:
            return str(conn.execute(text("SELECT current_database()")).scalar_one())

    def export_file(self, dest: Path, new_passphrase: str) -> int:
        """An encrypted, verified record file of the whole database; returns the rows copied."""
        from sendesk.server import admin

        copied = admin.export_file(self.address, self._password, dest, new_passphrase)
        return sum(table.rows for table in copied)

    def __enter__(self) -> ServerDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def login(self) -> str:
        with self.engine.connect() as conn:
            return str(conn.execute(text("SELECT current_user")).scalar_one())

    def label(self) -> str:
        return self.address.label()


def _check_revision(address: ServerAddress, names: set[str], revision: str | None) -> None:
    if not {"meta", "alembic_version"} <= names or revision is None:
        raise BadInput(
            f"{address.label()} is not a SENDesk database yet; the person who runs the "
            f"server creates it with: sendesk server init {address} --school NAME"
        )
    head = schema.head_revision()
    if revision == head:
        return
    if revision not in schema.known_revisions():
        raise NewerFile(
            "The server's database was upgraded by a newer SENDesk than this one. "
            "Install the newer SENDesk to use it."
        )
    raise BadInput(
        f"The server's database is at an older schema ({revision}); the person who runs the "
        f"server upgrades it with: sendesk server upgrade {address}"
    )
