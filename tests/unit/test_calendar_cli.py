"""`sendesk reviews`: listing, JSON, iCalendar export and the failure paths."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from icalendar import Calendar

from sendesk.cli import main
from sendesk.services import meetings
from sendesk.vault import Vault
from tests.cli_support import run
from tests.conftest import DEMO_TODAY, PASSPHRASE

pytestmark = pytest.mark.usefixtures("cli_passphrase")


def test_json_lists_the_school_years_reviews(
    capsys: pytest.CaptureFixture[str], demo_file: Path
) -> None:
    code, out, _ = run(capsys, "reviews", str(demo_file), "--json", "--as-of", "2026-11-23")
    assert code == 0
    rows = json.loads(out)
    assert rows, "the demo school has reviews this year"
    assert set(rows[0]) == {"pupil_upn", "kind", "starts_at", "status", "overdue"}
    assert {r["kind"] for r in rows} <= {"sen_review", "ehc_annual_review"}
    starts = [dt.datetime.fromisoformat(r["starts_at"]) for r in rows]
    assert starts == sorted(starts)
    assert all(dt.date(2026, 9, 1) <= s.date() <= dt.date(2027, 8, 31) for s in starts)
    for row, start in zip(rows, starts, strict=True):
        expected = row["status"] == "planned" and start.date() < DEMO_TODAY
        assert row["overdue"] is expected


def test_human_listing_and_a_range(capsys: pytest.CaptureFixture[str], demo_file: Path) -> None:
    with Vault.open(demo_file, PASSPHRASE) as vault:
        found = meetings.between(vault.sessions, dt.date(2026, 9, 1), dt.date(2027, 8, 31))
    day = found[0].starts_at.date()
    code, out, _ = run(
        capsys, "reviews", str(demo_file), "--all-kinds", "--from", day.isoformat(), "--to",
        day.strftime("%d/%m/%Y"),
    )  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("When")
    assert all(line.startswith(day.isoformat()) for line in lines[1:])
    assert found[0].pupil_name[:20] in out


def test_nothing_in_range_says_so(capsys: pytest.CaptureFixture[str], record_file: Path) -> None:
    code, out, err = run(capsys, "reviews", str(record_file), "--from", "2026-09-01")
    assert (code, out) == (0, "")
    assert "No meetings between 2026-09-01 and 2027-08-31" in err


def test_ics_export_is_written_and_parses(
    capsys: pytest.CaptureFixture[str], demo_file: Path, tmp_path: Path
) -> None:
    out_file = tmp_path / "reviews.ics"
    code, out, err = run(
        capsys, "reviews", str(demo_file), "--from", "2026-09-01", "--to", "2026-12-31",
        "--ics", str(out_file),
    )  # fmt: skip
    assert code == 0 and out == ""
    cal = Calendar.from_ical(out_file.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert f"Wrote {len(events)} events to {out_file}" in err
    assert events
    with Vault.open(demo_file, PASSPHRASE) as vault:
        rows = [
            m
            for m in meetings.between(
                vault.sessions, dt.date(2026, 9, 1), dt.date(2026, 12, 31), ["sen_review"]
            )
            if m.status in ("planned", "held")
        ]
        names = {m.forename for m in rows} | {m.surname for m in rows}
    text = out_file.read_text(encoding="utf-8")
    assert not [n for n in names if f"{n} " in text or f" {n}" in text]
    assert all(str(e["dtstart"].to_ical().decode()).startswith("2026") for e in events)
    assert all(e["dtstart"].params["TZID"] == "Europe/London" for e in events)


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--from", "2026-12-01", "--to", "2026-11-01"], "is before --from"),
        (["--ics", "NOWHERE/x.ics"], "There is no folder"),
        (["--ics", "copy.sendesk"], "not a record file"),
    ],
)
def test_bad_input_exits_2(
    capsys: pytest.CaptureFixture[str],
    record_file: Path,
    argv: list[str],
    words: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(record_file.parent)
    code, _, err = run(capsys, "reviews", str(record_file), *argv)
    assert code == 2
    assert words in err


def test_an_unreal_date_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], record_file: Path
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["reviews", str(record_file), "--from", "31/02/2026"])
    assert caught.value.code == 2
    assert "not a real date" in capsys.readouterr().err


def test_wrong_passphrase_exits_3(
    capsys: pytest.CaptureFixture[str], record_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SENDESK_PASSPHRASE", "not the right one at all")
    code, _, err = run(capsys, "reviews", str(record_file), "--json")
    assert code == 3 and "wrong passphrase" in err


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, _ = run(capsys, "reviews", str(tmp_path / "none.sendesk"))
    assert code == 2
