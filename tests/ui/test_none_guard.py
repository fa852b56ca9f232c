"""PySide6 6.12 lets go of a reference to None each time a Qt call hands None back (Python 3.11):
the app's guard keeps None's count from reaching nought, which would abort the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Hands None back from Qt far more often than its count at start could bear, with the guard
# installed as the app installs it (or not), then quits normally.
PROBE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QTableWidget
from ui import none_guard
app = QApplication(sys.argv)
start = sys.getrefcount(None)  # before the guard tops it up
if sys.argv[1] == "guarded":
    none_guard.install(app)
table = QTableWidget(2, 2)
def many():
    for _ in range(3 * start):
        table.item(0, 0)  # an empty cell: None, miscounted
    print("done", flush=True)
    app.quit()
QTimer.singleShot(0, many)
app.exec()
"""


def _run(mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PROBE, mode],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(ROOT)},
    )  # fmt: skip


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_none_handed_back_by_qt_no_longer_aborts_the_app() -> None:
    unguarded = _run("bare")
    assert unguarded.returncode != 0 and "none_dealloc" in unguarded.stderr  # the bug, as seen
    guarded = _run("guarded")
    assert guarded.returncode == 0, guarded.stderr
    assert "done" in guarded.stdout
