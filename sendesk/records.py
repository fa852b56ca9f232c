"""What the services and commands need of an open set of records, on either back end.

A record file (`sendesk.vault.Vault`) and a team server (`sendesk.server.database.ServerDatabase`)
both provide it; services take only the session factory.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

from sendesk import schema

if TYPE_CHECKING:  # a record file is opened and checked without SQLAlchemy (see sendesk.vault)
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from sendesk.models import Meta


class Records(Protocol):
    sessions: sessionmaker[Session]
    sql_dialect: str  # what `reading` speaks: "sqlite" or "postgresql" (sendesk.register_query)

    def meta(self) -> Meta: ...

    def schema_revision(self) -> str | None: ...

    def reading(self) -> contextlib.AbstractContextManager[Any]:
        """The driver's own connection (sqlcipher3's or psycopg's), for plain SQL that reads."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Records: ...

    def __exit__(self, *exc: object) -> None: ...


class OpenRecords:
    """What both back ends answer the same way, from their engine and session factory."""

    engine: Engine
    sessions: sessionmaker[Session]

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A session inside one transaction: committed on success, rolled back on error."""
        with self.sessions() as session, session.begin():
            yield session

    def meta(self) -> Meta:
        from sqlalchemy import select

        from sendesk.models import Meta

        with self.sessions() as session:
            return session.execute(select(Meta)).scalar_one()

    def schema_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return schema.current_revision(conn)
