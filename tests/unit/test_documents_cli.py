"""`sendesk plan`, `evidence`, `register`, `census` and friends on the command line."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from sendesk.models import AuditEvent
from sendesk.services import documents as docs
from sendesk.services import pupils
from sendesk.vault import Vault
from tests.cli_support import run
from tests.conftest import DEMO_TODAY, PASSPHRASE

pytestmark = pytest.mark.usefixtures("cli_passphrase")


def planned_upn(demo_file: Path) -> tuple[str, str]:
    """The UPN and name of a demo pupil with a plan and a review held."""
    with Vault.open(demo_file, PASSPHRASE) as vault:
        for row in pupils.list_register(vault.sessions, today=DEMO_TODAY):
            if row.sen_status == "K" and row.upn:
                pupil = pupils.history(vault.sessions, row.id)
                # A plan to print, and a review held to print the record of.
                if any(c.outcomes for c in pupil.cycles) and any(c.review for c in pupil.cycles):
                    return row.upn, row.surname
    raise AssertionError("the demo school has planned pupils")


def text(path: Path, password: str | None = None) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    if password:
        reader.decrypt(password)
    return " ".join(page.extract_text() for page in reader.pages)


def test_plan_evidence_review_passport_letter(
    capsys: pytest.CaptureFixture[str], demo_file: Path, tmp_path: Path
) -> None:
    upn, surname = planned_upn(demo_file)
    for command in ("plan", "evidence", "review-record", "passport", "letter"):
        out = tmp_path / f"{command}.pdf"
        code, _, err = run(
            capsys, command, str(demo_file), "--pupil", upn, "--out", str(out), "--date",
            "23/11/2026", "--large-print",
        )  # fmt: skip
        assert code == 0, err
        assert "saved to" in err and surname in text(out) and "Printed 23/11/2026" in text(out)
    with Vault.open(demo_file, PASSPHRASE) as vault, vault.sessions() as session:
        events = session.execute(
            select(AuditEvent).where(AuditEvent.action == "document.exported")
        ).scalars()
        summaries = [e.summary for e in events]
    assert len(summaries) == 5 and all("large print" in s for s in summaries)


def test_password_file_locks_the_pdf(
    capsys: pytest.CaptureFixture[str], demo_file: Path, tmp_path: Path
) -> None:
    upn, surname = planned_upn(demo_file)
    secret = tmp_path / "pw.txt"
    secret.write_text("Łódź-2026-secret\n", encoding="utf-8")
    out = tmp_path / "plan.pdf"
    code, _, err = run(
        capsys, "plan", str(demo_file), "--pupil", upn, "--out", str(out),
        "--password-file", str(secret),
    )  # fmt: skip
    assert code == 0 and "password-protected" in err
    assert surname in text(out, "Łódź-2026-secret")
    assert subprocess.run(["pdftotext", str(out), "-"], capture_output=True).returncode != 0
    opened = subprocess.run(
        ["pdftotext", "-upw", "Łódź-2026-secret", str(out), "-"], capture_output=True, check=True
    )
    assert surname in opened.stdout.decode()
    secret.write_text("abc", encoding="utf-8")
    code, _, err = run(capsys, "plan", str(demo_file), "--pupil", upn, "--out",
                       str(tmp_path / "x.pdf"), "--password-file", str(secret))  # fmt: skip
    assert code == 2 and "at least" in err and not (tmp_path / "x.pdf").exists()


def test_register_pdf_csv_and_census(
    capsys: pytest.CaptureFixture[str], demo_file: Path, tmp_path: Path
) -> None:
    code, _, _ = run(capsys, "register", str(demo_file), "--out", str(tmp_path / "r.pdf"))
    assert code == 0 and "SEN register" in text(tmp_path / "r.pdf")
    code, _, _ = run(capsys, "register", str(demo_file), "--out", str(tmp_path / "r.csv"))
    csv_text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert code == 0 and csv_text.startswith("UPN,Surname,Forename,Year,Class,SEN status")
    with Vault.open(demo_file, PASSPHRASE) as vault:
        lines = docs.register_lines(vault.sessions)
        problems = docs.census_check(vault.sessions)
    assert len(csv_text.strip().splitlines()) == len(lines) + 1
    code, out, err = run(capsys, "register", str(demo_file), "--census-check")
    assert code == 0 and ("to put right before" in err or "Nothing to put right" in err)
    assert len(out.splitlines()) == len(problems)
    code, out, _ = run(capsys, "census", str(demo_file), "--json", "--out",
                       str(tmp_path / "c.pdf"))  # fmt: skip
    assert code == 0 and len(json.loads(out)) == len(problems)
    assert "Census check" in text(tmp_path / "c.pdf")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["plan", "--pupil", "nonsense", "--out", "x.pdf"], "not a valid UPN"),
        (["plan", "--pupil", "M999000026001", "--out", "x.pdf"], "No pupil"),  # not the demo's LA
        (["register", "--out", "x.txt"], ".pdf or a .csv"),
        (["register"], "--out"),
    ],
)
def test_bad_input_is_exit_code_2(
    capsys: pytest.CaptureFixture[str], demo_file: Path, tmp_path: Path,
    argv: list[str], message: str,
) -> None:  # fmt: skip
    argv = [a if a not in ("x.pdf", "x.txt") else str(tmp_path / a) for a in argv]
    code, _, err = run(capsys, argv[0], str(demo_file), *argv[1:])
    assert code == 2 and message in err
    assert [p.name for p in tmp_path.iterdir()] == ["demo.sendesk"]


def test_plan_template_show_set_reset(
    capsys: pytest.CaptureFixture[str], demo_file: Path, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "plan-template", str(demo_file))
    assert code == 0 and json.loads(out)["sections"][0]["kind"] == "pupil"
    layout = tmp_path / "kent.json"
    layout.write_text(json.dumps({"title": "Kent plan", "sections": [
        {"kind": "outcomes", "heading": "Targets"}]}), encoding="utf-8")  # fmt: skip
    code, out, _ = run(capsys, "plan-template", str(demo_file), "--set", str(layout))
    assert code == 0 and json.loads(out)["title"] == "Kent plan"
    upn, _ = planned_upn(demo_file)
    run(capsys, "plan", str(demo_file), "--pupil", upn, "--out", str(tmp_path / "p.pdf"))
    assert "Kent plan" in text(tmp_path / "p.pdf") and "Targets" in text(tmp_path / "p.pdf")
    layout.write_text('{"sections": [{"kind": "tarot", "heading": "x"}]}', encoding="utf-8")
    code, _, err = run(capsys, "plan-template", str(demo_file), "--set", str(layout))
    assert code == 2 and "tarot" in err
    code, out, _ = run(capsys, "plan-template", str(demo_file), "--reset")
    assert code == 0 and json.loads(out)["title"] == "SEN support plan"
