"""Where SENDesk keeps record files by default: the user's data folder."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from sendesk import APP_NAME


def default_folder() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
