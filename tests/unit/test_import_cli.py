"""`sendesk import`: its report, dry run, mapping override, rejected rows and failures."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sendesk.cli import main
from sendesk.services import pupils
from sendesk.vault import Vault
from tests.cli_support import run
from tests.conftest import PASSPHRASE
from tests.unit.test_import import BOMB, SAMPLES

pytestmark = pytest.mark.usefixtures("cli_passphrase")


def upns(capsys: pytest.CaptureFixture[str], record_file: Path) -> list[str]:
    code, out, _ = run(capsys, "pupils", str(record_file), "--json")
    assert code == 0
    return sorted(p["upn"] for p in json.loads(out))


def test_import_reports_each_row_and_the_totals(
    capsys: pytest.CaptureFixture[str], record_file: Path, tmp_path: Path
) -> None:
    rejected = tmp_path / "rejected.csv"
    source = SAMPLES / "pupils_semicolon.csv"
    code, out, err = run(
        capsys, "import", str(record_file), str(source), "--rejected", str(rejected)
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["row", "2", "new", "B919345618500", "(Adeyemi,", "Tobi)"]
    assert "row 7  REJECTED   P919345618510 (Price, Megan): Date of birth:" in out
    assert lines[-1] == "Totals: 5 new, 0 updated, 0 unchanged, 1 rejected."
    assert "semicolon-separated" in err and "Imported 5 pupils" in err
    assert rejected.read_bytes().startswith(b"\xef\xbb\xbfSurname,Forename")
    assert len(upns(capsys, record_file)) == 5

    code, out, err = run(capsys, "import", str(record_file), str(source))
    assert code == 0 and "Totals: 0 new, 0 updated, 5 unchanged, 1 rejected." in out
    assert "Nothing to import" in err


def test_dry_run_changes_nothing(capsys: pytest.CaptureFixture[str], record_file: Path) -> None:
    code, out, err = run(
        capsys, "import", str(record_file), str(SAMPLES / "transfer.ctf.xml"), "--dry-run"
    )
    assert code == 0 and "pupil 2" in out and "Totals: 3 new" in out
    assert "Dry run: nothing was imported." in err
    assert upns(capsys, record_file) == []


def test_a_column_can_be_mapped_on_the_command_line(
    capsys: pytest.CaptureFixture[str], record_file: Path, tmp_path: Path
) -> None:
    source = tmp_path / "odd.csv"
    source.write_text("Pupil No,Family,Given,DOB\nB919345618500,Adeyemi,Tobi,1/3/2019\n", "utf-8")
    code, _, err = run(capsys, "import", str(record_file), str(source))
    assert code == 2 and "No column is mapped to UPN" in err
    code, out, _ = run(
        capsys, "import", str(record_file), str(source),
        "--column", "Pupil No=upn", "--column", "family=legal_surname",
        "--column", "Given=legal_forename",
    )  # fmt: skip
    assert code == 0 and "Totals: 1 new" in out
    code, _, err = run(capsys, "import", str(record_file), str(source), "--column", "Nope=upn")
    assert code == 2 and "no column called 'Nope'" in err
    code, _, err = run(capsys, "import", str(record_file), str(source), "--column", "Given=age")
    assert code == 2 and "'age' is not a field" in err


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (BOMB, "document type"),
        (b"PK\x03\x04", "Excel workbook"),
        (b"<CTfile><CTFpupilData><Pupil>", "not well-formed XML"),
        (b"", "empty"),
    ],
)
def test_unreadable_sources_are_exit_2_and_change_nothing(
    capsys: pytest.CaptureFixture[str],
    record_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    content: bytes,
    words: str,
) -> None:
    source = tmp_path / "pupils.xml"
    source.write_bytes(content)
    before = record_file.read_bytes()
    monkeypatch.delenv("SENDESK_PASSPHRASE")  # the source is refused before any passphrase
    code, out, err = run(capsys, "import", str(record_file), str(source))
    assert code == 2 and words in err and out == ""
    assert err.startswith("sendesk: ") and "Traceback" not in err
    assert record_file.read_bytes() == before


def test_missing_source_and_wrong_passphrase(
    capsys: pytest.CaptureFixture[str], record_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(capsys, "import", str(record_file), "/no/such/pupils.csv")
    assert code == 2 and "There is no file at /no/such/pupils.csv" in err
    monkeypatch.setenv("SENDESK_PASSPHRASE", "wrong wrong wrong wrong")
    code, _, err = run(capsys, "import", str(record_file), str(SAMPLES / "transfer.ctf.xml"))
    assert code == 3 and "wrong passphrase" in err


def test_usage_errors_are_exit_2(capsys: pytest.CaptureFixture[str], record_file: Path) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["import", str(record_file)])
    assert stopped.value.code == 2


def test_an_import_is_undone_from_the_command_line(
    capsys: pytest.CaptureFixture[str], record_file: Path, tmp_path: Path
) -> None:
    source = SAMPLES / "pupils_semicolon.csv"
    code, _, _ = run(capsys, "import", str(record_file), str(source))
    assert code == 0 and len(upns(capsys, record_file)) == 5
    code, out, err = run(capsys, "import", str(record_file), str(source), "--undo")
    assert code == 0 and out == ""
    assert "Undid the import of pupils_semicolon.csv" in err and "5 pupils removed" in err
    assert upns(capsys, record_file) == []
    code, _, err = run(capsys, "import", str(record_file), str(source), "--undo")
    assert code == 2 and "No import of pupils_semicolon.csv" in err
    with pytest.raises(SystemExit) as stopped:
        main(["import", str(record_file), str(source), "--undo", "--dry-run"])
    assert stopped.value.code == 2


def test_undo_after_an_edit_is_refused_with_the_reason(
    capsys: pytest.CaptureFixture[str], record_file: Path, tmp_path: Path
) -> None:
    first = tmp_path / "july.csv"
    first.write_text("UPN,Surname,Forename,DOB,Year\nB919345618500,Adeyemi,Tobi,1/3/2019,2\n")
    later = tmp_path / "september.csv"
    later.write_text("UPN,Surname,Forename,DOB,Year\nB919345618500,Adeyemi,Tobi,1/3/2019,3\n")
    assert run(capsys, "import", str(record_file), str(first))[0] == 0
    assert run(capsys, "import", str(record_file), str(later))[0] == 0
    code, _, err = run(capsys, "import", str(record_file), str(first), "--undo")
    assert code == 2 and "Adeyemi, Tobi: Year group changed since the import" in err
    assert upns(capsys, record_file) == ["B919345618500"]
    assert run(capsys, "import", str(record_file), str(later), "--undo")[0] == 0
    assert run(capsys, "import", str(record_file), str(first), "--undo")[0] == 0
    assert upns(capsys, record_file) == []


def test_rows_are_left_out_or_their_sen_details_taken_on_the_command_line(
    capsys: pytest.CaptureFixture[str], record_file: Path, tmp_path: Path
) -> None:
    source = tmp_path / "two.csv"
    source.write_text(
        "UPN,Surname,Forename,DOB,SEN\n"
        "B919345618500,Adeyemi,Tobi,1/3/2019,N\nE919345618502,Hughes,Oliver,2/3/2019,N\n"
    )
    code, out, _ = run(capsys, "import", str(record_file), str(source), "--leave-out", "3")
    assert code == 0 and "row 3  left out" in out and "1 left out" in out
    assert upns(capsys, record_file) == ["B919345618500"]
    with pytest.raises(SystemExit) as stopped:
        main(["import", str(record_file), str(source), "--leave-out", "x"])
    assert stopped.value.code == 2
    capsys.readouterr()
    # A row the file does not have is a typing slip: said, and nothing imported.
    for option in ("--leave-out", "--take"):
        code, _, err = run(capsys, "import", str(record_file), str(source), option, "99")
        assert code == 2 and f"{option} 99: the file has no row with that number" in err, err
        assert "numbered 2 to 3" in err
    assert upns(capsys, record_file) == ["B919345618500"]

    with Vault.open(record_file, PASSPHRASE) as vault:  # the SENCo sets SEN support in the app
        tobi = pupils.find_by_upn(vault.sessions, "B919345618500")
        details = pupils.details(vault.sessions, tobi)
        details.sen_status, details.primary_need = "K", "SLCN"
        pupils.update(vault.sessions, tobi, details, dt.date(2026, 12, 2))
    code, out, _ = run(capsys, "import", str(record_file), str(source), "--dry-run")
    assert "row 2  unchanged" in out and "SEN status MIS: N · SENDesk: K (set 02/12/2026)" in out
    code, out, _ = run(capsys, "import", str(record_file), str(source), "--take", "2")
    assert code == 0 and "row 2  update" in out and "SEN status: K → N" in out
