"""The command line imports only what a command uses, so `--version` and `--help` start at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "sqlalchemy",
    "alembic",
    "reportlab",
    "pypdf",
    "zxcvbn",
    "icalendar",
    "holidays",
    "faker",
    "stdnum",
)
# What only printing, choosing a passphrase, importing a pupil list or building a demo needs.
NOT_FOR_READING = ("reportlab", "pypdf", "zxcvbn", "faker", "icalendar", "holidays", "stdnum")

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


def imported_by(*argv: str, columns: int | None = None) -> set[str]:
    """The top-level packages the command imported."""
    return {name.split(".")[0] for name in modules_imported_by(*argv, columns=columns)}


def modules_imported_by(*argv: str, columns: int | None = None) -> set[str]:
    """`columns` sets the terminal's width (a pipe's is 80, where `--help` is kept as text)."""
    env = None if columns is None else {**os.environ, "COLUMNS": str(columns)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


@pytest.mark.parametrize(
    "argv", [("--version",), ("--help",), ("plan", "--help"), ("import", "--help")]
)
def test_version_and_help_import_no_heavy_library(argv: tuple[str, ...]) -> None:
    assert imported_by(*argv, columns=120) & set(HEAVY) == set()  # the built help


def test_help_imports_no_command_s_own_modules() -> None:
    # The parser lists every command; what a command runs is imported when it runs. At 120
    # columns the help is built (at 80 it is kept text, tests/unit/test_help_text.py).
    modules = modules_imported_by("--help", columns=120)
    assert "sendesk.cli" in modules  # the probe saw the command line itself
    heavy_own = {
        "sendesk.importers.parsing",
        "sendesk.importers.csv",
        "sendesk.importers.ctf",
        "sendesk.codes",
        "sendesk.census",
        "sendesk.atomic",
        "sendesk.passphrase",
        "sendesk.vault",
        "sendesk.models",
        "sendesk.services",
    }
    assert modules & heavy_own == set()


@pytest.mark.parametrize("command", ["info", "pupils"])
def test_reading_a_file_imports_nothing_for_printing_or_passphrases(
    demo_file: Path, cli_passphrase: None, command: str
) -> None:
    modules = modules_imported_by(command, str(demo_file), "--json")
    assert "sendesk.vault" in modules  # it did open the file
    assert {name.split(".")[0] for name in modules} & set(NOT_FOR_READING) == set()


def test_the_probe_sees_a_command_that_opens_a_file_import_sqlalchemy(
    tmp_path: Path, cli_passphrase: None
) -> None:
    # The checks here are only worth something if the probe would see the import.
    assert "sqlalchemy" in imported_by("impact", str(tmp_path / "missing.sendesk"))


def test_opening_a_file_imports_no_alembic(demo_file: Path, cli_passphrase: None) -> None:
    # Alembic is for upgrading an older file; a file at this app's schema opens without it.
    modules = imported_by("impact", str(demo_file), "--json")
    assert "sqlalchemy" in modules and "alembic" not in modules


def test_the_revisions_read_from_the_files_are_alembics() -> None:
    from alembic.script import ScriptDirectory

    from sendesk import schema

    script = ScriptDirectory.from_config(schema.alembic_config())
    assert schema.head_revision() == script.get_current_head()
    assert schema.known_revisions() == [r.revision for r in reversed(list(script.walk_revisions()))]


@pytest.mark.parametrize("command", ["pupils", "info"])
def test_reading_the_register_or_the_counts_leaves_the_orm_unconfigured(
    demo_file: Path, cli_passphrase: None, command: str
) -> None:
    # Configuring every mapper costs these commands more than their queries; they read over the
    # tables' columns, so nothing asks for it (what they print is checked too).
    script = (
        "import contextlib, io, json, sys\n"
        "from sendesk.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    code = main([sys.argv[2], sys.argv[1], '--json'])\n"
        "from sendesk.models import Pupil\n"
        "print(json.dumps([code, len(json.loads(out.getvalue())), Pupil.__mapper__.configured]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(demo_file), command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    code, rows, configured = json.loads(done.stdout.splitlines()[-1])
    assert code == 0 and rows > 0
    assert configured is False


def test_revisions_are_read_from_one_line_or_from_a_merge_spread_over_lines(
    tmp_path: Path,
) -> None:
    # Only the declaration lines are parsed on open; a merge's tuple over several lines, or a
    # docstring that talks about revisions, still reads as Alembic would.
    from sendesk import schema

    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "a.py").write_text('"""First."""\nrevision = "a"\ndown_revision = None\n')
    (versions / "b.py").write_text(
        '"""Second.\n\nrevision = "not this"\n"""\nrevision: str = "b"\n'
        'down_revision: str | None = "a"\n'
    )
    (versions / "c.py").write_text('revision = "c"\ndown_revision = "a"\n')
    (versions / "d.py").write_text(
        'revision = "d"\ndown_revision = (\n    "b",\n    "c",\n)\nbranch_labels = None\n'
    )
    assert schema.head_revision(tmp_path) == "d"
    assert schema.known_revisions(tmp_path) == ["a", "b", "c", "d"]


def test_verify_checks_a_file_without_importing_sqlalchemy(
    demo_file: Path, cli_passphrase: None
) -> None:
    # Opening, checking and closing work on raw connections; the engine is made on first use.
    modules = modules_imported_by("verify", str(demo_file))
    assert "sendesk.vault" in modules and "sendesk.cipher" in modules  # it did open the file
    assert {name.split(".")[0] for name in modules} & {"sqlalchemy", "alembic"} == set()
    assert "sendesk.models" not in modules


def test_version_is_answered_before_the_command_line_is_imported() -> None:
    modules = modules_imported_by("--version")
    assert {"argparse", "sendesk.cli", "sendesk.commands"} & modules == set()
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--version"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    from sendesk import __version__

    assert done.stdout == f"SENDesk {__version__}\n"


@pytest.mark.parametrize(
    "argv",
    [
        ("info", "--json"),
        ("backup", "--out", "{tmp}/copy.sendesk"),
        ("pupils", "--json"),
        ("pupils", "--search", "a", "--archived"),
    ],
    ids=["info", "backup", "pupils", "pupils-search"],
)
def test_info_backup_and_the_register_of_a_file_import_no_sqlalchemy(
    demo_file: Path, cli_passphrase: None, tmp_path: Path, argv: tuple[str, ...]
) -> None:
    # They read the file's facts and the register, and write the backup's audit row, with plain
    # statements on the keyed connection; SQLAlchemy would cost them more than their work.
    command, *rest = argv
    modules = modules_imported_by(command, str(demo_file), *(a.format(tmp=tmp_path) for a in rest))
    assert "sendesk.vault" in modules and "sendesk.cipher" in modules  # it did open the file
    assert {name.split(".")[0] for name in modules} & {"sqlalchemy", "alembic"} == set()
    assert "sendesk.models" not in modules and "sendesk.services" not in modules
    if command == "backup":
        assert (tmp_path / "copy.sendesk").exists()  # and did its work
