"""What the services and commands need of an open set of records, on either back end.

A record file (`sendesk.vault.Vault`) and a team server (`sendesk.server.database.ServerDatabase`)
both provide it; services take only the session factory.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from sendesk.models import Meta


class Records(Protocol):
    sessions: sessionmaker[Session]

    def meta(self) -> Meta: ...

    def schema_revision(self) -> str | None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Records: ...

    def __exit__(self, *exc: object) -> None: ...
