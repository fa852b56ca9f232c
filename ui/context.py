"""What the windows share while a file is open: the vault, swapped when the app locks."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from sendesk.services import Sessions
from sendesk.vault import Vault


class FileContext(QObject):
    """The open record file. Widgets ask it for sessions, so a re-unlock reaches them all."""

    changed = Signal()  # records changed: listeners reload what they show

    def __init__(self, vault: Vault) -> None:
        super().__init__()
        self._vault: Vault | None = vault

    @property
    def vault(self) -> Vault:
        if self._vault is None:
            raise RuntimeError("the record file is locked")
        return self._vault

    @property
    def sessions(self) -> Sessions:
        return self.vault.sessions

    @property
    def is_open(self) -> bool:
        return self._vault is not None

    def close(self) -> None:
        if self._vault is not None:
            self._vault.close()
            self._vault = None

    def reopen(self, vault: Vault) -> None:
        self.close()
        self._vault = vault
