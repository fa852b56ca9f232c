"""Every command that writes a file says why the folder it was given cannot take it: a folder
that does not exist, or a file standing where the folder should be."""

from __future__ import annotations

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
