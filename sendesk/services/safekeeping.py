"""Keeping the records safe between sessions: the automatic backup made when the app closes."""

from __future__ import annotations

from pathlib import Path

from sendesk import backup
from sendesk.vault import Vault


def backup_on_close(vault: Vault) -> Path | None:
    """A verified automatic backup if the file changed since the newest one; else `None`.

    The oldest backups beyond ten are removed only after the new one has been verified.
    """
    # Sealing writes the header only after a change; done first, it is older than the backup.
    vault.seal()
    if not backup.changed_since_last_automatic_backup(vault.path):
        return None
    return vault.automatic_backup("on-close")
