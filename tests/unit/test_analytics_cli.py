"""`sendesk provision-map`, `impact` and `governors-report`: JSON, text, and PDF/CSV read back."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from sendesk.models import AuditEvent, Pupil
from sendesk.vault import Vault
from tests.cli_support import run
from tests.conftest import PASSPHRASE
from tests.unit import analytics_school

pytestmark = pytest.mark.usefixtures("cli_passphrase")
YEAR = ("--from", "2026-09-01", "--to", "2027-08-31", "--date", "2026-11-23")


@pytest.fixture
def school(record_file: Path) -> Path:
    with Vault.open(record_file, PASSPHRASE) as vault:
        analytics_school.build(vault.sessions)
    return record_file


def _pdf_text(path: Path) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def _exports(path: Path) -> int:
    with Vault.open(path, PASSPHRASE) as vault, vault.sessions() as session:
        return session.execute(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "document.exported")
        ).scalar_one()


def test_provision_map_as_json_text_pdf_and_csv(
    school: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "provision-map", str(school), *YEAR, "--json")
    assert code == 0
    found = json.loads(out)
    assert found["total_pence"] == 81_050 and found["remaining_pence"] == 918_950
    assert [(line["what"], line["cost_per_pupil_pence"]) for line in found["lines"]] == [
        ("Speech and language group", 50_000),
        ("Precision teaching", 13_500),
        ("Emotional literacy group", 4_050),
    ]
    code, out, _ = run(capsys, "provision-map", str(school), *YEAR)
    assert code == 0 and "Precision teaching" in out and "£810.50" in out
    pdf = tmp_path / "map.pdf"
    assert run(capsys, "provision-map", str(school), *YEAR, "--out", str(pdf))[0] == 0
    text = _pdf_text(pdf)
    assert "Provision map" in text and "£810.50" in text and "£10,000" in text
    sheet = tmp_path / "map.csv"
    assert run(capsys, "provision-map", str(school), *YEAR, "--out", str(sheet))[0] == 0
    rows = list(csv.reader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"))))
    assert rows[2] == ["Precision teaching", "TA", "1-2", "2", "55 / 60", "£135.00", "£270.00"]
    assert _exports(school) == 2


def test_impact_names_the_pupils_to_escalate(
    school: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "impact", str(school), *YEAR, "--json")
    assert code == 0
    found = json.loads(out)
    assert [e["name"] for e in found["escalations"]] == ["Dan Dunn"]
    precision = next(k for k in found["kinds"] if k["what"] == "Precision teaching")
    assert (precision["average_change"], precision["cost_per_outcome_pence"]) == (4.0, 13_500)
    pdf = tmp_path / "impact.pdf"
    assert run(capsys, "impact", str(school), *YEAR, "--out", str(pdf))[0] == 0
    text = _pdf_text(pdf)
    assert "Dan Dunn" in text and "Precision teaching" in text and "+4 months" in text
    with Vault.open(school, PASSPHRASE) as vault, vault.sessions() as session:
        named = session.execute(
            select(AuditEvent.pupil_uuid).where(AuditEvent.action == "document.exported")
        ).scalars()
        dan = session.execute(select(Pupil.uuid).where(Pupil.legal_surname == "Dunn")).scalar()
        assert list(named) == [dan]  # audited against the pupil it names


def test_the_governors_report_names_no_one(
    school: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "governors-report", str(school), *YEAR, "--json")
    assert code == 0
    found = json.loads(out)
    assert found["on_register"] == 5 and found["escalations"] == "fewer than 5"
    for kind in ("pdf", "csv"):
        path = tmp_path / f"governors.{kind}"
        assert run(capsys, "governors-report", str(school), *YEAR, "--out", str(path))[0] == 0
        text = _pdf_text(path) if kind == "pdf" else path.read_bytes().decode("utf-8-sig")
        assert "fewer than 5" in text
        for name in ("Ava", "Adams", "Dunn", "Cara", "Finn"):
            assert name not in text


def test_bad_input_is_explained(school: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "impact", str(school), "--out", "report.docx")
    assert code == 2 and ".pdf or a .csv" in err
    code, _, err = run(capsys, "impact", str(school), "--from", "2027-01-01", "--to", "2026-01-01")
    assert code == 2 and "ends before it starts" in err


@pytest.mark.parametrize("command", ["provision-map", "impact", "governors-report"])
def test_a_wrong_passphrase_or_a_missing_file_is_said_as_for_any_command(
    school: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    # These commands derive the key on a thread of its own while they import what they use:
    # what a user is told, and the exit code, are those of a command that does not.
    monkeypatch.setenv("SENDESK_PASSPHRASE", "not the passphrase of this file")
    expected = run(capsys, "info", str(school))
    assert expected[0] != 0 and "passphrase" in expected[2]
    assert run(capsys, command, str(school), *YEAR) == expected
    missing = str(school.with_name("missing.sendesk"))
    expected = run(capsys, "info", missing)
    assert expected[0] != 0 and "There is no file" in expected[2]
    assert run(capsys, command, missing, *YEAR) == expected


def test_the_figures_are_counted_with_garbage_collection_back_on(
    school: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Collection is paused only while the command's modules are imported.
    import gc

    assert gc.isenabled()
    code, out, _ = run(capsys, "governors-report", str(school), *YEAR, "--json")
    assert code == 0 and json.loads(out)
    assert gc.isenabled()


def test_only_the_command_line_s_own_process_freezes_what_it_imported(
    school: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Frozen, the imported modules are not walked by each full collection while the figures are
    # counted; a test process, which goes on running other tests, is never frozen.
    import gc
    import subprocess
    import sys

    assert run(capsys, "impact", str(school), *YEAR, "--json")[0] == 0
    assert gc.get_freeze_count() == 0
    script = (
        "import contextlib, gc, io, sys\n"
        "import main\n"
        "sys.argv = ['sendesk', 'impact', *sys.argv[1:], '--json']\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = main.run()\n"
        "print(code, gc.get_freeze_count() > 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(school), *YEAR],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.split() == ["0", "True"]


@pytest.mark.parametrize("command", ["provision-map", "impact", "governors-report"])
def test_json_and_a_saved_file_are_asked_for_one_at_a_time(
    school: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    # With both, one of them would be silently skipped: refused before the file is opened.
    out = tmp_path / "report.pdf"
    with pytest.raises(SystemExit) as exited:
        run(capsys, command, str(school), *YEAR, "--json", "--out", str(out))
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
    assert not out.exists() and _exports(school) == 0


def test_an_existing_report_is_replaced_only_with_force(
    school: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "map.csv"
    sheet.write_text("an older report", encoding="utf-8")
    code, _, err = run(capsys, "provision-map", str(school), *YEAR, "--out", str(sheet))
    assert code == 2 and "--force" in err  # the way it names is one this command has
    assert sheet.read_text(encoding="utf-8") == "an older report"
    code, _, err = run(capsys, "provision-map", str(school), *YEAR, "--out", str(sheet), "--force")
    assert code == 0, err
    assert "Precision teaching" in sheet.read_bytes().decode("utf-8-sig")
