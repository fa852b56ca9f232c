"""Where SENDesk's shipped data files are: `resources/` beside the package, or in a bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_path(name: str) -> Path:
    # PyInstaller unpacks data under sys._MEIPASS; a source checkout keeps it beside sendesk/.
    bundle = getattr(sys, "_MEIPASS", None)
    root = Path(bundle) if bundle else Path(__file__).resolve().parents[1]
    return root / "resources" / name
