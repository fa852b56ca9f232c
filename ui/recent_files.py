"""The user's recent record files, kept in Qt's settings: paths only, never passphrases."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from sendesk import paths

KEY = "recent_files"
KEEP = 8


def _settings() -> QSettings:
    portable = paths.settings_folder()
    if portable is not None:  # on a USB stick, settings travel with the program
        return QSettings(str(portable / "sendesk.ini"), QSettings.Format.IniFormat)
    return QSettings("SENDesk", "SENDesk")


def load() -> list[Path]:
    value = _settings().value(KEY, [])
    paths = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    return [Path(p) for p in paths if p]


def remember(path: Path) -> None:
    current = [p for p in load() if p != path.resolve()]
    _settings().setValue(KEY, [str(p) for p in [path.resolve(), *current][:KEEP]])


def forget(path: Path) -> None:
    _settings().setValue(KEY, [str(p) for p in load() if p != path])
