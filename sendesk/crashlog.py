"""Where unexpected errors are written: the user's log folder, with no record content in it.

Only the exception's type and the code locations are logged: a message could quote a pupil.
"""

from __future__ import annotations

import datetime as dt
import traceback
from pathlib import Path

from sendesk import __version__, paths


def log_folder() -> Path:
    return paths.log_folder()


def write(exc: BaseException, folder: Path | None = None) -> Path | None:
    """Append a report of `exc` to `sendesk.log`; its path, or None if it cannot be written."""
    folder = folder or log_folder()
    # Locations only, not source lines or locals: nothing that could quote a record.
    frames = "".join(
        f"  {frame.filename}:{frame.lineno} in {frame.name}\n"
        for frame in traceback.extract_tb(exc.__traceback__)
    )
    report = (
        f"--- {dt.datetime.now().isoformat(timespec='seconds')} SENDesk {__version__}\n"
        f"{type(exc).__module__}.{type(exc).__qualname__}\n{frames}"
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "sendesk.log"
        with path.open("a", encoding="utf-8") as log:
            log.write(report)
    except OSError:
        return None
    return path
