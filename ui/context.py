"""What the windows share while a file is open: the vault, swapped when the app locks."""

from __future__ import annotations

import threading

from sendesk.filelock import WriteLock
from sendesk.services import Sessions
from sendesk.vault import FileClosed, Vault


class FileContext:
    """The open record file. Widgets ask it for sessions, so a re-unlock reaches them all.

    While the app is locked there is no vault, no engine and no key here; only the file's write
    lock is kept, so no other copy of SENDesk starts changing the file meanwhile.

    Asked from a worker thread, it gives that thread's own view of the file (`Vault.for_job`),
    so work that reaches for `ctx.sessions` off the GUI thread never shares an engine with it.
    """

    def __init__(self, vault: Vault) -> None:
        self._vault: Vault | None = vault
        self.path = vault.path
        self.read_only = vault.read_only
        self.kept_lock: WriteLock | None = None
        self._gui_thread = threading.get_ident()
        self._views = threading.local()  # each worker thread's own view of the open file

    @property
    def vault(self) -> Vault:
        if self._vault is None:
            raise FileClosed()
        if threading.get_ident() == self._gui_thread:
            return self._vault
        view: Vault | None = getattr(self._views, "vault", None)
        if view is None or view.closed or not view.is_view_of(self._vault):
            view = self._views.vault = self._vault.for_job()
        return view

    @property
    def sessions(self) -> Sessions:
        return self.vault.sessions

    @property
    def is_open(self) -> bool:
        return self._vault is not None

    def lock(self) -> None:
        """Close the file for a while, keeping its write lock for `reopen`."""
        if self._vault is not None:
            self.kept_lock = self._vault.close_keeping_lock()
            self._vault = None

    def close(self) -> None:
        """Close the file for good, releasing its write lock."""
        if self._vault is not None:
            self._vault.close()
            self._vault = None
        if self.kept_lock is not None:
            self.kept_lock.release()
            self.kept_lock = None

    def reopen(self, vault: Vault) -> None:
        if self._vault is not None:
            self._vault.close()
        if self.kept_lock is not None and self.kept_lock is not vault.write_lock:
            self.kept_lock.release()
        self.kept_lock = None
        self._vault = vault
