"""The user's recent record files, kept in Qt's settings: paths only, never passphrases."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from sendesk import paths

KEY = "recent_files"
KEEP = 8
DEMO_FOLDER_PREFIX = "sendesk-demo-"  # the demo school is built in a folder named so


def settings() -> QSettings:
    """SENDesk's settings: beside the program on a USB stick, else the user's own."""
    portable = paths.settings_folder()
    if portable is not None:  # on a USB stick, settings travel with the program
        return QSettings(str(portable / "sendesk.ini"), QSettings.Format.IniFormat)
    return QSettings("SENDesk", "SENDesk")


def load() -> list[Path]:
    value = settings().value(KEY, [])
    paths = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    return [Path(p) for p in paths if p]


def remember(path: Path) -> None:
    """A new file goes to the top; one already listed keeps its place, so the list does not
    reshuffle each time a file is opened."""
    current = load()
    if path.resolve() in current:
        return
    settings().setValue(KEY, [str(p) for p in [path.resolve(), *current][:KEEP]])


def is_demo(path: Path) -> bool:
    return path.parent.name.startswith(DEMO_FOLDER_PREFIX)


def label(path: Path) -> str:
    """How the start window lists a file: its name and folder, and whether it is a demo."""
    if is_demo(path):
        return f"{path.name}    (demo school: made-up pupils, not real records)"
    return f"{path.name}    ({path.parent})"


def forget(path: Path) -> None:
    settings().setValue(KEY, [str(p) for p in load() if p != path])
