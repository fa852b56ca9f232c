"""Start SENDesk: with no arguments the app, otherwise the `sendesk` command line."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def start_app(path: Path | None) -> int:
    if sys.platform.startswith("linux") and not any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    ):
        from sendesk.errors import BadInput

        # Qt would abort with its own messages; say it plainly instead.
        raise BadInput(
            "There is no screen here to show the app on (no DISPLAY): start SENDesk from the "
            "desktop, or use the commands (sendesk --help)."
        )
    from ui.app import run  # Qt is loaded only when the app is wanted

    return run(path)


def run() -> int:
    if sys.argv[1:] == ["--version"]:
        # Answered before the command line (argparse, its commands) is imported at all.
        from sendesk import version_line

        print(version_line())
        return 0
    if sys.argv[1:] in (["--help"], ["-h"]):
        from sendesk import help_overview

        if (text := help_overview()) is not None:
            sys.stdout.write(text)  # as argparse writes it, before the commands are imported
            return 0
    import sendesk.commands
    from sendesk.cli import main

    sendesk.commands.FREEZE_IMPORTS = True  # this process is the command's own
    return main(start_app=start_app)


if __name__ == "__main__":
    sys.exit(run())
