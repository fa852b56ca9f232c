"""Portable mode: a `portable` file beside the program keeps data, settings and logs there."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from sendesk import crashlog, paths


@pytest.fixture
def frozen_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "USB" / "SENDesk"
    folder.mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "SENDesk.exe"))
    return folder


def test_installed_program_uses_the_users_folders(frozen_program: Path) -> None:
    assert paths.portable_root() is None
    assert frozen_program not in paths.default_folder().parents
    assert paths.settings_folder() is None


def test_a_marker_file_makes_it_portable(frozen_program: Path) -> None:
    (frozen_program / "portable").write_text("", encoding="utf-8")
    data = frozen_program / "SENDesk-data"
    assert paths.default_folder() == data / "records"
    assert crashlog.log_folder() == data / "logs"
    assert paths.settings_folder() == data / "settings"
