"""What the windows share while records are open: a record file's vault or a server connection,
swapped when the app locks."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Union

from sendesk.errors import FileClosed

if TYPE_CHECKING:  # SQLAlchemy loads when a file is opened, not with the start window
    from sendesk.filelock import WriteLock
    from sendesk.server.address import ServerAddress
    from sendesk.server.database import ServerDatabase
    from sendesk.services import Sessions
    from sendesk.vault import Vault

# Either back end; both give sessions, a view per worker (`for_job`), `meta`, `close`.
OpenRecords = Union["Vault", "ServerDatabase"]


class FileContext:
    """The open records. Widgets ask it for sessions, so a re-unlock reaches them all.

    While the app is locked there is no vault, no engine and no key here; for a record file only
    its write lock is kept, so no other copy of SENDesk starts changing the file meanwhile; for a
    server, the connection is closed and its password forgotten.

    Asked from a worker thread, it gives that thread's own view (`for_job`: a view of the file,
    or a connection of its own to the server), so work that reaches for `ctx.sessions` off the
    GUI thread never shares an engine with it.
    """

    def __init__(self, records: OpenRecords) -> None:
        self._vault: OpenRecords | None = records
        self.is_server = getattr(records, "kind", "file") == "server"
        self.server_address: ServerAddress | None = (
            getattr(records, "address", None) if self.is_server else None
        )
        # A server has no path; its label stands in wherever a file's name is shown.
        self.path: Path = Path(records.label()) if self.is_server else records.path  # type: ignore[union-attr]
        self.read_only = records.read_only
        self.kept_lock: WriteLock | None = None
        self._gui_thread = threading.get_ident()
        self._views = threading.local()  # each worker thread's own view of the open records

    @property
    def vault(self) -> Vault:
        """The open records (typed as a `Vault`: a server connection offers the same calls the
        windows use; file-only actions are hidden on a server)."""
        if self._vault is None:
            raise FileClosed()
        if threading.get_ident() == self._gui_thread:
            return self._vault  # type: ignore[return-value]
        view = getattr(self._views, "vault", None)
        if view is None or view.closed or not view.is_view_of(self._vault):
            view = self._views.vault = self._vault.for_job()
        return view  # type: ignore[return-value]

    @property
    def records(self) -> OpenRecords:
        return self.vault

    @property
    def sessions(self) -> Sessions:
        return self.vault.sessions

    @property
    def is_open(self) -> bool:
        return self._vault is not None

    def label(self) -> str:
        """How the title and About name what is open: a file's name, or "sendesk on sen-server
        as j.smith"."""
        if self.server_address is not None:
            return self.server_address.label()
        return self.path.name

    def lock(self) -> None:
        """Close the records for a while: a file keeps its write lock for `reopen`; a server
        connection is closed and its password forgotten."""
        if self._vault is None:
            return
        if self.is_server:
            self._vault.close()
        else:
            self.kept_lock = self._vault.close_keeping_lock()  # type: ignore[union-attr]
        self._vault = None

    def close(self) -> None:
        """Close the records for good, releasing a file's write lock."""
        if self._vault is not None:
            self._vault.close()
            self._vault = None
        if self.kept_lock is not None:
            self.kept_lock.release()
            self.kept_lock = None

    def reopen(self, records: OpenRecords) -> None:
        if self._vault is not None:
            self._vault.close()
        held = getattr(records, "write_lock", None)
        if self.kept_lock is not None and self.kept_lock is not held:
            self.kept_lock.release()
        self.kept_lock = None
        self._vault = records
