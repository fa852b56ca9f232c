"""The background helper: results and errors come back on the GUI thread, and the garbage
collector, paused while work runs, is running again afterwards."""

from __future__ import annotations

import gc
import threading

from pytestqt.qtbot import QtBot

from tests.ui.conftest import wait_for_background
from ui.background import busy, run_in_background


def test_results_and_errors_come_back_on_the_gui_thread(qtbot: QtBot) -> None:
    seen: list[tuple[str, object, bool]] = []
    gui = threading.current_thread()

    def in_worker() -> str:
        assert threading.current_thread() is not gui
        assert not gc.isenabled()  # paused while work runs
        return "done"

    def broken() -> None:
        raise ValueError("no")

    def on_gui() -> bool:
        return threading.current_thread() is gui

    run_in_background(
        in_worker,
        lambda r: seen.append(("ok", r, on_gui())),
        lambda e: seen.append(("failed", e, False)),
    )
    run_in_background(
        broken,
        lambda r: seen.append(("ok", r, False)),
        lambda e: seen.append(("failed", type(e).__name__, on_gui())),
    )
    assert busy()
    wait_for_background(qtbot)
    assert sorted(seen) == [("failed", "ValueError", True), ("ok", "done", True)]
    assert gc.isenabled()
