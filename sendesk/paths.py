"""Where SENDesk keeps things: the user's folders, or beside the program in portable mode.

Portable mode (for a USB stick) is switched on by a file named `portable` beside the program:
record files, settings and logs then live in a `SENDesk-data` folder next to it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

from sendesk import APP_NAME

PORTABLE_MARKER = "portable"
PORTABLE_DATA = "SENDesk-data"


def program_folder() -> Path:
    """The folder of the installed program (the bundle), or of the source checkout."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parents[1]


def portable_root() -> Path | None:
    folder = program_folder()
    return folder / PORTABLE_DATA if (folder / PORTABLE_MARKER).is_file() else None


def default_folder() -> Path:
    """Where new record files go unless the user chooses otherwise."""
    portable = portable_root()
    return portable / "records" if portable else Path(platformdirs.user_data_dir(APP_NAME, False))


def log_folder() -> Path:
    portable = portable_root()
    return portable / "logs" if portable else Path(platformdirs.user_log_dir(APP_NAME, False))


def settings_folder() -> Path | None:
    """Where the app's own settings (recent files) go in portable mode; None: the system's."""
    portable = portable_root()
    return portable / "settings" if portable else None
