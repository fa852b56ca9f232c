"""App benchmarks: start-up, unlock to register, and a search keystroke, at two register sizes.

    ./dev bench   (all benchmarks; or QT_QPA_PLATFORM=offscreen .venv/bin/python bench/ui_bench.py)

Targets (issue 3): start window within 1.3x of a bare PySide6 window; register shown under 0.5 s
after the key is derived at 2,000 pupils; a keystroke under 16 ms at 2,000 and 50 ms at 20,000.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSPHRASE = "benchmark passphrase for a made up school"
BARE = (
    "from PySide6.QtWidgets import QApplication, QWidget\n"
    "app = QApplication([])\nw = QWidget()\nw.show()\napp.processEvents()\nprint('shown')\n"
)
START = (
    "from ui.app import make_application\nfrom ui.start_window import StartWindow\n"
    "app = make_application()\nw = StartWindow()\nw.show()\napp.processEvents()\nprint('shown')\n"
)


def process_to_window(code: str, runs: int = 5) -> float:
    """Median ms from starting a Python process until it has shown its window."""
    samples = []
    # As installed: with compiled bytecode (this machine sets PYTHONDONTWRITEBYTECODE).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, check=True)
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "shown" in out
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def register_numbers(pupils: int) -> tuple[float, float, float]:
    """(open incl. key derivation, register shown after unlock, median keystroke) in ms."""
    from PySide6.QtWidgets import QApplication

    from sendesk import demo
    from sendesk.vault import Vault
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sendesk"
        demo.build(path, PASSPHRASE, pupils, seed=2).close()
        start = time.perf_counter()
        vault = Vault.open(path, PASSPHRASE)
        opened = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        window = MainWindow(vault)
        window.show()
        app.processEvents()
        shown = (time.perf_counter() - start) * 1000
        search = window.register.search
        keystrokes = []
        for text in ("s", "sm", "smi", "smit", "smith", "smit", "smi", "sm", "s", "") * 3:
            start = time.perf_counter()
            search.setText(text)  # one keystroke: filter, reset the view, repaint
            app.processEvents()
            keystrokes.append((time.perf_counter() - start) * 1000)
        window.close()
        app.processEvents()
        vault.close()
    return opened, shown, statistics.median(keystrokes)


def main() -> None:
    bare = process_to_window(BARE)
    start = process_to_window(START)
    print("SENDesk app benchmark (offscreen, medians)")
    print(
        f"process start to window shown: bare PySide6 {bare:.0f} ms, "
        f"SENDesk start window {start:.0f} ms ({start / bare:.2f}x; target < 1.3x)"
    )
    for pupils, target in ((2_000, 16), (20_000, 50)):
        opened, shown, key = register_numbers(pupils)
        print(
            f"{pupils:>6} pupils: open {opened:.0f} ms (key derivation included), "
            f"register shown {shown:.0f} ms after unlock (target < 500 ms at 2,000), "
            f"keystroke {key:.1f} ms (target < {target} ms)"
        )


if __name__ == "__main__":
    main()
