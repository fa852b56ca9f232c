"""While the key is derived after Unlock, the main window's code loads, so the register comes
sooner. Run in a fresh process: this test process has every module loaded already."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import sys, threading
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from sendesk import cipher
deriving, release = threading.Event(), threading.Event()
real = cipher.RawKey.derive.__func__
def held(cls, *args):
    deriving.set()
    release.wait(60)  # the derivation "takes" until the main window's code was looked for
    return real(cls, *args)
cipher.RawKey.derive = classmethod(held)
from ui.unlock_dialog import UnlockDialog
assert "ui.main_window" not in sys.modules
assert "sendesk.models" in sys.modules  # the storage code came with the dialog, before typing
dialog = UnlockDialog(Path(sys.argv[1]))
dialog.passphrase.setText(sys.argv[2])
dialog.unlock()
seen = []
def look():
    if deriving.is_set():
        seen.append("ui.main_window" in sys.modules)
    if len(seen) >= 100 or (seen and seen[-1]):  # loaded, or two seconds of derivation
        release.set()
    if release.is_set() and dialog.vault is not None:
        dialog.vault.close()
        print("LOADED" if seen[-1] else "NOT LOADED")
        app.quit()
        return
    QTimer.singleShot(20, look)
QTimer.singleShot(0, look)
app.exec()
"""


def last_line_of(script: str, *argv: str) -> str:
    """What a fresh process running `script` printed last; it must exit cleanly."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", script, *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1]


def test_the_main_window_loads_while_the_key_is_derived(demo_file: Path) -> None:
    assert last_line_of(CHILD, str(demo_file), PASSPHRASE) == "LOADED"


FREEZING = """
import gc, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ui import warm_up
warm_up.FREEZE_WHEN_LOADED = sys.argv[1] == "app"  # as ui.app.run sets it
warm_up.start()
turns = []
def look():
    turns.append(1)
    if warm_up.finished() or len(turns) > 3000:
        print("frozen", gc.get_freeze_count() > 0, "loaded", "ui.main_window" in sys.modules)
        app.quit()
        return
    QTimer.singleShot(5, look)
QTimer.singleShot(0, look)
app.exec()
"""


def test_the_app_freezes_what_it_loaded_and_a_test_process_never_does() -> None:
    # Frozen, the modules loaded for the main window are not walked by every full collection.
    said = {owner: last_line_of(FREEZING, owner) for owner in ("app", "test")}
    assert said == {"app": "frozen True loaded True", "test": "frozen False loaded True"}


SHOWN = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ui.unlock_dialog import UnlockDialog
dialog = UnlockDialog(Path(sys.argv[1]))
assert "ui.main_window" not in sys.modules
dialog.show()  # the user now types the passphrase: nothing is unlocked yet
turns = []
def look():
    turns.append(1)
    if "ui.main_window" in sys.modules or len(turns) > 2000:
        print("LOADED" if "ui.main_window" in sys.modules else "NOT LOADED", dialog.vault)
        app.quit()
        return
    QTimer.singleShot(5, look)
QTimer.singleShot(0, look)
app.exec()
"""


def test_the_main_window_loads_while_the_passphrase_is_typed(demo_file: Path) -> None:
    # Shown, the unlock box loads the main window's code in steps; Unlock then waits only for
    # the key (the test above: and if Unlock comes first, the loading goes on meanwhile).
    assert last_line_of(SHOWN, str(demo_file)) == "LOADED None"
