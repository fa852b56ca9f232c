"""A record file in a folder SENDesk may not write to (a read-only share, another user's folder,
a full disk) is still read: opened read-only, with the reason said; nothing is made there."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from sendesk import filelock
from sendesk.errors import FileProblem
from sendesk.filelock import CannotHold
from sendesk.vault import Vault
from tests.cli_support import run
from tests.conftest import PASSPHRASE, SCHOOL


@pytest.fixture(params=["no permission", "disk full"])
def refusing_folder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The folder refuses a new file, as a read-only or full one does (root, as the tests may
    run, would be let through a real read-only folder)."""
    refusal = (
        PermissionError(errno.EACCES, "Permission denied")
        if request.param == "no permission"
        else OSError(errno.ENOSPC, "No space left on device")
    )

    def refuse(lock: Path, content: bytes) -> bool:
        raise refusal

    monkeypatch.setattr(filelock, "_create", refuse)
    return "you may not change that folder" if request.param == "no permission" else "disk is full"


@pytest.mark.parametrize("command", ["info", "pupils", "verify"])
def test_reading_commands_read_it_read_only_and_say_why(
    record_file: Path,
    cli_passphrase: None,
    capsys: pytest.CaptureFixture[str],
    refusing_folder: str,
    command: str,
) -> None:
    before = record_file.read_bytes()
    argv = [command, str(record_file)] + (["--json"] if command != "verify" else [])
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert refusing_folder in err and "Reading it read-only." in err
    if command == "info":
        assert json.loads(out)["school"] == SCHOOL
    assert record_file.read_bytes() == before
    assert sorted(p.name for p in record_file.parent.iterdir()) == [record_file.name]


def test_a_command_that_changes_the_file_is_refused_with_the_reason(
    record_file: Path,
    cli_passphrase: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    refusing_folder: str,
) -> None:
    monkeypatch.setenv("SENDESK_NEW_PASSPHRASE", "a long new passphrase nobody guesses")
    before = record_file.read_bytes()
    code, _, err = run(capsys, "passwd", str(record_file))
    assert code == 2
    assert refusing_folder in err and "can only be opened read-only" in err
    # What puts it right: space freed on a full disk (a copy elsewhere would split the records).
    fix = "free some space on that disk" if refusing_folder == "disk is full" else "open the copy"
    assert fix in err
    assert record_file.read_bytes() == before


def test_opening_in_the_app_raises_cannot_hold_and_read_only_works(
    record_file: Path, refusing_folder: str
) -> None:
    with pytest.raises(CannotHold) as refused:
        Vault.open(record_file, PASSPHRASE)
    assert refusing_folder in refused.value.message and not refused.value.may_take_over
    with Vault.open(record_file, PASSPHRASE, read_only=True) as vault:
        assert vault.meta().school_name == SCHOOL


def test_a_new_file_there_is_refused_as_such(tmp_path: Path, refusing_folder: str) -> None:
    with pytest.raises(FileProblem, match="A record file cannot be made in the folder"):
        Vault.create(tmp_path / "new.sendesk", PASSPHRASE, SCHOOL)
    assert list(tmp_path.iterdir()) == []
