"""The command line imports only what a command uses, so `--version` and `--help` start at once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "alembic", "reportlab", "pypdf", "zxcvbn", "icalendar", "holidays", "faker")

# Runs the real entry point (main.py), then lists the modules it imported, whatever the exit.
PROBE = """
import json, sys
sys.argv = ["sendesk", *json.loads(sys.argv[1])]
import main
try:
    main.run()
except SystemExit:
    pass
finally:
    sys.stdout.flush()
    sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def imported_by(*argv: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return {name.split(".")[0] for name in json.loads(line.removeprefix("MODULES "))}


@pytest.mark.parametrize("argv", [("--version",), ("--help",), ("plan", "--help")])
def test_version_and_help_import_no_heavy_library(argv: tuple[str, ...]) -> None:
    assert imported_by(*argv) & set(HEAVY) == set()


def test_the_probe_sees_a_command_that_opens_a_file_import_sqlalchemy(tmp_path: Path) -> None:
    # The check above is only worth something if the probe would see the import.
    assert "sqlalchemy" in imported_by("info", str(tmp_path / "missing.sendesk"))
