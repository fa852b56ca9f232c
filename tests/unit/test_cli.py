"""The `sendesk` command line: every command's success and failure paths, and its exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sendesk.cli import main
from sendesk.upn import with_check_letter
from sendesk.vault import Vault
from tests.cli_support import run
from tests.conftest import DEMO_PUPILS, OTHER_PASSPHRASE, PASSPHRASE, SCHOOL
from tests.unit.test_documents_cli import planned_upn

pytestmark = pytest.mark.usefixtures("cli_passphrase")


def test_init_creates_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "school.sendesk"
    code, _, err = run(capsys, "init", str(path), "--school", SCHOOL)
    assert code == 0 and "Created" in err
    with Vault.open(path, PASSPHRASE) as v:
        assert v.meta().school_name == SCHOOL


def test_init_refuses_an_existing_file(
    capsys: pytest.CaptureFixture[str], record_file: Path
) -> None:
    code, _, err = run(capsys, "init", str(record_file), "--school", SCHOOL)
    assert code == 2
    assert err.strip().endswith("SENDesk never overwrites a record file.")


def test_init_refuses_a_weak_passphrase(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SENDESK_PASSPHRASE", "letmein")
    code, _, err = run(capsys, "init", str(tmp_path / "a.sendesk"), "--school", SCHOOL)
    assert code == 2 and "Too short" in err
    assert not (tmp_path / "a.sendesk").exists()


def test_passphrase_from_a_file_wins(capsys: pytest.CaptureFixture[str], record_file: Path) -> None:
    secret = record_file.parent / "secret.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    os.environ["SENDESK_PASSPHRASE"] = "wrong wrong wrong wrong"
    code, out, _ = run(capsys, "info", str(record_file), "--passphrase-file", str(secret))
    assert code == 0 and SCHOOL in out


def test_passphrase_file_with_bom_and_crlf(
    capsys: pytest.CaptureFixture[str], record_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = record_file.parent / "secret.txt"
    secret.write_bytes(b"\xef\xbb\xbf" + PASSPHRASE.encode() + b"\r\n")
    monkeypatch.delenv("SENDESK_PASSPHRASE")
    code, out, _ = run(capsys, "info", str(record_file), "--passphrase-file", str(secret))
    assert code == 0 and SCHOOL in out


def test_missing_passphrase_file(capsys: pytest.CaptureFixture[str], record_file: Path) -> None:
    code, _, err = run(capsys, "info", str(record_file), "--passphrase-file", "/no/such/file")
    assert code == 2 and "no passphrase file" in err


def test_no_passphrase_and_no_terminal(
    capsys: pytest.CaptureFixture[str], record_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SENDESK_PASSPHRASE")
    with open(os.devnull) as no_terminal:
        monkeypatch.setattr(sys, "stdin", no_terminal)
        code, _, err = run(capsys, "info", str(record_file))
    assert code == 2 and "No passphrase given" in err


@pytest.mark.parametrize(
    ("argv", "asked", "where"),
    [
        (
            ("passwd", "{file}"),
            "No new passphrase given",
            "--new-passphrase-file, set SENDESK_NEW_PASSPHRASE",
        ),
        (
            ("transfer", "{file}", "--pupil", "{upn}", "--out", "{tmp}/t"),
            "No transfer passphrase given",
            "--transfer-passphrase-file, set SENDESK_TRANSFER_PASSPHRASE",
        ),
    ],
    ids=["passwd", "transfer"],
)
def test_a_missing_second_passphrase_says_where_that_one_goes(
    capsys: pytest.CaptureFixture[str],
    demo_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: tuple[str, ...],
    asked: str,
    where: str,
) -> None:
    # SENDESK_PASSPHRASE, the file's own, is set: naming it again would not help.
    monkeypatch.delenv("SENDESK_NEW_PASSPHRASE", raising=False)
    monkeypatch.delenv("SENDESK_TRANSFER_PASSPHRASE", raising=False)
    with open(os.devnull) as no_terminal:
        monkeypatch.setattr(sys, "stdin", no_terminal)
        upn, _ = planned_upn(demo_file)
        given = [a.format(file=demo_file, tmp=tmp_path, upn=upn) for a in argv]
        code, _, err = run(capsys, *given)
    assert code == 2, err
    assert asked in err and where in err


@pytest.mark.parametrize("kind", ["a device", "a folder", "too long"])
def test_a_passphrase_file_that_is_no_passphrase_is_refused_unread(
    capsys: pytest.CaptureFixture[str], record_file: Path, tmp_path: Path, kind: str
) -> None:
    if kind == "a device":
        given = Path(os.devnull)  # read whole, /dev/zero would fill the memory
        expected = "is not an ordinary file"
    elif kind == "a folder":
        given = tmp_path
        expected = "is not an ordinary file"
    else:
        given = tmp_path / "big.txt"
        given.write_text(PASSPHRASE + "\n" + "x" * 10_000, encoding="utf-8")
        expected = "is longer than any passphrase"
    code, _, err = run(capsys, "info", str(record_file), "--passphrase-file", str(given))
    assert code == 2 and expected in err


def test_demo_then_info_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "demo.sendesk"
    code, _, _ = run(capsys, "demo", str(path), "--pupils", "40", "--seed", "3")
    assert code == 0
    code, out, _ = run(capsys, "info", str(path), "--json")
    assert code == 0
    info = json.loads(out)
    assert set(info) == {"file_id", "school", "app_version", "schema_revision", "counts"}
    assert info["counts"]["pupil"] == 40
    assert info["counts"]["cycle"] > 0


def test_demo_rejects_a_bad_count_and_a_bad_date(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["demo", str(tmp_path / "d.sendesk"), "--pupils", "0"])
    assert caught.value.code == 2
    code, _, err = run(capsys, "demo", str(tmp_path / "d.sendesk"), "--pupils", "100000000")
    assert code == 2 and "at most 1,000,000 pupils" in err and not (tmp_path / "d.sendesk").exists()
    with pytest.raises(SystemExit) as caught:
        main(["demo", str(tmp_path / "d.sendesk"), "--today", "2026-13-01"])
    assert caught.value.code == 2
    assert "not a real date" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        main(["demo", str(tmp_path / "d.sendesk"), "--today", "0001-01-10"])
    assert caught.value.code == 2
    assert "between 1900 and 2100" in capsys.readouterr().err
    code, _, err = run(capsys, "demo", str(tmp_path / "d.sendesk"), "--today", "1950-01-10")
    assert code == 2 and "between the years" in err  # a demo's own years are narrower


def test_a_demo_that_fails_part_way_leaves_no_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sendesk import demo

    def fail(*args: object) -> None:
        raise OSError("disk pulled out")

    monkeypatch.setattr(demo, "_pupil", fail)
    code, _, _ = run(capsys, "demo", str(tmp_path / "d.sendesk"), "--pupils", "5")
    assert code == 1
    assert list(tmp_path.glob("*.sendesk")) == []


def test_init_on_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "init", str(tmp_path), "--school", SCHOOL)
    assert code == 2 and "is a folder" in err


def test_info_wrong_passphrase_is_exit_3(
    capsys: pytest.CaptureFixture[str], record_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SENDESK_PASSPHRASE", "not the right one at all")
    code, out, err = run(capsys, "info", str(record_file))
    assert (code, out) == (3, "")
    assert err == "sendesk: wrong passphrase, or not a SENDesk file\n"


def test_info_missing_file_is_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "info", str(tmp_path / "nope.sendesk"))
    assert code == 2 and "no file" in err


def test_verify_ok_and_flipped_byte(capsys: pytest.CaptureFixture[str], demo_file: Path) -> None:
    code, out, _ = run(capsys, "verify", str(demo_file))
    assert code == 0 and out.startswith("OK")
    data = bytearray(demo_file.read_bytes())
    data[len(data) - 3000] ^= 0x40
    demo_file.write_bytes(bytes(data))
    code, out, err = run(capsys, "verify", str(demo_file))
    assert code == 4
    assert "damaged" in err or "integrity" in err


def test_passwd_changes_the_passphrase(
    capsys: pytest.CaptureFixture[str], record_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SENDESK_NEW_PASSPHRASE", OTHER_PASSPHRASE)
    code, _, err = run(capsys, "passwd", str(record_file))
    assert code == 0 and "backups" in err
    code, _, _ = run(capsys, "info", str(record_file))
    assert code == 3
    monkeypatch.setenv("SENDESK_PASSPHRASE", OTHER_PASSPHRASE)
    code, _, _ = run(capsys, "info", str(record_file))
    assert code == 0


def test_passwd_failures(
    capsys: pytest.CaptureFixture[str], record_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = record_file.read_bytes()
    monkeypatch.setenv("SENDESK_NEW_PASSPHRASE", "weak")
    assert run(capsys, "passwd", str(record_file))[0] == 2
    monkeypatch.setenv("SENDESK_NEW_PASSPHRASE", PASSPHRASE)
    code, _, err = run(capsys, "passwd", str(record_file))
    assert code == 2 and "same as the current" in err
    monkeypatch.setenv("SENDESK_PASSPHRASE", "not the right one at all")
    monkeypatch.setenv("SENDESK_NEW_PASSPHRASE", OTHER_PASSPHRASE)
    assert run(capsys, "passwd", str(record_file))[0] == 3
    assert record_file.read_bytes() == before


def test_pupils_json_shape_and_search(capsys: pytest.CaptureFixture[str], demo_file: Path) -> None:
    code, out, _ = run(capsys, "pupils", str(demo_file), "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == DEMO_PUPILS
    assert set(rows[0]) == {
        "upn",
        "surname",
        "forename",
        "preferred_forename",
        "date_of_birth",
        "year_group",
        "class_name",
        "sen_status",
        "primary_need",
        "secondary_need",
        "next_review",
    }
    code, out, _ = run(capsys, "pupils", str(demo_file), "--json", "--search", "zoe bronte")
    assert [(r["forename"], r["surname"]) for r in json.loads(out)] == [("Zoë", "Brontë")]
    code, out, _ = run(capsys, "pupils", str(demo_file), "--search", "lukasz")
    assert code == 0 and "Wójcik, Łukasz" in out


def test_pupils_by_upn_and_unknown_pupil(
    capsys: pytest.CaptureFixture[str], demo_file: Path
) -> None:
    code, out, _ = run(capsys, "pupils", str(demo_file), "--json")
    some = next(r for r in json.loads(out) if r["upn"])
    code, out, _ = run(capsys, "pupils", str(demo_file), "--json", "--upn", some["upn"])
    assert [r["upn"] for r in json.loads(out)] == [some["upn"]]
    code, _, err = run(capsys, "pupils", str(demo_file), "--upn", with_check_letter("999000000999"))
    assert code == 2 and "No pupil in this file has the UPN" in err
    code, _, err = run(capsys, "pupils", str(demo_file), "--upn", "garbage")
    assert code == 2 and "not a valid UPN" in err


def test_the_command_line_reads_the_same_register_as_the_app(
    capsys: pytest.CaptureFixture[str], demo_file: Path
) -> None:
    # `sendesk pupils` reads a file with the register's statement on a raw connection (no
    # SQLAlchemy); the app reads it through the engine. Both must list the same pupils, in the
    # same order, with the same next review, archived pupils and searches included.
    import datetime as dt

    from sendesk.services import pupils

    as_of = dt.date(2027, 3, 1)  # some reviews are overdue by then
    with Vault.open(demo_file, PASSPHRASE) as vault:
        everyone = pupils.list_register(vault.sessions, include_archived=True, today=as_of)
        for row in everyone[:40:7]:
            pupils.archive(vault.sessions, row.id, dt.date(2026, 12, 1), "Moved away")
        expected = {
            (search, archived): [
                (r.upn, r.surname, r.forename, r.next_review and r.next_review.isoformat())
                for r in pupils.list_register(vault.sessions, search, archived, as_of)
            ]
            for search in (None, "ma", "o'b", "zoe bronte", "100%")
            for archived in (False, True)
        }
    assert len(expected[None, True]) == len(expected[None, False]) + 6
    assert any(r[3] is not None and r[3] < as_of.isoformat() for r in expected[None, True])
    for (search, archived), rows in expected.items():
        argv = ["pupils", str(demo_file), "--json", "--as-of", as_of.isoformat()]
        argv += (["--search", search] if search else []) + (["--archived"] if archived else [])
        code, out, _ = run(capsys, *argv)
        listed = [
            (r["upn"], r["surname"], r["forename"], r["next_review"]) for r in json.loads(out)
        ]
        assert (code, listed) == (0, rows), (search, archived)


def test_pupils_bad_date(capsys: pytest.CaptureFixture[str], demo_file: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["pupils", str(demo_file), "--as-of", "31/02/2026"])
    assert caught.value.code == 2
    assert "not a real date" in capsys.readouterr().err


def test_pupils_on_an_empty_file(capsys: pytest.CaptureFixture[str], record_file: Path) -> None:
    code, out, err = run(capsys, "pupils", str(record_file))
    assert (code, out) == (0, "")
    assert "No pupils" in err


def test_unexpected_errors_are_one_line_and_logged(
    capsys: pytest.CaptureFixture[str],
    record_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from sendesk import crashlog

    def boom(vault: Vault) -> None:
        raise RuntimeError("Zoë Brontë's secret")

    monkeypatch.setattr(Vault, "info", boom)  # what `sendesk info` asks of a record file
    monkeypatch.setattr(crashlog, "log_folder", lambda: tmp_path / "logs")
    code, _, err = run(capsys, "info", str(record_file))
    assert code == 1
    assert err.count("\n") == 1 and "RuntimeError" in err and "Traceback" not in err
    log = (tmp_path / "logs" / "sendesk.log").read_text(encoding="utf-8")
    assert "RuntimeError" in log and "Zoë" not in log


def test_the_installed_command_reports_without_a_traceback(tmp_path: Path) -> None:
    env = dict(os.environ, SENDESK_PASSPHRASE="wrong wrong wrong wrong")
    (tmp_path / "x.sendesk").write_bytes(b"\0" * 8192)
    result = subprocess.run(
        [sys.executable, "main.py", "info", str(tmp_path / "x.sendesk")],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).parents[2],
        check=False,
    )
    assert result.returncode == 3
    assert result.stderr == "sendesk: wrong passphrase, or not a SENDesk file\n"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a display is a Linux setting")
def test_the_app_without_a_screen_says_so() -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "main.py", "gui"], capture_output=True, text=True, env=env,
        cwd=Path(__file__).parents[2], check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert "no screen here" in result.stderr and "Traceback" not in result.stderr


def test_a_record_file_given_alone_opens_the_app_on_it(tmp_path: Path) -> None:
    """What a double-click on a .sendesk file runs: `sendesk FILE` is `sendesk gui FILE`."""
    from sendesk import cli

    opened: list[Path | None] = []
    file = tmp_path / "Our School.SENDESK"
    assert cli.main([str(file)], start_app=lambda path: opened.append(path) or 0) == 0
    assert opened == [file]
    # Anything else alone is still a command, refused in a sentence.
    with pytest.raises(SystemExit):
        cli.main([str(tmp_path / "notes.txt")], start_app=lambda path: 0)
