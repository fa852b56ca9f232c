"""Writing a generated module of sendesk/ (tools/write_*.py): whole, then in the house style."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def write_formatted(target: Path, text: str) -> None:
    """`text` to `target`, then formatted as `./dev lint` wants it, so the tool's output passes."""
    target.write_text(text, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "ruff", "format", "-q", str(target)], check=True)  # noqa: S603
