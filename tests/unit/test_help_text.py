"""`sendesk --help` prints the command line's own help, built or kept, at every width."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sendesk import help_overview, help_text
from sendesk.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]


def built_help(monkeypatch: pytest.MonkeyPatch, columns: int) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    return build_parser().format_help()


def run_help(columns: int, *argv: str) -> subprocess.CompletedProcess[str]:
    probe = (
        "import sys, main\n"
        "sys.argv = ['sendesk', *sys.argv[1:]]\n"
        "try:\n"
        "    main.run()\n"
        "except SystemExit:\n"  # argparse's own --help exits
        "    pass\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write(' '.join(m for m in ('argparse', 'sendesk.cli') if m in sys.modules))\n"
    )
    env = {"COLUMNS": str(columns), "PATH": "/usr/bin:/bin", "SYSTEMROOT": "C:\\Windows"}
    return subprocess.run(
        [sys.executable, "-c", probe, *argv],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip


def test_the_kept_help_is_what_the_command_line_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    # Fails when a command or its help line changed: run tools/write_help_text.py.
    assert sys.version_info[:2] == help_text.PYTHON, "run tools/write_help_text.py"
    assert built_help(monkeypatch, help_text.COLUMNS) == help_text.TEXT


def test_the_kept_help_is_given_only_at_its_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", str(help_text.COLUMNS))
    assert help_overview() == help_text.TEXT
    monkeypatch.setenv("COLUMNS", str(help_text.COLUMNS + 40))
    assert help_overview() is None
    monkeypatch.setattr(help_text, "PYTHON", (3, 0))
    monkeypatch.setenv("COLUMNS", str(help_text.COLUMNS))
    assert help_overview() is None


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_into_a_pipe_is_printed_without_building_the_command_line(
    monkeypatch: pytest.MonkeyPatch, flag: str
) -> None:
    done = run_help(help_text.COLUMNS, flag)
    assert done.stdout == built_help(monkeypatch, help_text.COLUMNS)
    assert done.stderr == ""  # neither argparse nor sendesk.cli was imported


def test_help_at_another_width_is_built_for_that_width(monkeypatch: pytest.MonkeyPatch) -> None:
    done = run_help(120, "--help")
    assert done.stdout == built_help(monkeypatch, 120)
    assert done.stdout != help_text.TEXT  # the lines are laid out for 120 columns
    assert done.stderr == "argparse sendesk.cli"


def test_a_command_s_help_is_still_built() -> None:
    done = run_help(help_text.COLUMNS, "backup", "--help")
    assert done.stdout.startswith("usage: sendesk backup")
    assert done.stderr == "argparse sendesk.cli"
