"""What the windows share while a file is open: the vault, swapped when the app locks."""

from __future__ import annotations

from sendesk.filelock import WriteLock
from sendesk.services import Sessions
from sendesk.vault import FileClosed, Vault


class FileContext:
    """The open record file. Widgets ask it for sessions, so a re-unlock reaches them all.

    While the app is locked there is no vault, no engine and no key here; only the file's write
    lock is kept, so no other copy of SENDesk starts changing the file meanwhile.
    """

    def __init__(self, vault: Vault) -> None:
        self._vault: Vault | None = vault
        self.path = vault.path
        self.read_only = vault.read_only
        self.kept_lock: WriteLock | None = None

    @property
    def vault(self) -> Vault:
        if self._vault is None:
            raise FileClosed()
        return self._vault

    @property
    def sessions(self) -> Sessions:
        return self.vault.sessions

    @property
    def is_open(self) -> bool:
        return self._vault is not None

    def lock(self) -> None:
        """Close the file for a while, keeping its write lock for `reopen`."""
        if self._vault is not None:
            self.kept_lock = self._vault.close(keep_write_lock=True)
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
