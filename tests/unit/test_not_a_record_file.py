"""A file picked by mistake (a PDF, a spreadsheet, a CSV, a Common Transfer File) is said to be
what it is, exit 3: not called damaged, and no passphrase blamed."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from sendesk import cipher
from sendesk.errors import CannotUnlock, DamagedFile, NotARecordFile
from sendesk.vault import Vault
from tests.cli_support import run
from tests.conftest import PASSPHRASE


def _zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")


KINDS = {
    "a PDF document": lambda p: p.write_bytes(b"%PDF-1.7\n" + b"x" * 5000),
    "a ZIP file (or a Word or Excel document)": _zip,
    "an XML file, such as a Common Transfer File": lambda p: p.write_text(
        '<?xml version="1.0"?>\n<CTfile><Header/></CTfile>\n' + " " * 300, encoding="utf-8"
    ),
    "a text file, such as a CSV export": lambda p: p.write_text(
        "\ufeffSurname,Forename,Date of Birth,UPN\nBronte,Zoe,01/02/2017,A123\n", encoding="utf-8"
    ),
}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("whole_pages", [False, True], ids=["any size", "whole pages"])
def test_a_file_of_another_kind_is_named_for_what_it_is(
    tmp_path: Path,
    cli_passphrase: None,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    whole_pages: bool,
) -> None:
    path = tmp_path / "school.sendesk"
    KINDS[kind](path)
    if whole_pages:  # then the key is tried first, and fails
        with path.open("ab") as f:
            f.write(b"\0" * (-path.stat().st_size % cipher.PAGE_SIZE))
    before = path.read_bytes()
    code, _, err = run(capsys, "info", str(path))
    assert code == 3, err
    assert f"school.sendesk is not a SENDesk record file: it is {kind}." in err
    assert "damaged" not in err and "passphrase" not in err
    with pytest.raises(NotARecordFile):
        Vault.open(path, PASSPHRASE)
    assert path.read_bytes() == before


def test_random_bytes_are_still_a_wrong_passphrase_or_damage(tmp_path: Path) -> None:
    whole = tmp_path / "whole.sendesk"
    whole.write_bytes(os.urandom(2 * cipher.PAGE_SIZE))
    with pytest.raises(CannotUnlock) as caught:
        Vault.open(whole, PASSPHRASE)
    assert not isinstance(caught.value, NotARecordFile)
    cut = tmp_path / "cut.sendesk"
    cut.write_bytes(os.urandom(cipher.PAGE_SIZE + 100))
    with pytest.raises(DamagedFile, match="damaged"):
        Vault.open(cut, PASSPHRASE)


def test_a_common_transfer_file_given_to_receive_or_restore_says_to_import_it(
    demo_file: Path, tmp_path: Path, cli_passphrase: None, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("SENDESK_TRANSFER_PASSPHRASE", "a long transfer passphrase for the test")
    ctf = tmp_path / "from-the-la.xml"
    KINDS["an XML file, such as a Common Transfer File"](ctf)
    before = demo_file.read_bytes()
    for argv in (
        ["receive", str(demo_file), str(ctf)],
        ["restore", str(ctf), "--to", str(tmp_path / "r.sendesk")],
    ):
        code, _, err = run(capsys, *argv)
        assert code == 3, err
        assert "it is an XML file, such as a Common Transfer File" in err
        assert "sendesk import" in err
    assert demo_file.read_bytes() == before and not (tmp_path / "r.sendesk").exists()
