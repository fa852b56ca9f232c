"""Verified backups and the rolling automatic backups beside a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from sendesk import backup, restore
from sendesk.errors import CannotUnlock, FileProblem, MadeButNotAudited
from sendesk.services import files
from sendesk.vault import Vault
from tests.conftest import OTHER_PASSPHRASE, PASSPHRASE


def test_a_backup_is_a_complete_file_under_the_same_passphrase(
    demo_vault: Vault, tmp_path: Path
) -> None:
    before = files.info(demo_vault).counts
    dest = demo_vault.backup_to(tmp_path / "copy.sendesk")
    after = files.info(demo_vault).counts
    assert after["audit_event"] == before["audit_event"] + 1  # the backup is audited after it
    with Vault.open(dest, PASSPHRASE) as copy:
        assert files.info(copy).counts == before
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


def test_rotation_never_touches_another_files_backups(vault: Vault, record_file: Path) -> None:
    other = record_file.with_name(record_file.stem + "-2025.sendesk")
    other.write_bytes(record_file.read_bytes())
    with Vault.open(other, PASSPHRASE) as other_vault:
        theirs = [other_vault.automatic_backup("theirs") for _ in range(3)]
    for i in range(11):
        vault.automatic_backup(f"ours {i}")
    assert all(p.exists() for p in theirs)
    assert len(backup.automatic_backups(record_file)) == 10
    assert backup.automatic_backups(other) == theirs


def test_automatic_backups_keep_the_newest_ten(vault: Vault, record_file: Path) -> None:
    made = [vault.automatic_backup(f"test {i}") for i in range(12)]
    kept = backup.automatic_backups(record_file)
    assert kept == made[-10:]
    assert all(p.parent.name == "backups" for p in kept)


def test_a_backup_whose_audit_row_cannot_be_written_is_still_called_made(
    vault: Vault,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from sendesk import cli

    def busy(*args: object, **kwargs: object) -> None:
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))

    dest = tmp_path / "copy.sendesk"
    with monkeypatch.context() as patched:
        patched.setattr(Vault, "session", busy)
        with pytest.raises(MadeButNotAudited) as caught:
            vault.backup_to(dest)
    assert caught.value.path == dest
    assert "was made and verified" in caught.value.message and "in use" in caught.value.message
    restore.check_backup(dest, PASSPHRASE)  # whole, and usable

    # The command line reports it as made (exit 0), never as a failure.
    vault.close()
    monkeypatch.setenv("SENDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setattr(Vault, "session", busy)
    second = tmp_path / "second.sendesk"
    assert cli.main(["backup", str(vault.path), "--out", str(second)]) == 0
    err = capsys.readouterr().err
    assert "was made and verified" in err and "could not record" in err
    assert second.exists()
