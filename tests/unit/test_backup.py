"""Verified backups and the rolling automatic backups beside a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from sendesk import backup
from sendesk.errors import CannotUnlock, FileProblem
from sendesk.services import files
from sendesk.vault import Vault
from tests.conftest import OTHER_PASSPHRASE, PASSPHRASE


def test_a_backup_is_a_complete_file_under_the_same_passphrase(
    demo_vault: Vault, tmp_path: Path
) -> None:
    dest = demo_vault.backup_to(tmp_path / "copy.sendesk")
    with Vault.open(dest, PASSPHRASE) as copy:
        assert files.info(copy).counts == files.info(demo_vault).counts
        assert copy.meta().file_id == demo_vault.meta().file_id
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_backup_with_its_own_passphrase(demo_vault: Vault, tmp_path: Path) -> None:
    dest = demo_vault.backup_to(tmp_path / "handover.sendesk", OTHER_PASSPHRASE)
    with pytest.raises(CannotUnlock):
        Vault.open(dest, PASSPHRASE)
    with Vault.open(dest, OTHER_PASSPHRASE) as copy:
        assert copy.verify() == []


def test_a_backup_never_overwrites(vault: Vault, tmp_path: Path) -> None:
    taken = tmp_path / "taken.sendesk"
    taken.write_bytes(b"precious")
    with pytest.raises(FileProblem, match="already exists"):
        vault.backup_to(taken)
    assert taken.read_bytes() == b"precious"


def test_automatic_backups_keep_the_newest_ten(vault: Vault, record_file: Path) -> None:
    made = [vault.automatic_backup(f"test {i}") for i in range(12)]
    kept = backup.automatic_backups(record_file)
    assert kept == made[-10:]
    assert all(p.parent.name == "backups" for p in kept)
