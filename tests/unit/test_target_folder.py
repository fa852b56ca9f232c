"""Every command that writes a file says why the folder it was given cannot take it: a folder
that does not exist, or a file standing where the folder should be."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sendesk import atomic
from sendesk.errors import FileProblem
from tests.cli_support import run
from tests.unit.test_documents_cli import planned_upn


def test_a_missing_folder_and_a_file_in_its_place_are_told_apart(tmp_path: Path) -> None:
    plain = tmp_path / "notes.txt"
    plain.write_text("not a folder")
    assert atomic.folder_problem(tmp_path) is None
    assert (
        atomic.folder_problem(tmp_path / "nowhere")
        == f"the folder {tmp_path / 'nowhere'} does not exist"
    )
    assert atomic.folder_problem(plain) == f"{plain} is a file, not a folder"
    assert atomic.folder_problem(plain / "deeper") == f"{plain} is a file, not a folder"
    with pytest.raises(FileProblem, match="is a file, not a folder"):
        atomic.write(plain / "copy.pdf", b"%PDF")
    lower = tmp_path / "afile"
    lower.write_text("x")
    with pytest.raises(FileProblem) as said:
        atomic.check_folder(lower)
    assert said.value.message == f"{lower} is a file, not a folder."  # the name as it is
    with pytest.raises(FileProblem, match=r"^The folder .* does not exist\.$"):
        atomic.check_folder(tmp_path / "nowhere")
    assert plain.read_text() == "not a folder"


@pytest.mark.parametrize(
    "argv",
    [
        ("backup", "{file}", "--out", "{blocker}/copy.sendesk"),
        ("plan", "{file}", "--pupil", "{upn}", "--out", "{blocker}/plan.pdf"),
        ("plans", "{file}", "--pupils", "{upn}", "--out", "{blocker}/plans"),
        ("register", "{file}", "--out", "{blocker}/register.csv"),
        ("init", "{blocker}/new.sendesk", "--school", "Another School"),
    ],
    ids=["backup", "plan", "plans", "register", "init"],
)
def test_commands_say_a_file_stands_where_the_folder_should_be(
    demo_file: Path,
    cli_passphrase: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: tuple[str, ...],
) -> None:
    monkeypatch.setenv("SENDESK_NEW_PASSPHRASE", "a long new passphrase for another school")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    upn, _ = planned_upn(demo_file)
    given = [a.format(file=demo_file, blocker=blocker, upn=upn) for a in argv]
    code, _, err = run(capsys, *given)
    assert code == 2, err
    assert f"{blocker} is a file, not a folder" in err
    assert "does not exist" not in err
    assert blocker.read_text() == "a file, not a folder"


@pytest.mark.parametrize(
    "argv",
    [
        ("plan", "{file}", "--pupil", "{upn}", "--out", "{target}", "--force"),
        ("passport", "{file}", "--pupil", "{upn}", "--out", "{target}", "--force"),
        ("census", "{file}", "--out", "{target}", "--force"),
        ("import", "{file}", "{csv}", "--rejected", "{target}", "--force"),
    ],
    ids=["plan", "passport", "census", "import-rejected"],
)
@pytest.mark.parametrize("which", ["itself", "another record file", "a hard link to it"])
def test_no_export_is_ever_written_over_a_record_file(
    demo_file: Path,
    cli_passphrase: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: tuple[str, ...],
    which: str,
) -> None:
    # With --force too: the record file given by mistake as --out would be lost for good.
    if which == "itself":
        target = demo_file
    elif which == "another record file":
        target = tmp_path / "other-school.sendesk"
        target.write_bytes(demo_file.read_bytes())
    else:
        target = tmp_path / "looks-like-a-document.pdf"
        os.link(demo_file, target)
    before = target.read_bytes()
    bad_rows = tmp_path / "rows.csv"
    bad_rows.write_text(
        "Surname,Forename,Date of Birth,Sex,NC Year,Class,SEN Provision,SEN Need Type 1,UPN\n"
        "Smith,Jo,01/02/2017,M,Y4,4T,SEN Support,SLCN,NOT-A-UPN\n",
        encoding="utf-8",
    )
    upn, _ = planned_upn(demo_file)
    given = [a.format(file=demo_file, upn=upn, target=target, csv=bad_rows) for a in argv]
    code, _, err = run(capsys, *given)
    assert code == 2, err
    assert "is a SENDesk record file and was not changed" in err
    assert target.read_bytes() == before
    assert run(capsys, "verify", str(demo_file))[0] == 0
