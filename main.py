"""Start SENDesk: with no arguments the app, otherwise the `sendesk` command line."""

from __future__ import annotations

import sys
from pathlib import Path


def start_app(path: Path | None) -> int:
    from ui.app import run  # Qt is loaded only when the app is wanted

    return run(path)


def run() -> int:
    from sendesk.cli import main

    return main(start_app=start_app)


if __name__ == "__main__":
    sys.exit(run())
